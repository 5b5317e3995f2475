"""SMART App Launch scopes (v2, with the v1 forms still accepted): parsed and asked.

A resource scope is `<context>/<type>.<permissions>[?<restriction>]`:
- context `patient` (the patient in context), `user` or `system`;
- type a FHIR resource type or `*`;
- permissions, in this order, each at most once: `c` create, `r` read, `u` update,
  `d` delete, `s` search (v1's `read` = `rs`, `write` = `cud`, `*` = `cruds`);
- an optional restriction by search parameters, e.g.
  `patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory`.
Other scopes (`openid`, `fhirUser`, `launch/patient`, `offline_access`…) grant no data.

Several scopes add up. Carnet honours `category` and `code` restrictions (a token,
`system|code` or `code`); a scope restricted by any other parameter is kept but matches
nothing, the safe reading of a restriction we cannot check.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, quote

CONTEXTS = ("patient", "user", "system")
PERMISSIONS = "cruds"
_V1_PERMISSIONS = {"read": "rs", "write": "cud", "*": "cruds"}
_TYPE = re.compile(r"^(?:\*|[A-Z][A-Za-z]{1,63})$")
_OTHER = re.compile(r"^[\x21\x23-\x5B\x5D-\x7E]{1,200}$")  # RFC 6749 scope-token characters
_PARAMETER = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-:.]{0,63}$")
_CHECKED_RESTRICTIONS = ("category", "code")
MAX_SCOPES = 200


class InvalidScope(ValueError):
    """A scope string that is not SMART; the message says which scope and why."""


@dataclass(frozen=True)
class ResourceScope:
    context: str
    resource_type: str  # a FHIR type, or "*"
    permissions: frozenset[str]  # letters of "cruds"
    restrictions: tuple[tuple[str, str], ...] = ()

    def covers(self, resource_type: str, permission: str) -> bool:
        return permission in self.permissions and self.resource_type in ("*", resource_type)

    def admits(self, category: str | None, code: str | None) -> bool:
        """Whether a resource of this category and code meets the scope's restriction."""
        facets = {"category": category, "code": code}
        for name, value in self.restrictions:
            if name not in facets or facets[name] is None:
                return False
            if facets[name] not in {token.rsplit("|", 1)[-1] for token in value.split(",")}:
                return False
        return True

    @property
    def checked(self) -> bool:
        """Whether Carnet can check every restriction of this scope (else it matches nothing)."""
        return all(name in _CHECKED_RESTRICTIONS for name, _ in self.restrictions)

    @property
    def text(self) -> str:
        """The scope as OAuth carries it, permissions in SMART v2 order (`parse_scope` reads it back)."""
        letters = "".join(letter for letter in PERMISSIONS if letter in self.permissions)
        query = "&".join(f"{name}={quote(value, safe=':/|,.-_')}" for name, value in self.restrictions)
        return f"{self.context}/{self.resource_type}.{letters}" + (f"?{query}" if query else "")

    def encloses(self, other: "ResourceScope") -> bool:
        """Whether this scope names the same resources as `other`, or more (its permissions aside):
        the same context, the same type or `*`, and no restriction or the very same one."""
        return (self.context == other.context and self.resource_type in ("*", other.resource_type)
                and (not self.restrictions or self.restrictions == other.restrictions))


