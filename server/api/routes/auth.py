"""Accounts and sign-in: activation or opposition, one-time-code login, tokens, devices,
authenticator app, recovery codes, closing a space.

Secrets and codes only ever travel in JSON bodies, never in URLs.
"""
from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field

from server.api.deps import CurrentPatient, CurrentPrincipal, DeliveryDep, SessionDep, SettingsDep
from server.services import accounts, second_factor, sign_in

router = APIRouter(prefix="/auth", tags=["auth"])

Identifier = Field(min_length=1, max_length=40)
Password = Field(min_length=1, max_length=256)
Code = Field(min_length=1, max_length=32)
ChallengeId = Field(min_length=1, max_length=64)


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ActivationRequest(Body):
    ins: str = Identifier
    provisional_code: str = Code
    password: str = Password
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=32)


class CodeAnswer(Body):
    challenge_id: str = ChallengeId
    code: str = Code


class OppositionRequest(Body):
    ins: str = Identifier
    provisional_code: str = Code


class LoginRequest(Body):
    identifier: str = Identifier
    password: str = Password
    channel: Literal["email", "sms", "totp", "recovery"] = "email"
    device_name: str = Field(min_length=1, max_length=100)


class RefreshRequest(Body):
    refresh_token: str = Field(min_length=1, max_length=128)


class PasswordConfirmation(Body):
    password: str = Password


class CloseRequest(Body):
    password: str = Password
    confirm: Literal[True] = Field(description="true: I have exported what I want to keep "
                                               "(GET /fhir/Patient/{id}/$export-archive).")


class TotpCode(Body):
    code: str = Code


class Challenge(BaseModel):
    challenge_id: str
    channel: str
    expires_in: int
    sent_to: str | None


class Activation(BaseModel):
    challenges: list[Challenge]


