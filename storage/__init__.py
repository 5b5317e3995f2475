"""The device's encrypted offline cache (SQLCipher). Start from `DeviceCache`."""
from storage.cache import Cache
from storage.device import DeviceCache
from storage.keys import KdfParams
from storage.secrets import KeyringSecretStore, MemorySecretStore, NoSecretStore, SecretStore

__all__ = ["Cache", "DeviceCache", "KdfParams", "KeyringSecretStore", "MemorySecretStore",
           "NoSecretStore", "SecretStore"]
