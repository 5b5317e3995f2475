"""The patient record: FHIR resources, their versions, and document files.

Each row of `resources` is the current version of one resource (or its tombstone). The
columns beside the JSON are the ones searches and the change feed query.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base


class Resource(Base):
    __tablename__ = "resources"
    __table_args__ = (
        UniqueConstraint("resource_type", "id"),
        # The change feed: one compartment, in sequence order.
        Index("ix_resources_feed", "patient_account_id", "seq"),
        Index("ix_resources_search", "patient_account_id", "resource_type", "date"),
    )

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    resource_type: Mapped[str] = mapped_column(String(64))
    id: Mapped[str] = mapped_column(String(64))
    # The compartment this resource belongs to (null for Practitioner resources).
    patient_account_id: Mapped[str | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), nullable=True
    )
    version_id: Mapped[int] = mapped_column(Integer, default=1)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    last_updated: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    # Who wrote the current version: the account id of a patient or professional.
    author_account_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    author_kind: Mapped[str | None] = mapped_column(String(16), nullable=True)
    category: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    code: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    date: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    content: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    # Visibility labels of the current version (health.visibility), for access rules in SQL.
    hidden: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    withheld_from_patient: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    hidden_from_representative: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class ResourceVersion(Base):
    """Every version ever written, for `_history` and vread."""

    __tablename__ = "resource_versions"
    __table_args__ = (UniqueConstraint("resource_type", "resource_id", "version_id"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    resource_type: Mapped[str] = mapped_column(String(64))
    resource_id: Mapped[str] = mapped_column(String(64))
    version_id: Mapped[int] = mapped_column(Integer)
    last_updated: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    author_account_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    content: Mapped[dict | None] = mapped_column(JSON, nullable=True)


class BinaryBlob(Base):
    """The bytes of a document (FHIR Binary), fetched apart from its metadata."""

    __tablename__ = "binaries"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    patient_account_id: Mapped[str] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    author_account_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
