"""Premium: who has it (``is_premium`` until ``premium_until``), granting, revoking, and Stripe's webhook.

Premium is granted by an operator (``python -m server premium grant EMAIL [--days N]``) or by a
Stripe Checkout paid through the configured Payment Link, and revoked by the operator or when the
Stripe subscription ends. ``premium_until`` ``None`` means "until revoked" (a subscription);
a date ends it by itself.

The webhook checks Stripe's documented signature scheme itself (``Stripe-Signature: t=…,v1=…``,
HMAC-SHA256 of ``"{t}.{body}"`` with the endpoint's secret, at most ``stripe_tolerance_seconds``
old), so it needs no Stripe library, and it records every event id it acted on: Stripe delivers
at least once, and a second delivery changes nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from server.db.models import billing_events, users
from server.errors import ApiError
from server.services import Context, utcnow

__all__ = [
    "GRANT_EVENT",
    "REVOKE_EVENT",
    "Entitlement",
    "billing_config",
    "entitlement",
    "grant",
    "handle_webhook",
    "require_premium",
    "revoke",
    "verify_signature",
]

GRANT_EVENT = "checkout.session.completed"
"""Stripe's event for a paid checkout: its ``client_reference_id`` is the user's id (the app adds it)."""
REVOKE_EVENT = "customer.subscription.deleted"
"""Stripe's event for a subscription that ended: premium of its customer ends."""

Entitlement = dict[str, Any]
"""``{"is_premium": bool, "premium_until": datetime | None}``."""

Outcome = Literal["granted", "revoked", "ignored", "duplicate"]


def _effective(row: Any, now: datetime) -> Entitlement:
    until = row.premium_until
    active = bool(row.is_premium) and (until is None or until > now)
    return {"is_premium": active, "premium_until": until if active else None}


async def entitlement(ctx: Context, user_id: str) -> Entitlement:
    """Whether the user is premium now, and until when (``None``: until revoked)."""
    async with ctx.db.engine.connect() as conn:
        row = (
            await conn.execute(select(users.c.is_premium, users.c.premium_until).where(users.c.id == user_id))
        ).first()
    if row is None:
        raise ApiError(401, "UNAUTHORIZED", "the account of this token no longer exists")
    return _effective(row, utcnow())


async def require_premium(ctx: Context, user_id: str) -> Entitlement:
    """The user's entitlement, or 403 ``PREMIUM_REQUIRED`` (details say how to get it)."""
    held = await entitlement(ctx, user_id)
    if not held["is_premium"]:
        raise ApiError(
            403,
            "PREMIUM_REQUIRED",
            "this needs premium: the free dashboard covers the last 30 days",
            {"upgrade": billing_config(ctx)},
        )
    return held


async def grant(ctx: Context, email: str, days: int | None) -> Entitlement | None:
    """Make the account of ``email`` premium for ``days`` more days (``None``: until revoked).

    Days add to a grant still running, so a renewal is never shortened; ``None`` if no such account.
    """
    now = utcnow()
    async with ctx.db.engine.begin() as conn:
        row = (
            await conn.execute(
                select(users.c.id, users.c.is_premium, users.c.premium_until)
                .where(users.c.email == email.strip().lower())
                .with_for_update()
            )
        ).first()
        if row is None:
            return None
        until = None
        if days is not None:
            held = _effective(row, now)
            running = held["premium_until"] if held["is_premium"] and held["premium_until"] else now
            if held["is_premium"] and held["premium_until"] is None:
                return held  # already premium until revoked: a grant of days would shorten it
            until = running + timedelta(days=days)
        await _set(conn, row.id, until)
    return {"is_premium": True, "premium_until": until}


async def revoke(ctx: Context, email: str) -> bool:
    """End premium for the account of ``email`` now; ``False`` if there is no such account."""
    async with ctx.db.engine.begin() as conn:
        done = await conn.execute(
            update(users)
            .where(users.c.email == email.strip().lower())
            .values(is_premium=False, premium_until=None)
        )
    return done.rowcount == 1


async def _set(conn: AsyncConnection, user_id: str, until: datetime | None) -> None:
    await conn.execute(
        update(users).where(users.c.id == user_id).values(is_premium=True, premium_until=until)
    )


def billing_config(ctx: Context) -> dict[str, Any]:
    """What the app needs to offer an upgrade: the Payment Link, or why there is none."""
    link = ctx.settings.stripe_payment_link or None
    return {
        "payment_link": link,
        "client_reference_id": "user_id",
        "available": bool(link and ctx.settings.stripe_webhook_secret),
    }


