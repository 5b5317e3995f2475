"""Sending codes to people: e-mail over SMTP, SMS, post, and the development delivery box.

Services never send directly: they call `send_after_commit`, and the message leaves
only once the transaction that created the code has committed. So a code is never
delivered for a challenge that was rolled back, and no SMTP exchange runs while the
transaction holds locks. Bodies carry codes and never health data; logs carry neither.
"""
from __future__ import annotations

import logging
import re
import smtplib
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from typing import Protocol

from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

from server import clock
from server.config import Settings
from server.db import transaction
from server.models import DeliveredMessage

log = logging.getLogger(__name__)

CHANNELS = ("email", "sms", "post")
_CODE_LINE = re.compile(r"^(?:Code|Provisional code|Code provisoire)\s*:\s*(\S+)\s*$", re.MULTILINE)


class Delivery(Protocol):
    def send(self, channel: str, recipient: str, subject: str, body: str) -> None: ...


@dataclass(frozen=True)
class DeliveredCode:
    """One message of the delivery box, as `carnet codes` shows it."""

    id: int
    channel: str
    recipient: str
    subject: str
    body: str
    code: str | None
    created_at: datetime


class DeliveryBox:
    """Keeps messages in the `delivery_box` table (dev/demo/test, and letters to print)."""

    lands_in_delivery_box = True

    def __init__(self, session_factory: sessionmaker[Session]):
        self.session_factory = session_factory

    def send(self, channel: str, recipient: str, subject: str, body: str) -> None:
        with transaction(self.session_factory) as session:
            session.add(DeliveredMessage(channel=channel, recipient=recipient[:320], subject=subject[:200],
                                         body=body, created_at=clock.utcnow()))


class DevSmsDelivery:
    """The development SMS gateway: the text message lands in the delivery box."""

    lands_in_delivery_box = True

    def __init__(self, box: DeliveryBox):
        self.box = box

    def send(self, channel: str, recipient: str, subject: str, body: str) -> None:
        self.box.send("sms", recipient, subject, body)


class SmtpEmailDelivery:
    """E-mail over SMTP (settings.smtp_*); one connection per message, STARTTLS if asked."""

    lands_in_delivery_box = False

    def __init__(self, settings: Settings, timeout: float = 15.0):
        self.settings = settings
        self.timeout = timeout

    def send(self, channel: str, recipient: str, subject: str, body: str) -> None:
        settings = self.settings
        message = EmailMessage()
        message["From"] = settings.smtp_sender
        message["To"] = recipient
        message["Subject"] = subject
        message.set_content(body)
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=self.timeout) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_username:
                smtp.login(settings.smtp_username, settings.smtp_password or "")
            smtp.send_message(message)


class PlatformDelivery:
    """Sends each message through its channel's provider; in dev/demo/test, copies it to the box."""

    def __init__(self, providers: dict[str, Delivery], copy_to: DeliveryBox | None):
        self.providers = providers
        self.copy_to = copy_to

    def send(self, channel: str, recipient: str, subject: str, body: str) -> None:
        provider = self.providers.get(channel)
        if self.copy_to is not None and not getattr(provider, "lands_in_delivery_box", False):
            self.copy_to.send(channel, recipient, subject, body)
        if provider is None:
            if self.copy_to is None:
                log.warning("no provider for %s messages: message to %s not sent", channel, mask(recipient))
            return
        provider.send(channel, recipient, subject, body)
        log.info("sent a %s message to %s", channel, mask(recipient))


def build_delivery(settings: Settings, session_factory: sessionmaker[Session]) -> PlatformDelivery:
    """The delivery the server uses: SMTP if a host is set, the dev SMS gateway outside production.

    Letters ("post") go to the delivery box, from which they are printed; in production
    that box is the mailing house's queue, and SMS need a real gateway (not built yet).
    """
    box = DeliveryBox(session_factory)
    providers: dict[str, Delivery] = {"post": box}
    if settings.smtp_host:
        providers["email"] = SmtpEmailDelivery(settings)
    if settings.copies_codes_to_delivery_box:
        providers["sms"] = DevSmsDelivery(box)
    return PlatformDelivery(providers, box if settings.copies_codes_to_delivery_box else None)


def send_after_commit(session: Session, delivery: Delivery, channel: str, recipient: str,
                      subject: str, body: str) -> None:
    """Send the message once `session`'s transaction commits; drop it if it rolls back."""
    info = session.info
    if "carnet_outbox" not in info:
        info["carnet_outbox"] = []
        event.listen(session, "after_commit", _remember_commit)
        event.listen(session, "after_rollback", _remember_rollback)
        event.listen(session, "after_transaction_end", _flush_outbox)
    info["carnet_outbox"].append((delivery, (channel, recipient, subject, body)))


def _remember_commit(session: Session) -> None:
    session.info["carnet_outcome"] = "commit"


def _remember_rollback(session: Session) -> None:
    session.info["carnet_outcome"] = "rollback"


def _flush_outbox(session: Session, transaction) -> None:
    # Savepoints end too; only the outermost transaction decides whether codes exist.
    if transaction.parent is not None:
        return
    outbox, session.info["carnet_outbox"] = session.info.get("carnet_outbox", []), []
    if session.info.pop("carnet_outcome", None) != "commit":
        return
    for delivery, (channel, recipient, subject, body) in outbox:
        try:
            delivery.send(channel, recipient, subject, body)
        except Exception as exc:  # one failed send must not stop the others
            # The exception text may quote the message: log its type only.
            log.error("could not send a %s message to %s (%s)", channel, mask(recipient),
                      type(exc).__name__)


def latest_codes(session: Session, limit: int = 20) -> list[DeliveredCode]:
    """The newest messages of the delivery box, newest first (for `carnet codes`)."""
    rows = session.scalars(
        select(DeliveredMessage).order_by(DeliveredMessage.id.desc()).limit(max(1, min(limit, 1000)))
    )
    return [DeliveredCode(row.id, row.channel, row.recipient, row.subject, row.body,
                          code_in(row.body), row.created_at) for row in rows]


def code_in(body: str) -> str | None:
    """The code a message carries (on its `Code: …` line)."""
    found = _CODE_LINE.search(body)
    return found.group(1) if found else None


def mask(recipient: str) -> str:
    """`c•••@example.org`, `•••••••42`: enough to tell people where a code went."""
    if "@" in recipient:
        local, _, domain = recipient.partition("@")
        return f"{local[:1]}•••@{domain}"
    if len(recipient) > 4 and recipient.lstrip("+").isdigit():
        return "•" * (len(recipient) - 2) + recipient[-2:]
    return "•••"
