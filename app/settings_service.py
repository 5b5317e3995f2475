"""Settings kept in the encrypted cache (theme, text size, files offline, Wi-Fi only), the
device's code, and the account's signed-in devices."""
from __future__ import annotations

import asyncio

from app.local_record import LocalRecord
from app.preferences import (FILES_OFFLINE_SETTING, TEXT_SIZE_SETTING, THEME_SETTING, WIFI_ONLY_SETTING,
                             Preferences, read_preferences)
from app.sync_status import SyncStatusFeed
from app.theme import TEXT_SIZES, THEMES
from storage import DeviceCache
from sync.api import SignedInDevice
from sync.errors import SessionExpired


class SettingsService:
    def __init__(self, record: LocalRecord, status: SyncStatusFeed, device: DeviceCache) -> None:
        self._record = record
        self._status = status
        self._device = device

    async def preferences(self) -> Preferences:
        return await self._record.read(read_preferences)

    async def set_theme(self, theme: str) -> None:
        if theme in THEMES:
            await self._record.keep_on_device(lambda cache: cache.settings.set(THEME_SETTING, theme))

    async def set_text_size(self, text_size: str) -> None:
        if text_size in TEXT_SIZES:
            await self._record.keep_on_device(lambda cache: cache.settings.set(TEXT_SIZE_SETTING, text_size))

    async def set_files_offline(self, files_offline: bool) -> None:
        await self._set_file_setting(FILES_OFFLINE_SETTING, bool(files_offline))

    async def set_wifi_only(self, wifi_only: bool) -> None:
        await self._set_file_setting(WIFI_ONLY_SETTING, bool(wifi_only))

    async def _set_file_setting(self, name: str, value: bool) -> None:
        def change(cache) -> Preferences:
            cache.settings.set(name, value)
            return read_preferences(cache)

        preferences = await self._record.keep_on_device(change)
        self._status.use_file_policy(files_offline=preferences.files_offline, wifi_only=preferences.wifi_only)

    async def change_pin(self, old_pin: str, new_pin: str) -> None:
        """Re-wrap the cache's key under a new code: WrongPin (counted) or WeakPin otherwise."""
        await asyncio.to_thread(self._device.change_pin, old_pin, new_pin)

    async def devices(self) -> list[SignedInDevice]:
        """The account's signed-in devices (needs the network)."""
        return await asyncio.to_thread(lambda: self._api().devices())

    async def revoke_device(self, device_id: str) -> None:
        """Sign another device out: its tokens stop working at once (its copy is erased
        when it next reaches the server and is told to sign in again)."""
        await asyncio.to_thread(lambda: self._api().revoke_device(device_id))

    def _api(self):
        if self._status.api is None:
            raise SessionExpired("Sign in again to manage your devices.")
        return self._status.api
