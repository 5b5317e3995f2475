"""What a patient decided about who sees their record, and the emergency accesses opened on it.

The regular doctor (médecin traitant) is not here: it is on the record itself, as
`Patient.generalPractitioner`, so the patient's devices get it with the rest.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base


class PrivacySettings(Base):
    """One patient's choices; a patient without a row has the defaults below."""

    __tablename__ = "privacy_settings"

    patient_account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"),
                                                    primary_key=True)
    emergency_access_allowed: Mapped[bool] = mapped_column(Boolean, default=True)
    email_on_first_access: Mapped[bool] = mapped_column(Boolean, default=True)
    email_on_new_document: Mapped[bool] = mapped_column(Boolean, default=True)
    # New-document e-mails are spaced out (a hospital may deposit ten documents at once).
    last_document_email_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AccessBlock(Base):
    """A professional the patient blocked: they read and write nothing in the record."""

    __tablename__ = "access_blocks"
    __table_args__ = (UniqueConstraint("patient_account_id", "professional_account_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    patient_account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    professional_account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class EmergencyAccess(Base):
    """A professional opened the record in an emergency ("break the glass"), for a while."""

    __tablename__ = "emergency_accesses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    patient_account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    professional_account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
