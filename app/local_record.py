"""What the services of each area of the app (profile, documents, …) share: the unlocked
cache, off the UI loop, and a word to the sync scheduler after a local change.

Flet draws every screen from one asyncio loop, so every cache call runs in a worker
thread (`asyncio.to_thread`). A write goes to the cache and its outbox in one transaction
(`storage`); `write` then tells the scheduler, which pushes it soon after.
"""
from __future__ import annotations

import asyncio
from typing import Callable, TypeVar

from storage import Cache
from sync.errors import SessionExpired

T = TypeVar("T")


class LocalRecord:
    def __init__(self, cache: Callable[[], Cache | None], patient_id: Callable[[], str | None],
                 local_change_made: Callable[[], None]) -> None:
        self._cache = cache
        self._patient_id = patient_id
        self._local_change_made = local_change_made

    @property
    def cache(self) -> Cache:
        cache = self._cache()
        if cache is None:
            raise SessionExpired("Unlock the app first.")
        return cache

    @property
    def patient_id(self) -> str:
        """The FHIR id of the signed-in patient, whose compartment new resources go to."""
        patient_id = self._patient_id()
        if not patient_id:
            raise SessionExpired("Sign in again to change your record.")
        return patient_id

    async def read(self, query: Callable[[Cache], T]) -> T:
        return await asyncio.to_thread(lambda: query(self.cache))

    async def keep_on_device(self, change: Callable[[Cache], T]) -> T:
        """Run a change that stays on this device (a setting, a choice): nothing to push."""
        return await asyncio.to_thread(lambda: change(self.cache))

    async def write(self, change: Callable[[Cache], T]) -> T:
        """Run a local change (cache + outbox), then have it pushed soon."""
        result = await asyncio.to_thread(lambda: change(self.cache))
        self._local_change_made()
        return result
