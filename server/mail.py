"""Outgoing mail behind one small interface: SMTP with STARTTLS in production, an outbox elsewhere.

No mailer ever logs a body: bodies carry reset codes, and logs travel further than mailboxes. In
development and tests the ``OutboxMailer`` keeps the last mails in memory for ``GET /api/v1/dev/outbox``
(mounted only there, on loopback).
"""

from __future__ import annotations

import asyncio
import logging
import smtplib
import ssl
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Protocol

from server.config import Settings

__all__ = ["Mail", "Mailer", "OutboxMailer", "SmtpMailer"]

log = logging.getLogger("schulte.mail")


@dataclass(frozen=True, slots=True)
class Mail:
    """One message."""

    to: str
    """Recipient address."""
    subject: str
    """Subject line."""
    body: str
    """Plain-text body."""
    sent_at: datetime
    """When it was handed to the mailer."""


class Mailer(Protocol):
    """Sends mail; must not raise for an unknown recipient or a failed delivery (no enumeration)."""

    async def send(self, to: str, subject: str, body: str) -> None:
        """Send one message."""


def _domain(address: str) -> str:
    """What the log may say about a recipient: the domain, enough to spot a failing provider."""
    return address.rpartition("@")[2]


class OutboxMailer:
    """Development mailer: keeps the last ``size`` mails in memory for the dev outbox.

    In-memory on purpose: it exists only outside production, where one worker is the norm.
    """

    def __init__(self, size: int = 100) -> None:
        self.outbox: deque[Mail] = deque(maxlen=size)

    async def send(self, to: str, subject: str, body: str) -> None:
        """Keep the mail; the log gets its subject only."""
        self.outbox.append(Mail(to, subject, body, datetime.now(UTC)))
        log.info("mail to @%s kept in the dev outbox: %s", _domain(to), subject)


class SmtpMailer:
    """Sends through an SMTP relay (submission, STARTTLS required, login from the environment).

    smtplib is blocking, so each mail is sent in a worker thread; a failure is logged (without the
    body) and swallowed, so a caller's answer never depends on whether a mail went out.
    """

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        username: str = "",
        password: str = "",
        ca_file: str = "",
        timeout: float = 10.0,
    ) -> None:
        self.host, self.port, self.sender = host, port, sender
        self.username, self.password = username, password
        self.tls = ssl.create_default_context(cafile=ca_file or None)
        self.timeout = timeout

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpMailer:
        """The mailer ``SCHULTE_SMTP_*`` describe."""
        return cls(
            settings.smtp_host,
            settings.smtp_port,
            settings.smtp_from,
            settings.smtp_username,
            settings.smtp_password,
            settings.smtp_ca_file,
            settings.smtp_timeout_seconds,
        )

    def _deliver(self, message: EmailMessage) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            smtp.starttls(context=self.tls)  # raises when the server offers no TLS: never send in clear
            if self.username:
                smtp.login(self.username, self.password)
            smtp.send_message(message)

    async def send(self, to: str, subject: str, body: str) -> None:
        """Send one message; log the outcome with the recipient's domain and the subject only."""
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, to, subject
        message.set_content(body)
        try:
            await asyncio.to_thread(self._deliver, message)
        except (OSError, smtplib.SMTPException) as error:
            # No traceback: it could quote the message; the error's class is enough to act on.
            log.error("mail to @%s not sent: %s (%s)", _domain(to), subject, type(error).__name__)
            return
        log.info("mail to @%s sent: %s", _domain(to), subject)
