"""The device's client for the Carnet server: sign-in and the FHIR API.

Every answer is checked before it is handed on; every failure becomes one of
`sync.errors`, with a message fit to show (the server's OperationOutcome text when
there is one). Tokens never appear in errors or logs.
"""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Callable
from urllib.parse import quote

import httpx

from sync.errors import (
    BadServerAnswer,
    Offline,
    Refused,
    ServerUnavailable,
    SessionExpired,
)
from storage.records import CatalogueApp, Grant
from sync.catalogue_records import AppHistoryPage, parse_apps, parse_grant, parse_grants, parse_history
from sync.privacy_records import ClosedSpace, PrivacyChoices, parse_closed, parse_privacy

FHIR_JSON = "application/fhir+json"
_CURRENT = object()  # `_refresh`'s default: whatever tokens are held now


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    device_id: str
    expires_in: int

    def __repr__(self) -> str:  # never let a log line or a traceback carry a token
        return f"Tokens(device_id={self.device_id!r}, access_token=<hidden>, refresh_token=<hidden>)"


@dataclass(frozen=True)
class CodeChallenge:
    challenge_id: str
    channel: str
    expires_in: int
    sent_to: str | None


@dataclass(frozen=True)
class SignedInDevice:
    id: str
    name: str
    created_at: str
    last_seen_at: str
    current: bool  # the device asking


@dataclass(frozen=True)
class FeedPage:
    bundle: dict
    cursor: str
    has_more: bool

    @property
    def entries(self) -> list[dict]:
        return self.bundle.get("entry") or []


@dataclass(frozen=True)
class PushResult:
    status: int
    resource: dict | None
    version: str | None


class VersionConflict(Refused):
    """412: the server's copy changed since the version the change was based on."""


def outcome_message(response: httpx.Response) -> str:
    """The readable text of an OperationOutcome answer, or a generic one."""
    try:
        body = response.json()
        issues = body.get("issue") or []
        texts = [i.get("diagnostics") or (i.get("details") or {}).get("text") for i in issues]
        text = "; ".join(t for t in texts if t)
        if text:
            return text
    except (ValueError, AttributeError):
        pass
    return f"The server refused the request ({response.status_code})."