@dataclass(frozen=True)
class Scopes:
    """What a set of granted scopes allows."""

    resources: tuple[ResourceScope, ...] = ()
    other: tuple[str, ...] = ()

    def for_patient(self, resource_type: str, permission: str) -> tuple[ResourceScope, ...]:
        """The `patient/` scopes giving `permission` on `resource_type` that Carnet can check."""
        return tuple(scope for scope in self.resources
                     if scope.context == "patient" and scope.checked and scope.covers(resource_type, permission))

    def permits(self, resource_type: str, permission: str, *, category: str | None = None,
                code: str | None = None) -> bool:
        """Whether an app acting for the patient in context may `permission` a resource
        of this type (and, for restricted scopes, of this category and code)."""
        return any(scope.admits(category, code) for scope in self.for_patient(resource_type, permission))

    def permits_type(self, resource_type: str, permission: str) -> bool:
        """Whether some resource of this type may be `permission`ed (restrictions aside)."""
        return bool(self.for_patient(resource_type, permission))

    @property
    def text(self) -> str:
        """The space-separated scope string (as OAuth carries it)."""
        return " ".join([*(scope.text for scope in self.resources), *self.other])

    def narrowed_to(self, allowed: "Scopes") -> "Scopes":
        """These scopes cut down to what `allowed` also gives: each resource scope keeps the
        permissions some enclosing scope of `allowed` has (and goes if none is left); the
        other scopes stay only if `allowed` has them too."""
        kept = []
        for scope in self.resources:
            letters = scope.permissions & _permissions_enclosing(scope, allowed)
            if letters:
                kept.append(replace(scope, permissions=letters))
        return Scopes(tuple(kept), tuple(other for other in self.other if other in allowed.other))

    def beyond(self, allowed: "Scopes") -> tuple[str, ...]:
        """The resource scopes asking for more than `allowed` gives (as scope strings)."""
        return tuple(scope.text for scope in self.resources
                     if not scope.permissions <= _permissions_enclosing(scope, allowed))


def _permissions_enclosing(scope: ResourceScope, allowed: Scopes) -> frozenset[str]:
    return frozenset().union(*(a.permissions for a in allowed.resources if a.encloses(scope)))


def parse_scope(text: str) -> ResourceScope | str:
    """One scope: a ResourceScope, or the scope string itself if it grants no data."""
    if "/" not in text or text.startswith("launch/"):
        if not _OTHER.match(text):
            raise InvalidScope(f"{text[:60]!r} is not a valid scope.")
        return text
    context, _, rest = text.partition("/")
    if context not in CONTEXTS:
        raise InvalidScope(f"{text[:60]!r}: the context must be one of {', '.join(CONTEXTS)}.")
    body, _, query = rest.partition("?")
    resource_type, dot, permissions = body.rpartition(".")
    if not dot or not _TYPE.match(resource_type):
        raise InvalidScope(f"{text[:60]!r}: expected <context>/<resource type or *>.<permissions>.")
    return ResourceScope(context, resource_type, _permissions(text, permissions), _restrictions(text, query))


def parse_scopes(text: str) -> Scopes:
    """A space-separated scope string (as OAuth carries it)."""
    parts = text.split()
    if len(parts) > MAX_SCOPES:
        raise InvalidScope(f"At most {MAX_SCOPES} scopes may be granted at once.")
    parsed = [parse_scope(part) for part in parts]
    return Scopes(tuple(p for p in parsed if isinstance(p, ResourceScope)),
                  tuple(p for p in parsed if isinstance(p, str)))


def _permissions(text: str, letters: str) -> frozenset[str]:
    letters = _V1_PERMISSIONS.get(letters, letters)
    if not letters or not _in_order(letters):
        raise InvalidScope(f"{text[:60]!r}: permissions are some of c, r, u, d, s, in that order "
                           "(or read, write, * in SMART v1).")
    return frozenset(letters)


def _in_order(letters: str) -> bool:
    positions = [PERMISSIONS.find(letter) for letter in letters]
    return all(p >= 0 for p in positions) and positions == sorted(set(positions))


def _restrictions(text: str, query: str) -> tuple[tuple[str, str], ...]:
    if not query:
        return ()
    try:
        pairs = parse_qsl(query, keep_blank_values=False, strict_parsing=True)
    except ValueError:
        pairs = []
    if not pairs or not all(_PARAMETER.match(name) and value for name, value in pairs):
        raise InvalidScope(f"{text[:60]!r}: the restriction after '?' must be name=value pairs.")
    return tuple(sorted(pairs))
