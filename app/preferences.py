"""The patient's preferences for this device, kept in the encrypted cache's settings."""
from __future__ import annotations

from dataclasses import dataclass

from storage import Cache

THEME_SETTING = "app.theme"
TEXT_SIZE_SETTING = "app.text_size"
FILES_OFFLINE_SETTING = "sync.files_offline"
WIFI_ONLY_SETTING = "sync.wifi_only"


@dataclass(frozen=True)
class Preferences:
    theme: str = "light"
    text_size: str = "normal"
    files_offline: bool = True  # every document's file kept on the device, for offline reading
    wifi_only: bool = False  # files fetched on Wi-Fi (or a wired network) only


def read_preferences(cache: Cache) -> Preferences:
    get = cache.settings.get
    return Preferences(theme=get(THEME_SETTING, "light"), text_size=get(TEXT_SIZE_SETTING, "normal"),
                       files_offline=bool(get(FILES_OFFLINE_SETTING, True)),
                       wifi_only=bool(get(WIFI_ONLY_SETTING, False)))
