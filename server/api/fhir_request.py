"""Reading FHIR requests safely: content types, size caps, JSON parsing, If-Match.

Bodies are read as a stream and refused (413) as soon as they pass their cap, so an
oversized upload is never held in memory whole; a declared Content-Length over the cap
is refused before reading anything.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request

from server.errors import InvalidInput, TooLarge, UnsupportedMedia
from server.services.binaries import media_type

JSON_TYPES = ("application/fhir+json", "application/json")
# A base64 FHIR Binary is a third larger than its file, plus a little JSON around it.
_BASE64_OVERHEAD = 4 / 3
_JSON_SLACK = 64 * 1024
_ETAG = re.compile(r'^(?:W/)?"?(\d{1,9})"?$')


@dataclass(frozen=True)
class BinaryUpload:
    """A file as sent: raw bytes with their type, or a FHIR Binary JSON resource."""

    content_type: str
    data: bytes | None = None
    resource: object | None = None
    security_context: str | None = None


async def read_limited(request: Request, limit: int, what: str) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise InvalidInput("Content-Length must be a number of bytes.")
        if int(declared) > limit:
            raise TooLarge(f"The {what} is larger than the {limit} bytes allowed.")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise TooLarge(f"The {what} is larger than the {limit} bytes allowed.")
    return bytes(body)


def parse_json(raw: bytes) -> object:
    if not raw.strip():
        raise InvalidInput("The request body is empty: send a FHIR resource as JSON.")
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant)
    except UnicodeDecodeError:
        raise InvalidInput("The request body is not UTF-8 text.") from None
    except json.JSONDecodeError as error:
        raise InvalidInput(f"The request body is not valid JSON ({error.msg} at line {error.lineno}, "
                           f"column {error.colno}).") from None
    except RecursionError:
        raise InvalidInput("The request body is nested too deeply.") from None


def _refuse_constant(name: str):
    raise InvalidInput(f"{name} is not a JSON number FHIR accepts.")


def require_json_type(request: Request) -> None:
    kind = media_type(request.headers.get("content-type"))
    if kind not in JSON_TYPES:
        raise UnsupportedMedia(f"Send FHIR resources as application/fhir+json (got {kind or 'no content type'!r}).")


async def fhir_json_body(request: Request) -> object:
    """The parsed JSON body of a create or update."""
    require_json_type(request)
    raw = await read_limited(request, request.app.state.settings.max_json_body_bytes, "request body")
    return parse_json(raw)


async def binary_upload(request: Request) -> BinaryUpload:
    """A file upload: raw bytes (any Content-Type, checked later) or a FHIR Binary in JSON."""
    settings = request.app.state.settings
    kind = media_type(request.headers.get("content-type"))
    if kind in JSON_TYPES:
        limit = int(settings.max_binary_bytes * _BASE64_OVERHEAD) + _JSON_SLACK
        return BinaryUpload(kind, resource=parse_json(await read_limited(request, limit, "file")))
    if not kind:
        raise UnsupportedMedia("Say what the file is with a Content-Type header.")
    data = await read_limited(request, settings.max_binary_bytes, "file")
    return BinaryUpload(kind, data=data, security_context=request.headers.get("x-security-context"))


def expected_version(if_match: Annotated[str | None, Header(alias="If-Match")] = None) -> int | None:
    """The version named by If-Match (W/"3", "3" or 3), or None without one."""
    if if_match is None:
        return None
    match = _ETAG.match(if_match.strip())
    if not match:
        raise InvalidInput('If-Match must name a version as W/"<versionId>".')
    return int(match.group(1))


def wants_fhir_json(request: Request) -> bool:
    accept = request.headers.get("accept", "").lower()
    return any(kind in accept for kind in JSON_TYPES) or request.query_params.get("_format") in ("json", *JSON_TYPES)


FhirJsonBody = Annotated[object, Depends(fhir_json_body)]
BinaryBody = Annotated[BinaryUpload, Depends(binary_upload)]
ExpectedVersion = Annotated[int | None, Depends(expected_version)]