class CarnetApi:
    """One server, one signed-in device. `on_tokens` is told about every new pair of tokens
    (the caller keeps them in the encrypted cache)."""

    def __init__(self, http: httpx.Client, tokens: Tokens | None = None,
                 on_tokens: Callable[[Tokens | None], None] | None = None):
        self.http = http
        self.tokens = tokens
        self._on_tokens = on_tokens or (lambda _tokens: None)
        self._refresh_lock = threading.Lock()

    # -- activation and sign-in ------------------------------------------------------
    def start_activation(self, ins: str, provisional_code: str, password: str,
                         email: str | None = None, phone: str | None = None) -> list[CodeChallenge]:
        body = {"ins": ins, "provisional_code": provisional_code, "password": password,
                "email": email, "phone": phone}
        answer = self._json("POST", "/auth/activation", json=body, signed=False)
        return [self._challenge(c) for c in answer.get("challenges", [])]

    def confirm_activation(self, challenge_id: str, code: str) -> None:
        self._json("POST", "/auth/activation/confirm", json={"challenge_id": challenge_id, "code": code},
                   signed=False)

    def oppose(self, ins: str, provisional_code: str) -> None:
        self._json("POST", "/auth/opposition", json={"ins": ins, "provisional_code": provisional_code},
                   signed=False)

    def start_sign_in(self, identifier: str, password: str, channel: str, device_name: str) -> CodeChallenge:
        body = {"identifier": identifier, "password": password, "channel": channel, "device_name": device_name}
        return self._challenge(self._json("POST", "/auth/login", json=body, signed=False))

    def finish_sign_in(self, challenge_id: str, code: str) -> Tokens:
        answer = self._json("POST", "/auth/login/verify", json={"challenge_id": challenge_id, "code": code},
                            signed=False)
        self._set_tokens(self._tokens(answer))
        return self.tokens

    def me(self) -> dict:
        return self._json("GET", "/auth/me")

    def devices(self) -> list[SignedInDevice]:
        """The account's signed-in devices, oldest first."""
        answer = self._json("GET", "/auth/devices")
        try:
            return [SignedInDevice(str(d["id"]), str(d["name"]), str(d["created_at"]), str(d["last_seen_at"]),
                                   bool(d["current"])) for d in answer]
        except (TypeError, KeyError) as error:
            raise BadServerAnswer(f"unexpected list of devices ({type(error).__name__})") from None

    def revoke_device(self, device_id: str) -> None:
        self._send("DELETE", f"/auth/devices/{device_id}")

    def sign_out(self) -> None:
        """Revoke this device on the server (best effort) and forget the tokens."""
        try:
            if self.tokens:
                self._send("POST", "/auth/logout", retry_on_expiry=False)
        except (Offline, ServerUnavailable, SessionExpired):
            pass
        finally:
            self._set_tokens(None)

    # -- privacy choices (patients; `patient`: the Patient id of a represented minor) ----
    def privacy(self, patient: str | None = None) -> PrivacyChoices:
        return parse_privacy(self._json("GET", "/privacy", params=_for_patient(patient)))

    def set_regular_doctor(self, practitioner: str | None, patient: str | None = None) -> PrivacyChoices:
        """`practitioner` is "Practitioner/<id>", or None for no regular doctor."""
        return parse_privacy(self._json("PUT", "/privacy/regular-doctor", json={"practitioner": practitioner},
                                        params=_for_patient(patient)))

    def block(self, practitioner_id: str, patient: str | None = None) -> PrivacyChoices:
        return parse_privacy(self._json("PUT", f"/privacy/blocks/{quote(practitioner_id, safe='')}",
                                        params=_for_patient(patient)))

    def unblock(self, practitioner_id: str, patient: str | None = None) -> PrivacyChoices:
        return parse_privacy(self._json("DELETE", f"/privacy/blocks/{quote(practitioner_id, safe='')}",
                                        params=_for_patient(patient)))

    def set_emergency_access(self, allowed: bool, patient: str | None = None) -> PrivacyChoices:
        return parse_privacy(self._json("PUT", "/privacy/emergency-access", json={"allowed": bool(allowed)},
                                        params=_for_patient(patient)))

    def set_notifications(self, *, email_on_first_access: bool | None = None,
                          email_on_new_document: bool | None = None, patient: str | None = None) -> PrivacyChoices:
        body = {name: value for name, value in (("email_on_first_access", email_on_first_access),
                                                ("email_on_new_document", email_on_new_document))
                if value is not None}
        return parse_privacy(self._json("PUT", "/privacy/notifications", json=body, params=_for_patient(patient)))

    # -- the app catalogue (patients) -------------------------------------------------------
    def catalogue(self) -> list[CatalogueApp]:
        """The referenced apps, by category then name, and what each asks for."""
        return parse_apps(self._json("GET", "/catalogue"))

    def grants(self) -> list[Grant]:
        """The apps the patient let in, the most recent first."""
        return parse_grants(self._json("GET", "/catalogue/grants"))

    def set_grant(self, app_id: str, scopes: str) -> Grant:
        """The grant gives exactly `scopes` from now on (the app's tokens are narrowed at once)."""
        return parse_grant(self._json("PUT", f"/catalogue/grants/{quote(app_id, safe='')}", json={"scopes": scopes}))

    def revoke_grant(self, app_id: str) -> None:
        self._send("DELETE", f"/catalogue/grants/{quote(app_id, safe='')}")

    def app_history(self, app_id: str, count: int = 20, before: int | None = None) -> AppHistoryPage:
        """What the app did in the record, newest first; `before` from the previous page."""
        params = {"_count": str(count), **({"before": str(before)} if before else {})}
        return parse_history(app_id, self._json("GET", f"/catalogue/grants/{quote(app_id, safe='')}/history",
                                                params=params))

    # -- the whole record, and closing the space ---------------------------------------
    def export_archive(self, patient_id: str, write: Callable[[bytes], None], *, max_bytes: int | None = None,
                       on_progress: Callable[[int], None] | None = None) -> int:
        """Stream the record's ZIP archive (`$export-archive`) into `write`, a slice at a time;
        returns its size. Past `max_bytes` it stops and refuses (413) without reading on."""
        path = f"/fhir/Patient/{quote(patient_id, safe='')}/$export-archive"
        for attempt in (1, 2):
            request = self.http.build_request("GET", path, headers={**self._auth(), "Accept": "application/zip"},
                                              timeout=httpx.Timeout(30.0, read=120.0))
            try:
                response = self.http.send(request, stream=True)
            except httpx.TransportError as error:
                raise Offline("The server cannot be reached.") from error
            try:
                if response.status_code == 401 and attempt == 1 and self._refresh():
                    continue
                if response.status_code >= 400:
                    response.read()
                    self._raise_for_status(response)
                return _stream_capped(response, write, max_bytes, on_progress)
            except httpx.TransportError as error:
                raise Offline("The connection broke while downloading the archive.") from error
            finally:
                response.close()
        raise SessionExpired("Your session has expired: please sign in again.")

    def close_space(self, password: str) -> ClosedSpace:
        """Close the patient's space (their password confirms it); the server signs every
        device out. A wrong password is a Refused (401), not an expired session."""
        for attempt in (1, 2):
            response = self._send("POST", "/auth/close", json={"password": password, "confirm": True},
                                  allow={401, 429}, retry_on_expiry=False)
            if response.status_code == 429:  # too many wrong passwords: counted like sign-in failures
                raise Refused(outcome_message(response), 429)
            if response.status_code != 401:
                return parse_closed(self._body(response))
            # The server asks for a bearer token (WWW-Authenticate) when the token is the trouble.
            if "www-authenticate" not in response.headers:
                raise Refused(outcome_message(response), 401)
            if attempt == 2 or not self._refresh():
                break
        raise SessionExpired("Your session has expired: please sign in again.")

    # -- record ------------------------------------------------------------------------
    def changes(self, patient_id: str, cursor: str | None, count: int = 200, wait: int = 0) -> FeedPage:
        """One page of the change feed. With `wait`, the server holds an empty answer up to that
        many seconds until something changes (long-poll)."""
        params = {"_count": str(count)}
        if cursor:
            params["cursor"] = cursor
        extra = {}
        if wait:
            params["_wait"] = str(wait)
            extra["timeout"] = httpx.Timeout(connect=5.0, read=wait + 15.0, write=30.0, pool=5.0)
        bundle = self._json("GET", f"/fhir/Patient/{patient_id}/$changes", params=params, **extra)
        return parse_feed_page(bundle)

    def read(self, resource_type: str, resource_id: str) -> dict | None:
        response = self._send("GET", f"/fhir/{resource_type}/{resource_id}", allow={404, 410})
        return None if response.status_code in (404, 410) else self._body(response)

    def put(self, resource: dict, if_match: str | None) -> PushResult:
        headers = {"Content-Type": FHIR_JSON}
        if if_match:
            headers["If-Match"] = f'W/"{if_match}"'
        path = f"/fhir/{resource['resourceType']}/{resource['id']}"
        response = self._send("PUT", path, content=json.dumps(resource), headers=headers)
        body = self._body(response)
        return PushResult(response.status_code, body, (body.get("meta") or {}).get("versionId"))

    def delete(self, resource_type: str, resource_id: str, if_match: str | None) -> PushResult:
        headers = {"If-Match": f'W/"{if_match}"'} if if_match else {}
        response = self._send("DELETE", f"/fhir/{resource_type}/{resource_id}", headers=headers,
                              allow={404, 410})
        return PushResult(response.status_code, None, None)

    def mark_read(self, message_id: str) -> dict:
        """The read receipt of a message addressed to the patient (server/FEED.md): the server
        sets its `received` once and answers the message; repeating it changes nothing."""
        return self._json("POST", f"/fhir/Communication/{message_id}/$mark-read",
                          headers={"Accept": FHIR_JSON})

    def put_binary(self, binary_id: str, content_type: str, data: bytes) -> None:
        self._send("PUT", f"/fhir/Binary/{binary_id}", content=data, headers={"Content-Type": content_type})

    def download_binary(self, binary_id: str, max_bytes: int) -> tuple[str, bytes]:
        """The file's content type and bytes; refuses (without reading on) past `max_bytes`."""
        for attempt in (1, 2):
            used = self.tokens
            request = self.http.build_request("GET", f"/fhir/Binary/{binary_id}",
                                              headers={**self._auth(), "Accept": "*/*"})
            try:
                response = self.http.send(request, stream=True)
            except httpx.TransportError as error:
                raise Offline("The server cannot be reached.") from error
            try:
                if response.status_code == 401 and attempt == 1 and self._refresh(used):
                    continue
                if response.status_code >= 400:
                    response.read()
                    self._raise_for_status(response)
                return response.headers.get("content-type", "application/octet-stream"), \
                    _read_capped(response, max_bytes)
            except httpx.TransportError as error:
                raise Offline("The connection broke while downloading a file.") from error
            finally:
                response.close()
        raise SessionExpired("Your session has expired: please sign in again.")

    # -- plumbing ----------------------------------------------------------------------
    def _json(self, method: str, path: str, *, signed: bool = True, **kwargs):
        return self._body(self._send(method, path, signed=signed, **kwargs))

    def _send(self, method: str, path: str, *, signed: bool = True, allow: set[int] = frozenset(),
              retry_on_expiry: bool = True, **kwargs) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}) or {})
        for attempt in (1, 2):
            used = self.tokens
            request_headers = {**headers, **(self._auth() if signed else {})}
            try:
                response = self.http.request(method, path, headers=request_headers, **kwargs)
            except httpx.TransportError as error:
                raise Offline("The server cannot be reached.") from error
            if (response.status_code == 401 and signed and retry_on_expiry and attempt == 1
                    and self._refresh(used)):
                continue
            if response.status_code not in allow:
                self._raise_for_status(response)
            return response
        raise SessionExpired("Your session has expired: please sign in again.")

    def _raise_for_status(self, response: httpx.Response) -> None:
        status = response.status_code
        if status < 400:
            return
        if status == 401 and response.request.headers.get("authorization"):
            raise SessionExpired("Your session has expired: please sign in again.")
        if status == 429 or status >= 500:
            retry_after = response.headers.get("retry-after")
            seconds = float(retry_after) if retry_after and retry_after.isdigit() else None
            if status == 429 and not response.request.headers.get("authorization"):
                raise Refused(outcome_message(response), status)
            raise ServerUnavailable(f"The server is busy or failing ({status}).", seconds)
        if status == 412:
            raise VersionConflict(outcome_message(response), status)
        raise Refused(outcome_message(response), status)

    def _refresh(self, used: Tokens | None | object = _CURRENT) -> bool:
        """Swap the refresh token for new tokens; False (and tokens forgotten) if refused.

        Threads share one API (the sync, the server watch, the document viewer). They
        refresh one at a time, and a thread whose expired tokens (`used`) another thread
        has just replaced retries with the new ones: spending a rotated refresh token again
        looks like theft to the server, which then revokes the device."""
        with self._refresh_lock:
            if used is not _CURRENT and self.tokens is not used:
                return self.tokens is not None
            return self._refresh_now()

    def _refresh_now(self) -> bool:
        if not self.tokens:
            return False
        try:
            response = self.http.post("/auth/token/refresh", json={"refresh_token": self.tokens.refresh_token})
        except httpx.TransportError as error:
            raise Offline("The server cannot be reached.") from error
        if response.status_code >= 500:
            raise ServerUnavailable(f"The server is busy or failing ({response.status_code}).")
        if response.status_code != 200:
            self._set_tokens(None)
            return False
        self._set_tokens(self._tokens(self._body(response)))
        return True

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens.access_token}"} if self.tokens else {}

    def _set_tokens(self, tokens: Tokens | None) -> None:
        self.tokens = tokens
        self._on_tokens(tokens)

    @staticmethod
    def _body(response: httpx.Response):
        if response.status_code == 204 or not response.content:
            return {}
        try:
            return response.json()
        except ValueError as error:
            raise BadServerAnswer("The server's answer was not valid JSON.") from error

    @staticmethod
    def _tokens(answer: dict) -> Tokens:
        try:
            return Tokens(str(answer["access_token"]), str(answer["refresh_token"]),
                          str(answer["device_id"]), int(answer["expires_in"]))
        except (KeyError, TypeError, ValueError) as error:
            raise BadServerAnswer("The server's sign-in answer is incomplete.") from error

    @staticmethod
    def _challenge(answer: dict) -> CodeChallenge:
        try:
            return CodeChallenge(str(answer["challenge_id"]), str(answer["channel"]),
                                 int(answer["expires_in"]), answer.get("sent_to"))
        except (KeyError, TypeError, ValueError) as error:
            raise BadServerAnswer("The server's sign-in answer is incomplete.") from error


