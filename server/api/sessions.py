"""``/sessions``: upload one, sync a batch, history, detail, delete."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import delete, get, post
from litestar.params import Parameter

import core
from server.api.deps import BEARER, errors
from server.api.schemas import (
    DeletedOut,
    Envelope,
    ReasonOut,
    SessionIn,
    SessionOut,
    SessionSummary,
    SyncIn,
    SyncResult,
)
from server.errors import ApiError
from server.services import Context
from server.services import sessions as service

__all__ = ["create_session", "delete_session", "get_session", "list_sessions", "sync_sessions", "to_incoming"]

Limit = Annotated[int, Parameter(ge=1, le=100, description="page size")]
Offset = Annotated[int, Parameter(ge=0, le=1_000_000, description="rows to skip")]
SessionId = Annotated[str, Parameter(pattern=r"^[0-9A-Fa-f-]{32,36}$", description="the session's UUID")]


def to_incoming(raw: Any) -> service.Incoming:
    """Check one sync item's shape; a malformed item keeps its id when it has a usable one.

    A malformed item is answered with ``core.verify``'s code when it has a telling one (a grid size
    outside ``core.SIZES`` is ``GRID_SIZE_OUT_OF_RANGE``, a bad series ``BAD_SERIES``), else ``MALFORMED``.
    """
    try:
        session = msgspec.convert(raw, SessionIn, strict=True)
    except msgspec.ValidationError as error:
        usable = raw.get("id") if isinstance(raw, dict) else None
        item_id = usable if isinstance(usable, str) and 0 < len(usable) <= 36 else None
        return service.Incoming(item_id, None, f"not a session: {error}", _format_code(raw))
    return service.Incoming(session.id, msgspec.to_builtins(session))


def _format_code(raw: Any) -> str:
    """The code ``core``'s own reading of the session format gives a malformed item."""
    try:
        core.TrainingSession.from_dict(raw)
    except core.SessionFormatError as error:
        return error.code
    except Exception:  # noqa: BLE001 -- any other failure to read it is plain malformed
        return "MALFORMED"
    return "MALFORMED"  # core reads it, the stricter wire shape does not


def _reasons(reasons: list[dict[str, Any]]) -> list[ReasonOut]:
    return [ReasonOut(r["code"], r["message"], r.get("index")) for r in reasons]


def _session_out(row: dict[str, Any]) -> SessionOut:
    return msgspec.convert(row, SessionOut, from_attributes=False, strict=False)


@post(
    "/sessions",
    status_code=201,
    responses=errors(400, 401, 409, 413, 422),
    security=BEARER,
    tags=["sessions"],
)
async def create_session(data: SessionIn, ctx: Context, me_id: str) -> Envelope[SessionOut]:
    """Upload one session. A rejected one answers ``SESSION_REJECTED`` but is still kept as unverified."""
    incoming = service.Incoming(data.id, msgspec.to_builtins(data))
    (outcome,) = await service.ingest(ctx, me_id, [incoming])
    if not outcome.stored:
        raise ApiError(409, "CONFLICT", "another player's session has this id; make a new UUID")
    if not outcome.verified:  # also when it was stored unverified by an earlier upload (a duplicate)
        raise ApiError(
            422,
            "SESSION_REJECTED",
            "the session is stored in your history as unverified: "
            + ", ".join(r["code"] for r in outcome.reasons),
            {"id": data.id, "stored": True, "result": outcome.result, "reasons": outcome.reasons},
        )
    if outcome.result == "created":  # answer from what was just stored: no second round trip
        stored = dict(
            incoming.payload or {}, user_id=me_id, verified=True, reasons=[], received_at=outcome.received_at
        )
        return Envelope(_session_out(stored), meta={"result": outcome.result})
    return Envelope(
        _session_out(await service.get_session(ctx, me_id, data.id)), meta={"result": outcome.result}
    )


@post("/sessions/sync", status_code=200, responses=errors(400, 401, 413), security=BEARER, tags=["sessions"])
async def sync_sessions(data: SyncIn, ctx: Context, me_id: str) -> Envelope[list[SyncResult]]:
    """Upload a batch made offline: one result per item, in order; sending it again changes nothing.

    Each item is a session in the wire format (see ``SessionIn``). An item that is not one is
    ``rejected`` with a ``MALFORMED`` reason and not stored; its ``id`` is null when it had no usable id.
    """
    limit = ctx.settings.sync_batch_limit
    if len(data.sessions) > limit:
        message = f"at most {limit} sessions per sync batch, got {len(data.sessions)}"
        raise ApiError(400, "VALIDATION_ERROR", message, {"limit": limit})
    outcomes = await service.ingest(ctx, me_id, [to_incoming(raw) for raw in data.sessions])
    results = [SyncResult(o.id, o.result, o.verified, _reasons(o.reasons)) for o in outcomes]
    counts = {kind: sum(o.result == kind for o in outcomes) for kind in ("created", "duplicate", "rejected")}
    return Envelope(results, meta=counts)


@get("/sessions", responses=errors(400, 401), security=BEARER, tags=["sessions"])
async def list_sessions(
    ctx: Context, me_id: str, limit: Limit = 20, offset: Offset = 0
) -> Envelope[list[SessionSummary]]:
    """The signed-in user's history, newest first."""
    rows, total = await service.list_sessions(ctx, me_id, limit, offset)
    page = [msgspec.convert(row, SessionSummary, strict=False) for row in rows]
    return Envelope(page, meta={"page": offset // limit + 1, "per_page": limit, "total": total})


@get("/sessions/{session_id:str}", responses=errors(401, 404), security=BEARER, tags=["sessions"])
async def get_session(ctx: Context, me_id: str, session_id: SessionId) -> Envelope[SessionOut]:
    """One session with its tap log, verdict and reasons."""
    return Envelope(_session_out(await service.get_session(ctx, me_id, session_id)))


@delete(
    "/sessions/{session_id:str}",
    status_code=200,
    responses=errors(401, 404),
    security=BEARER,
    tags=["sessions"],
)
async def delete_session(ctx: Context, me_id: str, session_id: SessionId) -> Envelope[DeletedOut]:
    """Remove a session from the history and the boards; its id stays taken (a re-sync is a duplicate)."""
    await service.delete_session(ctx, me_id, session_id)
    return Envelope(DeletedOut(session_id, True))
