"""What can go wrong with the device cache, as exceptions whose message a user can read.

The app shows `str(error)`; callers branch on the class. Every error leaves the cache as
it was before the call (writes are transactional).
"""
from __future__ import annotations


class StorageError(Exception):
    """Base class of every error raised by `storage`."""


class CacheMissing(StorageError):
    def __init__(self) -> None:
        super().__init__("There is no offline copy of the record on this device; sign in to create one.")


class CacheAlreadyExists(StorageError):
    def __init__(self) -> None:
        super().__init__("This device already holds an offline copy of the record; unlock it or forget the device first.")


class WrongPin(StorageError):
    def __init__(self, remaining_attempts: int) -> None:
        self.remaining_attempts = remaining_attempts
        super().__init__(f"Wrong PIN. {remaining_attempts} attempt(s) left before the offline copy is erased.")


class CacheWiped(StorageError):
    """Too many wrong PINs (or the device secret vanished): the cache was erased."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"The offline copy of the record was erased ({reason}). Sign in again to download it.")


class WeakPin(StorageError):
    def __init__(self, reason: str) -> None:
        super().__init__(f"This PIN cannot be used: {reason}.")


class CacheCorrupt(StorageError):
    def __init__(self, detail: str) -> None:
        super().__init__(f"The offline copy of the record is damaged ({detail}). Sign in again to download it.")


class SchemaTooNew(StorageError):
    def __init__(self, found: int, supported: int) -> None:
        super().__init__(f"The offline copy was written by a newer version of Carnet (schema {found}, "
                         f"this version knows up to {supported}). Update the app.")


class InvalidResource(StorageError):
    """A FHIR resource that cannot be stored: not JSON, not an object, no type or id."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"Invalid health record entry: {detail}.")


class FileTooLarge(StorageError):
    def __init__(self, size: int, limit: int) -> None:
        self.size, self.limit = size, limit
        super().__init__(f"This file is too large ({size / 1_000_000:.1f} MB); the limit is {limit / 1_000_000:.0f} MB.")


class FileNotFetched(StorageError):
    def __init__(self, binary_id: str) -> None:
        self.binary_id = binary_id
        super().__init__("This document has not been downloaded to this device yet.")


class FileCorrupt(StorageError):
    def __init__(self, binary_id: str) -> None:
        self.binary_id = binary_id
        super().__init__("This document's file on the device is damaged; it will be downloaded again.")


class NotFound(StorageError):
    def __init__(self, what: str) -> None:
        super().__init__(f"{what} is not in the offline copy.")


class InvalidChange(StorageError):
    def __init__(self, detail: str) -> None:
        super().__init__(f"This change cannot be applied: {detail}.")
