"""Outgoing mail behind one small interface, so a real SMTP sender can be plugged in.

In development and tests the ``OutboxMailer`` writes each mail to the log and keeps the last ones in
the database-free outbox that ``GET /api/v1/dev/outbox`` shows (never mounted in production).
"""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

__all__ = ["Mail", "Mailer", "OutboxMailer"]

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
    """Sends mail; implementations must not raise for an unknown recipient (no enumeration)."""

    async def send(self, to: str, subject: str, body: str) -> None:
        """Send one message."""


class OutboxMailer:
    """Development mailer: logs each mail and keeps the last ``size`` in memory for the dev outbox.

    In-memory on purpose: it exists only outside production, where one worker is the norm.
    """

    def __init__(self, size: int = 100) -> None:
        self.outbox: deque[Mail] = deque(maxlen=size)

    async def send(self, to: str, subject: str, body: str) -> None:
        """Log the mail and keep it."""
        mail = Mail(to, subject, body, datetime.now(UTC))
        self.outbox.append(mail)
        log.info("mail to %s: %s\n%s", to, subject, body)
