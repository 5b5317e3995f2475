"""Screen tests: the app's real screens in Flet's real session, no browser; the real
server on loopback and a real encrypted cache."""
from __future__ import annotations

import pytest

from tests.app.conftest import PASSPHRASE, make_services
from tests.sync.conftest import database_url, settings, world  # noqa: F401 (fixtures reused)

__all__ = ["PASSPHRASE", "make_services"]
