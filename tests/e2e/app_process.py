"""The patient app in its own process, as `carnet app --web` runs it, for the browser tests:
`python -m tests.e2e.app_process SERVER_URL PORT` (data folder: FLET_APP_STORAGE_DATA)."""
from __future__ import annotations

import logging
import sys

from app.main import run_app
from storage import NoSecretStore
from tests.storage.samples import FAST_KDF

if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    # No keystore (as on CI): the device code is a passphrase. A cheap KDF keeps unlock fast.
    run_app(sys.argv[1], port=int(sys.argv[2]), web=True, open_browser=False,
            secret_store=NoSecretStore(), kdf=FAST_KDF, watch_seconds=2)
