"""Who is asking: the signed-in account behind a request."""
from __future__ import annotations

from dataclasses import dataclass

from server.models import AccountKind


@dataclass(frozen=True)
class Principal:
    account_id: str
    kind: AccountKind
    # FHIR id of the account's Patient (patients) or Practitioner (professionals) resource.
    fhir_id: str
    device_id: str
    profession: str | None = None

    @property
    def is_patient(self) -> bool:
        return self.kind == AccountKind.patient

    @property
    def is_professional(self) -> bool:
        return self.kind == AccountKind.professional

    @property
    def reference(self) -> str:
        resource = "Patient" if self.is_patient else "Practitioner"
        return f"{resource}/{self.fhir_id}"
