"""The access history's ledger: append-only, one hash chain per patient.

Each entry holds the AuditEvent it published in the patient's compartment and the hash
of the entry before it in the same chain (services.audit_chain): editing, removing or
inserting an entry breaks the chain, which `carnet verify-audit` reports. The code has
no update or delete of this table (the ORM refuses updates; the database too, with a
trigger); a patient's chain goes only with their account, erased whole.
"""
from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base


class AuditEntry(Base):
    __tablename__ = "audit_entries"
    __table_args__ = (
        UniqueConstraint("patient_account_id", "position"),
        # "Has this professional opened this record before?" (first-access notifications).
        Index("ix_audit_entries_agent", "patient_account_id", "agent_account_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # The chain: one per patient, numbered from 1.
    patient_account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    # Who acted: an account (professional, representative, or the patient an app acts for).
    agent_account_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    agent_app_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    outcome: Mapped[str] = mapped_column(String(2))  # FHIR audit-event-outcome: "0" success, "4" refused
    event: Mapped[dict] = mapped_column(JSON)  # the AuditEvent resource, as published
    previous_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


@event.listens_for(AuditEntry, "before_update")
def _refuse_updates(_mapper, _connection, target: AuditEntry) -> None:
    raise RuntimeError(f"The access history is append-only: audit entry {target.id} cannot be changed.")
