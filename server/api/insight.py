"""Issue 12's routes: the dashboard (free and premium), billing, and the coach's published model."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.params import Parameter
from msgspec import Struct

from server.api.deps import BEARER, errors
from server.api.schemas import Envelope
from server.errors import ApiError
from server.services import Context
from server.services import analytics as analytics_service
from server.services import coach as coach_service
from server.services import premium as premium_service

__all__ = [
    "analytics",
    "analytics_advanced",
    "billing_config",
    "billing_webhook",
    "coach_model",
]

Offset = Annotated[
    int,
    Parameter(
        ge=-840,
        le=840,
        description="the player's offset from UTC in minutes (JavaScript: -new Date().getTimezoneOffset()); "
        "places games in local weekdays, hours and weeks",
    ),
]


class BillingConfigOut(Struct):
    """How the app offers an upgrade: open ``payment_link`` with ``?client_reference_id=<user id>``."""

    payment_link: str | None
    client_reference_id: str
    available: bool


class WebhookOut(Struct):
    """What the server did with one Stripe event (``duplicate``: already handled, nothing changed)."""

    event_id: str
    type: str
    outcome: str


class CoachModelOut(Struct):
    """``core.CoachModel.to_dict()``: the difficulty table the app coaches with offline."""

    difficulties: dict[str, float]
    scale: float
    players: int
    games: int


def _premium_meta(held: premium_service.Entitlement) -> dict[str, Any]:
    until = held["premium_until"]
    return {"is_premium": held["is_premium"], "premium_until": None if until is None else until.isoformat()}


@get("/users/me/analytics", responses=errors(401), security=BEARER, tags=["analytics"])
async def analytics(ctx: Context, me_id: str, utc_offset_minutes: Offset = 0) -> Envelope[dict[str, Any]]:
    """The free dashboard: ``core.dashboard`` over the last 30 days with the series results, no heatmaps.

    ``meta`` says whether the caller is premium (and until when) and how many days are shown.
    """
    data = await analytics_service.summary(ctx, me_id, utc_offset_minutes)
    held = await premium_service.entitlement(ctx, me_id)
    return Envelope(data, meta={**_premium_meta(held), "days": analytics_service.FREE_DAYS})


def _aware(moment: datetime | None) -> datetime | None:
    """``moment`` as an aware time: one sent without an offset is read as UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


@get("/users/me/analytics/advanced", responses=errors(401, 403), security=BEARER, tags=["analytics"])
async def analytics_advanced(
    ctx: Context,
    me_id: str,
    since: Annotated[datetime | None, Parameter(description="first moment shown (default: all)")] = None,
    until: Annotated[datetime | None, Parameter(description="first moment not shown")] = None,
    utc_offset_minutes: Offset = 0,
) -> Envelope[dict[str, Any]]:
    """Premium: any range (all by default), heatmaps, series trends, percentiles by board over time.

    Others get 403 ``PREMIUM_REQUIRED``, whose details carry the upgrade's configuration.
    """
    held = await premium_service.require_premium(ctx, me_id)
    start, end = _aware(since), _aware(until)
    if start is not None and end is not None and end < start:
        raise ApiError(400, "VALIDATION_ERROR", "until must not be before since", {"since": str(start)})
    data = await analytics_service.advanced(ctx, me_id, start, end, utc_offset_minutes)
    return Envelope(data, meta=_premium_meta(held))


@get("/billing/config", tags=["billing"])
async def billing_config(ctx: Context) -> Envelope[BillingConfigOut]:
    """The Stripe Payment Link the app opens, or ``available: false`` when this server takes no payments."""
    return Envelope(BillingConfigOut(**premium_service.billing_config(ctx)))


@post("/billing/webhook", status_code=200, responses=errors(404), tags=["billing"])
async def billing_webhook(request: Request[Any, Any, Any], ctx: Context) -> Envelope[WebhookOut]:
    """Stripe's events, signed: a paid checkout grants premium, a subscription's end revokes it.

    A forged or stale signature is 400 ``BAD_SIGNATURE``; an event id seen before changes nothing.
    Without ``SCHULTE_STRIPE_WEBHOOK_SECRET`` the answer is 404 ``BILLING_NOT_CONFIGURED``.
    """
    body = await request.body()
    answer = await premium_service.handle_webhook(ctx, request.headers.get("stripe-signature"), body)
    return Envelope(WebhookOut(**answer))


@get("/coach/model", tags=["coach"], status_code=200)
async def coach_model(request: Request[Any, Any, Any], ctx: Context) -> Response[Any]:
    """The coach's difficulty table (fitted, else ``core.DEFAULT_MODEL``), with an ETag.

    Send the ETag back in ``If-None-Match``: an unchanged model answers 304 with no body.
    """
    model = await coach_service.published(ctx)
    headers = {"ETag": model.etag, "Cache-Control": "no-cache"}
    sent = [tag.strip() for tag in request.headers.get("if-none-match", "").split(",")]
    if model.etag in sent or "*" in sent:
        return Response(content=b"", status_code=304, headers=headers)
    meta = {
        "fitted_at": None if model.fitted_at is None else model.fitted_at.isoformat(),
        "sessions": model.sessions,
    }
    return Response(content=Envelope(CoachModelOut(**model.model), meta=meta), headers=headers)
