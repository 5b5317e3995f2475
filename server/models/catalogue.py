"""The app catalogue and what patients granted apps, over OAuth 2.0 (services.oauth_server).

Secrets (client secrets, authorization codes, tokens, consent-page handles) are kept as
SHA-256 digests: they are random, so a fast hash is enough and lets us look them up.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base


class CatalogueApp(Base):
    """A referenced app: who makes it, what it is for, and the scopes it may ask for."""

    __tablename__ = "catalogue_apps"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # its OAuth client_id
    name: Mapped[str] = mapped_column(String(100))
    publisher: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(32))  # a key of health.app_catalogue.APP_CATEGORIES
    description: Mapped[str] = mapped_column(Text)  # French, shown to patients
    homepage: Mapped[str] = mapped_column(String(500))
    redirect_uris: Mapped[list] = mapped_column(JSON)  # matched exactly
    scopes: Mapped[str] = mapped_column(Text)  # the SMART scopes it may ask for, space-separated
    # "public": a phone or browser app, PKCE and no secret; "confidential": a server with a secret.
    client_type: Mapped[str] = mapped_column(String(16))
    secret_digest: Mapped[str | None] = mapped_column(String(64), nullable=True)
    status: Mapped[str] = mapped_column(String(16))  # "active" | "withdrawn"
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class AppGrant(Base):
    """What one patient let one app do: the scopes they ticked on the consent page."""

    __tablename__ = "app_grants"
    __table_args__ = (UniqueConstraint("app_id", "patient_account_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    app_id: Mapped[str] = mapped_column(ForeignKey("catalogue_apps.id", ondelete="CASCADE"), index=True)
    patient_account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    scopes: Mapped[str] = mapped_column(Text)
    granted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class AppToken(Base):
    """An app's access or refresh token, stored as its digest.

    `family` names the authorization code the chain of tokens started from: a code used
    twice, or a refresh token replayed after rotation, revokes the whole family.
    """

    __tablename__ = "app_tokens"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # "access" | "refresh"
    grant_id: Mapped[str] = mapped_column(ForeignKey("app_grants.id", ondelete="CASCADE"), index=True)
    family: Mapped[str] = mapped_column(String(64), index=True)
    scopes: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class AuthorizationCode(Base):
    """A code handed to an app through the patient's browser: single-use, short-lived, bound
    to the app, its redirect URI and the PKCE challenge."""

    __tablename__ = "oauth_codes"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    grant_id: Mapped[str] = mapped_column(ForeignKey("app_grants.id", ondelete="CASCADE"), index=True)
    redirect_uri: Mapped[str] = mapped_column(String(500))
    scopes: Mapped[str] = mapped_column(Text)
    code_challenge: Mapped[str] = mapped_column(String(128))
    code_challenge_method: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class ConsentRequest(Base):
    """An authorization request waiting for the patient on the consent page.

    The page's hidden field holds a random handle (kept here as its digest), and the browser
    that opened the request holds a cookie (its digest too): both must come back with every
    step, so another site cannot post the form (CSRF) and the handle alone is worth nothing.
    """

    __tablename__ = "oauth_consents"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    browser_digest: Mapped[str] = mapped_column(String(64))
    app_id: Mapped[str] = mapped_column(ForeignKey("catalogue_apps.id", ondelete="CASCADE"), index=True)
    # The validated authorization request: response_type, client_id, redirect_uri, scope,
    # state, code_challenge, code_challenge_method, aud.
    parameters: Mapped[dict] = mapped_column(JSON)
    challenge_id: Mapped[str | None] = mapped_column(String(64), nullable=True)  # the one-time code sent
    account_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