def _read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise Refused(f"The file is larger than {max_bytes // (1024 * 1024)} MB.", 413)
        chunks.append(chunk)
    return b"".join(chunks)


def _stream_capped(response: httpx.Response, write: Callable[[bytes], None], max_bytes: int | None,
                   on_progress: Callable[[int], None] | None) -> int:
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if max_bytes is not None and size > max_bytes:
            raise Refused(f"The archive is larger than {max_bytes // (1024 * 1024)} MB.", 413)
        write(chunk)
        if on_progress is not None:
            on_progress(size)
    return size


def _for_patient(patient: str | None) -> dict[str, str]:
    return {"patient": patient} if patient else {}


def parse_feed_page(bundle) -> FeedPage:
    """Check a `$changes` page against server/FEED.md before anything is applied."""
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle" or bundle.get("type") != "history":
        raise BadServerAnswer("The change feed answer is not a history Bundle.")
    cursor = (bundle.get("identifier") or {}).get("value")
    if not isinstance(cursor, str) or not cursor:
        raise BadServerAnswer("The change feed page has no cursor.")
    tags = [t.get("code") for t in (bundle.get("meta") or {}).get("tag") or []
            if isinstance(t, dict) and t.get("system") == "urn:carnet:feed"]
    entries = bundle.get("entry") or []
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise BadServerAnswer("The change feed page's entries are malformed.")
    return FeedPage(bundle=bundle, cursor=cursor, has_more="has-more" in tags)
