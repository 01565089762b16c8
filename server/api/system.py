"""``/health`` and the development outbox (``/api/v1/dev/outbox``, never mounted in production)."""

from __future__ import annotations

from litestar import get

import core
from server.api.schemas import Envelope, HealthOut, OutboxMail
from server.errors import ApiError
from server.mail import OutboxMailer
from server.services import Context

__all__ = ["dev_outbox", "health"]


@get(["/health", "/api/v1/health"], tags=["system"])
async def health() -> Envelope[HealthOut]:
    """Liveness: the process answers (cheap on purpose: load balancers and the benchmark's baseline).

    Also under the API's base path, for clients that only know that prefix.
    """
    return Envelope(HealthOut("ok", core.__version__))


@get("/dev/outbox", tags=["system"], include_in_schema=False)
async def dev_outbox(ctx: Context) -> Envelope[list[OutboxMail]]:
    """Mails the development mailer "sent", newest first."""
    if not isinstance(ctx.mailer, OutboxMailer):
        raise ApiError(404, "NOT_FOUND", "no outbox: a real mailer is configured")
    mails = [OutboxMail(m.to, m.subject, m.body, m.sent_at) for m in reversed(ctx.mailer.outbox)]
    return Envelope(mails)