class Tokens(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str
    expires_in: int
    device_id: str


class Status(BaseModel):
    status: str
    message: str


class SignedInDevice(BaseModel):
    id: str
    name: str
    created_at: datetime
    last_seen_at: datetime
    current: bool


class TotpEnrolment(BaseModel):
    secret: str
    otpauth_uri: str
    qr_svg: str


class RecoveryCodes(BaseModel):
    recovery_codes: list[str]


class Closed(BaseModel):
    status: str
    closed_at: datetime
    purge_after: datetime
    message: str


class Me(BaseModel):
    account_id: str
    kind: str
    identifier: str
    display_name: str
    reference: str
    profession: str | None
    status: str
    email: str | None
    email_confirmed: bool
    phone: str | None
    phone_confirmed: bool
    totp_enabled: bool
    recovery_codes_left: int
    device_id: str


REFUSED = {401: {"description": "Refused; the same answer whether or not the account exists"},
           429: {"description": "Too many failures: wait for Retry-After seconds"}}


@router.post("/activation", response_model=Activation, responses=REFUSED)
def start_activation(body: ActivationRequest, session: SessionDep, settings: SettingsDep,
                     delivery: DeliveryDep) -> Activation:
    """Activate a new space with its INS and provisional code: sets the password and sends a
    code to each contact given (e-mail and/or phone), to confirm with /auth/activation/confirm."""
    started = accounts.start_activation(session, settings, delivery, **body.model_dump())
    return Activation(challenges=[Challenge(**vars(c)) for c in started.challenges])


@router.post("/activation/confirm", response_model=Status, responses=REFUSED)
def confirm_activation(body: CodeAnswer, session: SessionDep, settings: SettingsDep) -> Status:
    accounts.confirm_activation(session, settings, challenge_id=body.challenge_id, code=body.code)
    return Status(status="active", message="Your space is active: sign in with your INS and password.")


@router.post("/opposition", response_model=Status, responses=REFUSED)
def oppose(body: OppositionRequest, session: SessionDep, settings: SettingsDep) -> Status:
    """Refuse the creation of a space: it is deleted with all its data, and the code stops working."""
    accounts.oppose(session, settings, ins=body.ins, provisional_code=body.provisional_code)
    return Status(status="deleted", message="Your space and its data have been deleted.")


@router.post("/login", response_model=Challenge, responses=REFUSED)
def login(body: LoginRequest, session: SessionDep, settings: SettingsDep, delivery: DeliveryDep) -> Challenge:
    """Identifier (INS or RPPS) and password: a one-time code is sent by e-mail or SMS (or comes
    from the authenticator app, or is a recovery code). Answer it at /auth/login/verify."""
    sent = sign_in.start_sign_in(session, settings, delivery, **body.model_dump())
    return Challenge(**vars(sent))


@router.post("/login/verify", response_model=Tokens, responses=REFUSED)
def verify_login(body: CodeAnswer, session: SessionDep, settings: SettingsDep) -> Tokens:
    """The one-time code (or a recovery code): tokens for the device named at /auth/login."""
    issued = sign_in.finish_sign_in(session, settings, challenge_id=body.challenge_id, code=body.code)
    return Tokens(**vars(issued))


@router.post("/token/refresh", response_model=Tokens, responses=REFUSED)
def refresh(body: RefreshRequest, session: SessionDep, settings: SettingsDep) -> Tokens:
    """New tokens for the same device; the refresh token used stops working."""
    return Tokens(**vars(sign_in.refresh(session, settings, body.refresh_token)))


@router.post("/logout", status_code=204)
def logout(principal: CurrentPrincipal, session: SessionDep) -> Response:
    """Sign this device out: its tokens stop working at once."""
    sign_in.sign_out(session, principal)
    return Response(status_code=204)


@router.get("/devices", response_model=list[SignedInDevice])
def devices(principal: CurrentPrincipal, session: SessionDep) -> list[SignedInDevice]:
    return [SignedInDevice(**vars(d)) for d in sign_in.list_devices(session, principal)]


@router.delete("/devices/{device_id}", status_code=204)
def revoke_device(device_id: str, principal: CurrentPrincipal, session: SessionDep) -> Response:
    """Sign a device out: its tokens stop working at once."""
    sign_in.revoke_device(session, principal, device_id[:64])
    return Response(status_code=204)


@router.post("/totp", response_model=TotpEnrolment)
def enrol_totp(principal: CurrentPrincipal, session: SessionDep) -> TotpEnrolment:
    """Start enrolling an authenticator app: scan the QR code, then confirm with /auth/totp/confirm."""
    return TotpEnrolment(**vars(second_factor.start_totp_enrolment(session, principal)))


@router.post("/totp/confirm", response_model=RecoveryCodes)
def confirm_totp(body: TotpCode, principal: CurrentPrincipal, session: SessionDep,
                 settings: SettingsDep) -> RecoveryCodes:
    """A first code from the app turns it on; the answer holds recovery codes, shown only once."""
    return RecoveryCodes(recovery_codes=second_factor.confirm_totp(session, settings, principal, body.code))


@router.post("/totp/disable", response_model=Status, responses=REFUSED)
def disable_totp(body: PasswordConfirmation, principal: CurrentPrincipal, session: SessionDep,
                 settings: SettingsDep) -> Status:
    second_factor.disable_totp(session, settings, principal, body.password)
    return Status(status="disabled", message="The authenticator app no longer signs you in.")


@router.post("/recovery-codes", response_model=RecoveryCodes, responses=REFUSED)
def regenerate_recovery_codes(body: PasswordConfirmation, principal: CurrentPrincipal, session: SessionDep,
                              settings: SettingsDep) -> RecoveryCodes:
    """New single-use recovery codes, shown only once; the previous ones stop working."""
    codes = second_factor.regenerate_recovery_codes(session, settings, principal, body.password)
    return RecoveryCodes(recovery_codes=codes)


@router.post("/close", response_model=Closed, responses=REFUSED)
def close(body: CloseRequest, patient: CurrentPatient, session: SessionDep, settings: SettingsDep) -> Closed:
    """Close your space. Export your record first: `GET /fhir/Patient/{id}/$export-archive` gives
    a ZIP with the whole record (FHIR bundle), its files and a PDF summary. Once closed, the space
    can no longer be opened; its data is archived for the legal retention period, then erased."""
    closed = accounts.close_space(session, settings, patient.account_id, password=body.password)
    return Closed(status="closed", closed_at=closed.closed_at, purge_after=closed.purge_after,
                  message="Your space is closed and you are signed out everywhere. Its data is archived "
                          "until purge_after, then erased.")


@router.get("/me", response_model=Me)
def me(principal: CurrentPrincipal, session: SessionDep) -> Me:
    return Me(**vars(sign_in.describe(session, principal)))
