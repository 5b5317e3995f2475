"""initial schema (TEMPORARY during parallel development: frozen by the lead before landing)

Revision ID: 0001
"""
from alembic import op

from server.models import Base

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    Base.metadata.create_all(op.get_bind())


def downgrade() -> None:
    Base.metadata.drop_all(op.get_bind())
