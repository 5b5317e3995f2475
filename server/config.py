"""Server settings, read from CARNET_* environment variables (pydantic-settings)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import platformdirs
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("carnet", appauthor=False))


def default_database_url() -> str:
    return f"sqlite:///{default_data_dir() / 'carnet-server.db'}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CARNET_", extra="ignore")

    database_url: str = Field(default_factory=default_database_url)
    # "dev" and "demo" also copy every code sent into the delivery box (`carnet codes`).
    environment: str = "dev"
    public_base_url: str = "http://127.0.0.1:8000"

    # Delivery of codes. With no SMTP host, e-mails land only in the delivery box.
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_sender: str = "Carnet <no-reply@carnet.localhost>"
    smtp_starttls: bool = False
    smtp_username: str | None = None
    smtp_password: str | None = None

    # Sign-in.
    login_code_ttl_seconds: int = 300
    login_code_max_attempts: int = 3
    activation_code_ttl_days: int = 90
    access_token_ttl_seconds: int = 900
    refresh_token_ttl_days: int = 30
    throttle_after_failures: int = 3
    throttle_max_seconds: int = 900
    recovery_code_count: int = 10
    # First delay once throttle_after_failures is reached; it doubles with each further
    # failure, up to throttle_max_seconds.
    throttle_first_delay_seconds: int = 30

    # Argon2id cost (RFC 9106's second recommended option). Tests lower them to run fast.
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 64 * 1024
    argon2_parallelism: int = 4

    # Record.
    max_binary_bytes: int = 20 * 1024 * 1024
    max_json_body_bytes: int = 1024 * 1024
    page_size_default: int = 50
    page_size_max: int = 500

    # Closed spaces are archived this long before they are purged (days).
    archive_retention_days: int = 3650

    # Apps of the catalogue (OAuth 2.0): codes are single-use and short-lived; access tokens
    # short-lived, refresh tokens rotated; the consent page waits this long for the patient.
    oauth_code_ttl_seconds: int = 60
    app_access_token_ttl_seconds: int = 900
    app_refresh_token_ttl_days: int = 90
    oauth_consent_ttl_seconds: int = 900

    @property
    def copies_codes_to_delivery_box(self) -> bool:
        return self.environment in {"dev", "demo", "test"}


@lru_cache
def get_settings() -> Settings:
    return Settings()