def verify_signature(secret: str, header: str, body: bytes, now: float, tolerance: int) -> None:
    """Check a ``Stripe-Signature`` header over the raw ``body``, or raise 400 ``BAD_SIGNATURE``.

    Stripe's scheme: ``t`` is the Unix time of signing; each ``v1`` is a hex HMAC-SHA256 of
    ``"{t}.{body}"`` keyed with the endpoint secret (one per active secret while rolling it). A
    signature older (or newer) than ``tolerance`` seconds is refused, so a captured request cannot
    be replayed later; within the window the event id makes a replay change nothing.
    """
    stamps, signatures = [], []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t":
            stamps.append(value)
        elif key == "v1":
            signatures.append(value)
    if len(stamps) != 1 or not stamps[0].isdigit() or not signatures:
        raise ApiError(400, "BAD_SIGNATURE", "Stripe-Signature must carry one t= and at least one v1=")
    signed = f"{stamps[0]}.".encode() + body
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures):
        raise ApiError(400, "BAD_SIGNATURE", "no v1 signature matches this body and the endpoint secret")
    age = now - int(stamps[0])
    if abs(age) > tolerance:
        raise ApiError(
            400,
            "BAD_SIGNATURE",
            f"the signature is {age:.0f} s old, outside the {tolerance} s tolerance",
            {"reason": "STALE"},
        )


async def handle_webhook(ctx: Context, header: str | None, body: bytes) -> dict[str, Any]:
    """Act on one Stripe event: grant on a paid checkout, revoke on a subscription's end, once per id."""
    secret = ctx.settings.stripe_webhook_secret
    if not secret:
        raise ApiError(
            404,
            "BILLING_NOT_CONFIGURED",
            "this server takes no payments (SCHULTE_STRIPE_WEBHOOK_SECRET unset)",
        )
    if not header:
        raise ApiError(400, "BAD_SIGNATURE", "the Stripe-Signature header is missing")
    now = utcnow()
    verify_signature(secret, header, body, now.timestamp(), ctx.settings.stripe_tolerance_seconds)
    try:
        event = json.loads(body)
        event_id, event_type = str(event["id"]), str(event["type"])
        item = event["data"]["object"]
        if not isinstance(item, dict) or not 0 < len(event_id) <= 255:
            raise TypeError
    except (ValueError, KeyError, TypeError):
        raise ApiError(
            400, "VALIDATION_ERROR", "not a Stripe event: it needs id, type, data.object"
        ) from None
    async with ctx.db.engine.begin() as conn:
        seen = await conn.execute(
            select(billing_events.c.event_id).where(billing_events.c.event_id == event_id)
        )
        if seen.first() is not None:
            return {"event_id": event_id, "type": event_type, "outcome": "duplicate"}
        user_id, outcome = await _apply(conn, event_type, item)
        # Stripe retries until a 2xx: an event we cannot use is recorded and answered, not failed.
        await conn.execute(
            insert(billing_events).values(
                event_id=event_id, type=event_type[:100], user_id=user_id, outcome=outcome, received_at=now
            )
        )
    return {"event_id": event_id, "type": event_type, "outcome": outcome}


async def _apply(conn: AsyncConnection, event_type: str, item: dict[str, Any]) -> tuple[str | None, Outcome]:
    if event_type == GRANT_EVENT:
        user_id = item.get("client_reference_id")
        if not isinstance(user_id, str) or item.get("payment_status") == "unpaid":
            return None, "ignored"
        customer = item.get("customer") if isinstance(item.get("customer"), str) else None
        done = await conn.execute(
            update(users)
            .where(users.c.id == user_id)
            .values(is_premium=True, premium_until=None, stripe_customer_id=customer)
        )
        return (user_id, "granted") if done.rowcount == 1 else (None, "ignored")
    if event_type == REVOKE_EVENT:
        customer = item.get("customer")
        if not isinstance(customer, str):
            return None, "ignored"
        row = (await conn.execute(select(users.c.id).where(users.c.stripe_customer_id == customer))).first()
        if row is None:
            return None, "ignored"
        await conn.execute(
            update(users).where(users.c.id == row.id).values(is_premium=False, premium_until=None)
        )
        return row.id, "revoked"
    return None, "ignored"
