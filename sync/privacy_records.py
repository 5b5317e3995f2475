"""The patient's privacy choices as the server's `/privacy` routes give them, and a closed
space as `POST /auth/close` answers: typed, checked before anything is kept."""
from __future__ import annotations

from dataclasses import asdict, dataclass

from sync.errors import BadServerAnswer


@dataclass(frozen=True)
class Professional:
    practitioner: str  # "Practitioner/<id>"
    name: str
    profession: str | None  # a code of health.codes.PROFESSIONS

    @property
    def practitioner_id(self) -> str:
        return self.practitioner.split("/", 1)[-1]


@dataclass(frozen=True)
class BlockedProfessional(Professional):
    since: str | None = None  # ISO instant


@dataclass(frozen=True)
class PrivacyChoices:
    patient: str  # "Patient/<id>"
    regular_doctor: Professional | None
    blocked: tuple[BlockedProfessional, ...]
    emergency_access_allowed: bool
    email_on_first_access: bool
    email_on_new_document: bool
    email_on_emergency_access: bool = True  # always on: the server e-mails every emergency access

    def is_blocked(self, practitioner: str | None) -> bool:
        return practitioner is not None and any(b.practitioner == practitioner for b in self.blocked)

    def as_json(self) -> dict:
        """What the device keeps (in its encrypted settings) to show them offline."""
        return {**asdict(self), "blocked": [asdict(blocked) for blocked in self.blocked]}


@dataclass(frozen=True)
class ClosedSpace:
    closed_at: str  # ISO instants
    purge_after: str


def parse_privacy(answer) -> PrivacyChoices:
    """A `/privacy` answer (or what `as_json` kept); BadServerAnswer if it is not one."""
    try:
        notifications = answer.get("notifications") or {}
        doctor = answer.get("regular_doctor")
        return PrivacyChoices(
            patient=str(answer["patient"]),
            regular_doctor=_professional(doctor) if doctor else None,
            blocked=tuple(BlockedProfessional(**_professional_fields(b), since=_optional(b.get("since")))
                          for b in answer["blocked"]),
            emergency_access_allowed=_flag(answer["emergency_access_allowed"]),
            email_on_first_access=_flag(notifications.get("email_on_first_access",
                                                          answer.get("email_on_first_access"))),
            email_on_new_document=_flag(notifications.get("email_on_new_document",
                                                          answer.get("email_on_new_document"))),
        )
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise BadServerAnswer(f"unexpected privacy choices ({type(error).__name__})") from None


def parse_closed(answer) -> ClosedSpace:
    try:
        return ClosedSpace(str(answer["closed_at"]), str(answer["purge_after"]))
    except (KeyError, TypeError) as error:
        raise BadServerAnswer(f"unexpected answer to closing the space ({type(error).__name__})") from None


def _professional(value) -> Professional:
    return Professional(**_professional_fields(value))


def _professional_fields(value) -> dict:
    practitioner = str(value["practitioner"])
    if not practitioner.startswith("Practitioner/"):
        raise ValueError(practitioner)
    return {"practitioner": practitioner, "name": str(value["name"]), "profession": _optional(value.get("profession"))}


def _optional(value) -> str | None:
    return None if value is None else str(value)


def _flag(value) -> bool:
    if not isinstance(value, bool):
        raise TypeError("not a boolean")
    return value
