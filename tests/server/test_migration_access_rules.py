"""Migration 0002 labels the resources that already carried visibility labels, and guards the ledger."""
import json

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import text

from server.db import MIGRATIONS_DIR, make_engine


def _migrate(engine, revision: str, *, down: bool = False) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)


def test_existing_labels_fill_the_new_columns(database_url):
    engine = make_engine(database_url)
    _migrate(engine, "head")
    _migrate(engine, "0001", down=True)  # the shared PostgreSQL database may be at head already
    hidden = {"resourceType": "DocumentReference", "id": "d1",
              "meta": {"security": [{"system": "urn:carnet:visibility", "code": "hidden"}]}}
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO accounts (id, kind, identifier, status, display_name, fhir_id, email_confirmed, "
            "phone_confirmed, totp_enabled, totp_last_step, feed_seq, created_at) VALUES "
            "('a1', 'patient', '1', 'active', 'x', 'p1', false, false, false, 0, 2, CURRENT_TIMESTAMP)"))
        for pk, content in ((1, hidden), (2, {"resourceType": "DocumentReference", "id": "d2"})):
            connection.execute(text(
                "INSERT INTO resources (pk, resource_type, id, patient_account_id, version_id, seq, last_updated, "
                "deleted, content) VALUES (:pk, 'DocumentReference', :id, 'a1', 1, :pk, CURRENT_TIMESTAMP, false, "
                ":content)"), {"pk": pk, "id": content["id"], "content": json.dumps(content)})
    _migrate(engine, "head")
    with engine.begin() as connection:
        rows = connection.execute(text("SELECT id, hidden, withheld_from_patient FROM resources ORDER BY pk")).all()
        assert [(ident, bool(hidden_), bool(withheld)) for ident, hidden_, withheld in rows] == [
            ("d1", True, False), ("d2", False, False)]
        connection.execute(text(
            "INSERT INTO audit_entries (patient_account_id, position, outcome, event, previous_hash, hash) "
            "VALUES ('a1', 1, '0', '{}', 'x', 'y')"))
    with pytest.raises(Exception, match="append-only"):
        with engine.begin() as connection:
            connection.execute(text("UPDATE audit_entries SET outcome = '4'"))
    engine.dispose()
