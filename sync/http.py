"""The one way the device builds an HTTP client: TLS verified, timeouts everywhere.

Plain http is accepted only for a server on this machine (a developer's or the demo's);
anything else must be https, verified against the system's CAs or a configured bundle.
"""
from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

import httpx

from sync.errors import InsecureServerUrl

DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=30.0, write=30.0, pool=5.0)


def is_loopback_host(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_server_url(server_url: str) -> str:
    """The URL without a trailing slash, or InsecureServerUrl."""
    parts = urlsplit(server_url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise InsecureServerUrl(f"Not a server address: {server_url!r}.")
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise InsecureServerUrl("The server must use https (plain http only to this machine).")
    if parts.username or parts.password:
        raise InsecureServerUrl("The server address must not contain a user name or password.")
    return server_url.strip().rstrip("/")


def make_http_client(server_url: str, *, ca_bundle: str | None = None,
                     transport: httpx.BaseTransport | None = None,
                     timeout: httpx.Timeout = DEFAULT_TIMEOUT) -> httpx.Client:
    """An httpx client for `server_url`. Tests hand in a transport to reach a test server or inject faults."""
    base_url = check_server_url(server_url)
    return httpx.Client(
        base_url=base_url,
        verify=ca_bundle if ca_bundle else True,
        timeout=timeout,
        transport=transport,
        follow_redirects=False,  # a redirect could carry the Authorization header elsewhere
        headers={"User-Agent": "Carnet-device/0.1", "Accept": "application/fhir+json, application/json"},
    )
