"""Who is asking: the signed-in account behind a request, or an app acting for a patient."""
from __future__ import annotations

from dataclasses import dataclass

from health.smart_scopes import Scopes
from server.models import AccountKind


@dataclass(frozen=True)
class AppAuthorisation:
    """An app the patient let into their record, with the SMART scopes they granted it."""

    app_id: str
    name: str  # as the patient knows it (shown in their access history)
    scopes: Scopes


@dataclass(frozen=True)
class Principal:
    """The account behind a request.

    An app principal is built for the patient who granted the app: `account_id`,
    `fhir_id` and `kind` are that patient's, `device_id` names the grant (or its token),
    and `app` carries the app and its scopes. It is neither `is_patient` nor
    `is_professional`: it may do only what both the patient and the scopes allow.
    """

    account_id: str
    kind: AccountKind
    # FHIR id of the account's Patient (patients) or Practitioner (professionals) resource.
    fhir_id: str
    device_id: str
    profession: str | None = None
    display_name: str = ""
    app: AppAuthorisation | None = None

    @property
    def is_patient(self) -> bool:
        return self.kind == AccountKind.patient and self.app is None

    @property
    def is_professional(self) -> bool:
        return self.kind == AccountKind.professional and self.app is None

    @property
    def is_app(self) -> bool:
        return self.app is not None

    @property
    def reference(self) -> str:
        resource = "Practitioner" if self.is_professional else "Patient"
        return f"{resource}/{self.fhir_id}"
