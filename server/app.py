"""The FastAPI application factory."""
from __future__ import annotations

from fastapi import FastAPI

from server.api.deps import AppDelivery
from server.api.docs import install_api_docs
from server.api.outcome import install_error_handlers
from server.api.routes import auth, fhir, privacy
from server.api.routes import catalogue as catalogue_routes
from server.api.routes import oauth as oauth_routes
from server.api.routes import export as export_routes
from server.api.routes import agenda as agenda_routes
from server.config import Settings, get_settings
from server.db import make_engine, make_session_factory, migrate
from server.services.notifications import DELIVERY_INFO_KEY


def create_app(settings: Settings | None = None, *, run_migrations: bool = True) -> FastAPI:
    settings = settings or get_settings()
    engine = make_engine(settings.database_url)
    if run_migrations:
        migrate(engine)

    app = FastAPI(
        title="Carnet",
        version="0.1.0",
        description="Personal health space: sign-in with one-time codes and the patient record over FHIR R4.",
        docs_url=None,  # served by install_api_docs, without a CDN
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine)
    # Services notify patients (services.notifications) through the delivery in the session.
    app.state.session_factory.configure(info={DELIVERY_INFO_KEY: AppDelivery(app)})
    install_error_handlers(app)
    install_api_docs(app)
    app.include_router(auth.router)
    # Before the FHIR routes: /fhir/.well-known/smart-configuration is not a resource read.
    app.include_router(oauth_routes.router)
    app.include_router(fhir.router)
    app.include_router(export_routes.router)
    app.include_router(agenda_routes.router)
    app.include_router(privacy.router)
    app.include_router(catalogue_routes.router)

    @app.get("/health", include_in_schema=False)
    def health() -> dict:
        return {"status": "ok"}

    return app
