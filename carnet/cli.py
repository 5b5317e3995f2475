"""The `carnet` command: serve, demo, codes, seed and the platform's admin commands.

Imports happen inside commands so `carnet --help` stays fast and each command loads
only the layer it drives.
"""
from __future__ import annotations

import typer

main = typer.Typer(help="Carnet, a personal health space.", no_args_is_help=True, add_completion=False)

DATABASE_HELP = "SQLAlchemy URL (sqlite:///… or postgresql://…); SQLite under the user's data folder by default."


def _settings(database_url: str | None, demo: bool = False, **overrides):
    from server.config import Settings, default_data_dir

    values: dict = dict(overrides)
    if database_url:
        values["database_url"] = database_url
    elif demo:
        values["database_url"] = f"sqlite:///{default_data_dir() / 'carnet-demo.db'}"
    if demo:
        values["environment"] = "demo"
    return Settings(**values)


@main.command()
def serve(
    database_url: str = typer.Option(None, envvar="CARNET_DATABASE_URL", help=DATABASE_HELP),
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
) -> None:
    """Run the server (migrations run on start-up)."""
    import uvicorn

    from server.app import create_app

    uvicorn.run(create_app(_settings(database_url)), host=host, port=port, log_level="info")


if __name__ == "__main__":
    main()
