"""Accounts of patients and professionals, their devices, tokens and one-time codes.

Secrets (passwords, codes, tokens) are never stored in clear: passwords with Argon2id,
codes and tokens as SHA-256 digests (they are random and short-lived, so a fast hash is
enough and lets us look them up).
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, DateTime, Enum, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base


class AccountKind(str, enum.Enum):
    patient = "patient"
    professional = "professional"


class AccountStatus(str, enum.Enum):
    provisional = "provisional"  # created by the platform, waiting for activation or opposition
    active = "active"
    closed = "closed"  # closed by the patient: archived until purge_after


class Account(Base):
    __tablename__ = "accounts"
    __table_args__ = (UniqueConstraint("kind", "identifier"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[AccountKind] = mapped_column(Enum(AccountKind, native_enum=False, length=16))
    # INS for a patient, RPPS for a professional (normalised).
    identifier: Mapped[str] = mapped_column(String(32), index=True)
    status: Mapped[AccountStatus] = mapped_column(Enum(AccountStatus, native_enum=False, length=16))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    # FHIR id of the Patient or Practitioner resource that represents this account.
    fhir_id: Mapped[str] = mapped_column(String(64), index=True)
    profession: Mapped[str | None] = mapped_column(String(64), nullable=True)
    password_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)
    email: Mapped[str | None] = mapped_column(String(320), nullable=True)
    email_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    phone: Mapped[str | None] = mapped_column(String(32), nullable=True)
    phone_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    totp_secret: Mapped[str | None] = mapped_column(String(64), nullable=True)
    totp_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    # Last accepted TOTP time step, so an authenticator code cannot be replayed.
    totp_last_step: Mapped[int] = mapped_column(Integer, default=0)
    # Per-patient change-feed counter: writes to one compartment lock this row, so
    # sequence numbers commit in order (see services.record).
    feed_seq: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    purge_after: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class ActivationCode(Base):
    """The provisional code sent by post or e-mail to activate (or oppose) a new space."""

    __tablename__ = "activation_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    code_digest: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)


class LoginChallenge(Base):
    """One pending one-time code: for sign-in, or to confirm an e-mail/phone at activation."""

    __tablename__ = "login_challenges"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    # Null for the decoy challenges answered to unknown identifiers.
    account_id: Mapped[str | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), nullable=True, index=True
    )
    purpose: Mapped[str] = mapped_column(String(16))  # "login" | "activation"
    channel: Mapped[str] = mapped_column(String(16))  # "email" | "sms" | "totp"
    code_digest: Mapped[str | None] = mapped_column(String(64), nullable=True)
    device_name: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    burned: Mapped[bool] = mapped_column(Boolean, default=False)


class Device(Base):
    """A named device signed in to an account; revoking it revokes its tokens."""

    __tablename__ = "devices"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Token(Base):
    """An access or refresh token, stored as its digest."""

    __tablename__ = "tokens"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # "access" | "refresh"
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class RecoveryCode(Base):
    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    code_digest: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class LegalRepresentation(Base):
    """A legal representative (e.g. a parent) who manages a minor's space."""

    __tablename__ = "legal_representations"
    __table_args__ = (UniqueConstraint("representative_account_id", "represented_account_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    representative_account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    represented_account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LoginThrottle(Base):
    """Failed sign-in attempts per identifier string, known to us or not.

    Keyed by the digest of the normalised identifier rather than by account, so an unknown
    identifier is throttled exactly like a real one and a 429 never reveals that an
    account exists.
    """

    __tablename__ = "login_throttles"

    key_digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    throttled_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
