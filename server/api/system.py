"""``/health`` and the development outbox (``/api/v1/dev/outbox``, never mounted in production)."""

from __future__ import annotations

from typing import Any

from litestar import Request, get

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
async def dev_outbox(ctx: Context, request: Request[Any, Any, Any]) -> Envelope[list[OutboxMail]]:
    """Mails the development mailer "sent", newest first: reset codes, so only for this machine.

    Mounted only in development and test, which listen on loopback only; a request that came through a
    proxy (``X-Forwarded-For``) or from another address is still refused, like a missing route.
    """
    local = request.client is not None and request.client.host in ("127.0.0.1", "::1")
    if not isinstance(ctx.mailer, OutboxMailer) or not local or "x-forwarded-for" in request.headers:
        raise ApiError(404, "NOT_FOUND", "nothing here: no such route or resource")
    mails = [OutboxMail(m.to, m.subject, m.body, m.sent_at) for m in reversed(ctx.mailer.outbox)]
    return Envelope(mails)
