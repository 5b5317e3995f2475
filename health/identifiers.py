"""French identifiers used by Carnet: the INS of patients and the RPPS of professionals.

The INS (identifiant national de santé) of a person born in France is their NIR: 13
characters followed by a two-digit control key, key = 97 - (number mod 97). Corsican
departments 2A and 2B count as 19 and 18 when the key is computed.
"""
from __future__ import annotations

import re

INS_SYSTEM = "urn:oid:1.2.250.1.213.1.4.8"
RPPS_SYSTEM = "urn:oid:1.2.250.1.71.4.2.1"

_INS_SHAPE = re.compile(r"^[12378]\d{4}(\d{2}|2A|2B)\d{6}\d{2}$")
_RPPS_SHAPE = re.compile(r"^\d{11}$")


class InvalidIdentifier(ValueError):
    """An identifier that is malformed or whose control key does not match."""


def normalise_ins(value: str) -> str:
    """Return the INS without spaces, upper-cased; raise InvalidIdentifier if invalid."""
    ins = re.sub(r"[\s.-]", "", str(value or "")).upper()
    if len(ins) != 15 or not _INS_SHAPE.match(ins):
        raise InvalidIdentifier("An INS has 15 characters: 13 for the number and a 2-digit key.")
    if ins_key(ins[:13]) != int(ins[13:]):
        raise InvalidIdentifier("This INS's control key does not match its number.")
    return ins


def ins_key(number: str) -> int:
    """The control key of a 13-character NIR number."""
    department = number[5:7].upper()
    digits = number[:5] + {"2A": "19", "2B": "18"}.get(department, department) + number[7:]
    return 97 - (int(digits) % 97)


def make_ins(number: str) -> str:
    """Append the control key to a 13-character number (used to build demo identities)."""
    return f"{number}{ins_key(number):02d}"


def is_valid_ins(value: str) -> bool:
    try:
        normalise_ins(value)
    except InvalidIdentifier:
        return False
    return True


def normalise_rpps(value: str) -> str:
    """Return an 11-digit RPPS number whose Luhn check digit is right."""
    rpps = re.sub(r"\s", "", str(value or ""))
    if not _RPPS_SHAPE.match(rpps):
        raise InvalidIdentifier("An RPPS number has 11 digits.")
    if not _luhn_ok(rpps):
        raise InvalidIdentifier("This RPPS number's check digit does not match.")
    return rpps


def make_rpps(prefix10: str) -> str:
    """Append the Luhn check digit to 10 digits (used to build demo professionals)."""
    for d in "0123456789":
        if _luhn_ok(prefix10 + d):
            return prefix10 + d
    raise AssertionError("unreachable")


def _luhn_ok(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        n = int(ch)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0
