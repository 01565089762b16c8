"""Issue 12 on the server: one stats fold, premium entitlement and billing, analytics, the coach model.

Everything over real HTTP against ``python -m server`` on SQLite and PostgreSQL; the CLI runs as a
real process against the same database.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

import core
from tests.server.conftest import ROOT, Api, Database, Server, practice


def test_profile_counts_an_unverified_game_as_played_but_never_as_a_best_on_any_board(new_api: Any) -> None:
    """The profile is core's fold: a forged fast game counts as played, never as a best or in an average.

    A Gorbov board keeps its own key ("gorbov-7-ASC") and reads back as variant, size and order.
    """
    player = new_api()
    genuine = practice(seed=21)
    forged = practice(seed=22)
    forged["completion_time_ms"] = 1000.0  # no tap log gives this time
    gorbov = practice(seed=23, grid_size=7, variant="gorbov")
    answers = player.ok("POST", "/sessions/sync", json={"sessions": [genuine, forged, gorbov]})
    assert [answer["verified"] for answer in answers] == [True, False, True]

    stats = player.ok("GET", "/users/me")["stats"]
    assert (stats["total_sessions"], stats["completed_sessions"], stats["verified_sessions"]) == (3, 3, 2)
    boards = {(b["variant"], b["grid_size"], b["order_mode"]): b for b in stats["boards"]}
    assert set(boards) == {("classic", 5, "ASC"), ("gorbov", 7, "ASC")}
    assert boards[("classic", 5, "ASC")]["best_time_ms"] == genuine["completion_time_ms"]
    assert boards[("classic", 5, "ASC")]["completed"] == 1
    assert boards[("gorbov", 7, "ASC")]["average_time_ms"] == round(gorbov["completion_time_ms"])

    expected = core.summarize(
        [core.TrainingSession.from_dict(s) for s in (genuine, forged, gorbov)],
        verified=lambda session: session.id != forged["id"],
    )
    assert stats["longest_streak"] == expected.streak.longest
    shown = {
        core.board_key(size, order, variant): b["best_time_ms"]
        for (variant, size, order), b in boards.items()
    }
    assert shown == expected.best_times


def test_deleting_a_game_recounts_the_profile_by_the_same_fold(new_api: Any) -> None:
    """After a delete the stats are rebuilt from the history: the same numbers as folding what is left."""
    player = new_api()
    fast, slow = practice(seed=31), practice(seed=32, pace=(400.0, 700.0))
    forged = practice(seed=33)
    forged["completion_time_ms"] = 900.0
    answers = player.ok("POST", "/sessions/sync", json={"sessions": [fast, slow, forged]})
    assert [answer["verified"] for answer in answers] == [True, True, False]
    before = player.ok("GET", "/users/me")["stats"]["boards"][0]
    assert before["best_time_ms"] == fast["completion_time_ms"] and before["completed"] == 2

    player.ok("DELETE", f"/sessions/{fast['id']}")
    stats = player.ok("GET", "/users/me")["stats"]
    assert (stats["total_sessions"], stats["completed_sessions"], stats["verified_sessions"]) == (2, 2, 1)
    (board,) = stats["boards"]
    assert board["best_time_ms"] == slow["completion_time_ms"]
    assert board["average_time_ms"] == round(slow["completion_time_ms"])
    assert board["completed"] == 1


# --- premium, analytics and billing -----------------------------------------------------------------

WEBHOOK_SECRET = "whsec_test_" + "a1b2c3d4" * 4
PAYMENT_LINK = "https://buy.stripe.com/test_schulte"


@pytest.fixture(scope="module")
def insight_server(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server with Stripe configured (and no scheduled coach fit, so nothing runs behind the tests)."""
    tmp = tmp_path_factory.mktemp(f"insight-{backend}")
    database = Database.create(backend, tmp)
    running = Server.start(
        database,
        tmp,
        stripe_webhook_secret=WEBHOOK_SECRET,
        stripe_payment_link=PAYMENT_LINK,
        coach_fit_max_age_seconds="0",
    )
    yield running
    running.stop()
    database.close()


@pytest.fixture
def player(insight_server: Server) -> Iterator[Api]:
    api = Api(insight_server.url).register()
    yield api
    api.http.close()


def cli(server: Server, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m server ARGS`` against the server's database, as an operator runs it."""
    return subprocess.run(  # noqa: S603 -- our own module with fixed arguments
        [sys.executable, "-m", "server", *args], cwd=ROOT, env=server.env, capture_output=True, text=True
    )


def email_of(api: Api) -> str:
    return str(api.ok("GET", "/users/me")["user"]["email"])


def sign(body: bytes, secret: str = WEBHOOK_SECRET, at: float | None = None) -> str:
    """A ``Stripe-Signature`` header made by Stripe's documented scheme."""
    stamp = int(time.time() if at is None else at)
    digest = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={digest}"


def event(kind: str, item: dict[str, Any]) -> bytes:
    body = {"id": f"evt_{uuid.uuid4().hex}", "object": "event", "type": kind, "data": {"object": item}}
    return json.dumps(body).encode()


def deliver(server: Server, body: bytes, signature: str | None) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["Stripe-Signature"] = signature
    return httpx.post(f"{server.url}/api/v1/billing/webhook", content=body, headers=headers, timeout=30)


def is_premium(api: Api) -> bool:
    return bool(api.get("/users/me/analytics").json()["meta"]["is_premium"])


def history(now: datetime) -> list[dict[str, Any]]:
    """A game 40 days ago, then a complete five-table series today (tables 2 minutes apart)."""
    series_id = str(uuid.uuid4())
    old = practice(seed=41, started_at=now - timedelta(days=40))
    tables = []
    for index in range(1, 6):
        table = practice(seed=41 + index, started_at=now - timedelta(minutes=20 - 2 * index))
        table["series"] = {"id": series_id, "index": index}
        tables.append(table)
    return [old, *tables]


def test_free_dashboard_covers_30_days_and_the_series_and_premium_figures_answer_403(player: Api) -> None:
    now = datetime.now(UTC)
    games = history(now)
    answers = player.ok("POST", "/sessions/sync", json={"sessions": games})
    assert all(answer["verified"] for answer in answers)

    body = player.get("/users/me/analytics", params={"utc_offset_minutes": 60}).json()
    data, meta = body["data"], body["meta"]
    assert meta == {"is_premium": False, "premium_until": None, "days": 30}
    assert data["games"] == 5  # the 40-day-old game is outside the free range
    (board,) = data["boards"]
    assert board["key"] == "5-ASC" and board["number"] == [2, 3, 4, 5, 6]  # numbered over all history
    assert not {"cell_medians_ms", "token_medians_ms"} & set(board)
    assert "weekday_hour_games" not in data
    (series,) = data["series"]
    times = [table["completion_time_ms"] for table in games[1:]]
    assert series["complete"] and series["efficiency_ms"] == round(sum(times) / 5, 1)

    refused = player.get("/users/me/analytics/advanced")
    assert refused.status_code == 403
    error = refused.json()["error"]
    assert error["code"] == "PREMIUM_REQUIRED"
    assert error["details"]["upgrade"] == {
        "payment_link": PAYMENT_LINK,
        "client_reference_id": "user_id",
        "available": True,
    }


def test_premium_granted_for_days_by_the_cli_opens_the_full_dashboard_until_revoked(
    insight_server: Server, player: Api
) -> None:
    player.ok("POST", "/sessions/sync", json={"sessions": history(datetime.now(UTC))})
    email = email_of(player)

    granted = cli(insight_server, "premium", "grant", email, "--days", "3")
    assert granted.returncode == 0, granted.stderr
    meta = player.get("/users/me/analytics").json()["meta"]
    until = datetime.fromisoformat(meta["premium_until"])
    assert meta["is_premium"] and timedelta(days=2.9) < until - datetime.now(UTC) <= timedelta(days=3)

    data = player.ok("GET", "/users/me/analytics/advanced")
    assert data["games"] == 6  # the whole history
    (board,) = data["boards"]
    assert len(board["cell_medians_ms"]) == 25 and len(board["token_medians_ms"]) == 25
    assert sum(map(sum, data["weekday_hour_games"])) == 6
    (point,) = data["series_trends"]["5-ASC"]
    assert point["efficiency_ms"] == data["series"][0]["efficiency_ms"]
    weeks = data["percentiles"]["5-ASC"]
    assert weeks and weeks[-1]["best_time_ms"] == board["best_ms"]
    assert all(week["sample"] >= 0 for week in weeks)
    since = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    assert player.ok("GET", "/users/me/analytics/advanced", params={"since": since})["games"] == 5

    revoked = cli(insight_server, "premium", "revoke", email)
    assert revoked.returncode == 0, revoked.stderr
    assert player.get("/users/me/analytics/advanced").json()["error"]["code"] == "PREMIUM_REQUIRED"
    nobody = cli(insight_server, "premium", "grant", "nobody@example.com")
    assert nobody.returncode == 1 and "no account" in nobody.stderr
    assert cli(insight_server, "premium", "grant", email, "--days", "zero").returncode == 2


def test_a_signed_checkout_grants_premium_once_and_the_subscription_end_revokes_it(
    insight_server: Server, player: Api
) -> None:
    assert player.ok("GET", "/billing/config")["payment_link"] == PAYMENT_LINK
    customer = f"cus_{uuid.uuid4().hex[:14]}"
    checkout = event(
        "checkout.session.completed",
        {"object": "checkout.session", "client_reference_id": player.user["id"], "customer": customer,
         "payment_status": "paid", "mode": "subscription"},
    )  # fmt: skip
    signature = sign(checkout)
    first = deliver(insight_server, checkout, signature)
    assert first.status_code == 200, first.text
    assert first.json()["data"]["outcome"] == "granted"
    assert is_premium(player)
    assert player.get("/users/me/analytics/advanced").status_code == 200

    again = deliver(insight_server, checkout, signature)  # Stripe delivers at least once
    assert again.json()["data"]["outcome"] == "duplicate"

    ended = event("customer.subscription.deleted", {"object": "subscription", "customer": customer})
    assert deliver(insight_server, ended, sign(ended)).json()["data"]["outcome"] == "revoked"
    assert not is_premium(player)
    # The old checkout, replayed with a fresh valid signature, is the same event: it grants nothing.
    assert deliver(insight_server, checkout, sign(checkout)).json()["data"]["outcome"] == "duplicate"
    assert not is_premium(player)


def test_a_forged_tampered_or_stale_signature_is_refused_and_changes_nothing(
    insight_server: Server, player: Api
) -> None:
    checkout = event(
        "checkout.session.completed",
        {"object": "checkout.session", "client_reference_id": player.user["id"], "payment_status": "paid"},
    )
    tampered = checkout.replace(b'"paid"', b'"paid" ')
    attempts = {
        "wrong secret": (checkout, sign(checkout, secret="whsec_guessed")),  # noqa: S106 -- a guess
        "tampered body": (tampered, sign(checkout)),
        "stale": (checkout, sign(checkout, at=time.time() - 301)),
        "no v1": (checkout, f"t={int(time.time())}"),
        "missing header": (checkout, None),
    }
    for name, (body, signature) in attempts.items():
        answer = deliver(insight_server, body, signature)
        assert answer.status_code == 400, name
        assert answer.json()["error"]["code"] == "BAD_SIGNATURE", name
    stale = deliver(insight_server, checkout, sign(checkout, at=time.time() - 301))
    assert stale.json()["error"]["details"] == {"reason": "STALE"}
    assert not is_premium(player)
    # None of those was recorded: the genuine delivery of the same event still grants.
    assert deliver(insight_server, checkout, sign(checkout)).json()["data"]["outcome"] == "granted"
    assert is_premium(player)


def test_events_for_nobody_are_acknowledged_and_ignored(insight_server: Server) -> None:
    """Stripe retries anything but a 2xx: an event this server cannot use is answered and recorded."""
    for body in (
        event("checkout.session.completed", {"client_reference_id": str(uuid.uuid4())}),
        event("customer.subscription.deleted", {"customer": "cus_unknown"}),
        event("invoice.paid", {"customer": "cus_unknown"}),
    ):
        answer = deliver(insight_server, body, sign(body))
        assert answer.status_code == 200 and answer.json()["data"]["outcome"] == "ignored"
    junk = b'{"id": "evt_1"}'
    assert deliver(insight_server, junk, sign(junk)).json()["error"]["code"] == "VALIDATION_ERROR"


def test_without_stripe_configured_the_webhook_says_so_and_the_app_learns_there_is_no_link(
    server: Server, new_api: Any
) -> None:
    body = event("checkout.session.completed", {"client_reference_id": new_api().user["id"]})
    answer = deliver(server, body, sign(body))
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "BILLING_NOT_CONFIGURED"
    config = httpx.get(f"{server.url}/api/v1/billing/config", timeout=30).json()["data"]
    assert config == {"payment_link": None, "client_reference_id": "user_id", "available": False}


# --- the coach's model ------------------------------------------------------------------------------


def model_of(server: Server, etag: str | None = None) -> httpx.Response:
    headers = {"If-None-Match": etag} if etag else {}
    return httpx.get(f"{server.url}/api/v1/coach/model", headers=headers, timeout=30)


def test_coach_fit_learns_from_verified_games_and_publishes_the_model_with_an_etag(
    backend: str, tmp_path: Path
) -> None:
    """Six players finish 5×5 ascending cleanly and fail descending (too many mistakes): the fitted
    table sets descending far harder than ascending, against the default's small gap, from verified
    games only; a server that starts on a model older than a day fits again by itself."""
    database = Database.create(backend, tmp_path)
    server = Server.start(database, tmp_path)
    try:
        before = model_of(server)
        assert before.status_code == 200
        assert before.json()["data"] == core.DEFAULT_MODEL.to_dict()
        assert before.json()["meta"] == {"fitted_at": None, "sessions": 0}
        default_tag = before.headers["ETag"]
        assert model_of(server, default_tag).status_code == 304

        nothing = cli(server, "coach", "fit")
        assert nothing.returncode == 0 and "no verified sessions" in nothing.stdout
        for player in range(6):
            api = Api(server.url).register()
            games = [practice(seed=100 * player + game) for game in range(4)]
            games += [practice(seed=100 * player + 50 + game, order="DESC", mistakes=4) for game in range(4)]
            forged = practice(seed=100 * player + 90, order="DESC")
            forged["completion_time_ms"] = 500.0  # unverified: the fit never reads it
            answers = api.ok("POST", "/sessions/sync", json={"sessions": [*games, forged]})
            assert [answer["verified"] for answer in answers] == [True] * 8 + [False]
            api.http.close()

        fitted = cli(server, "coach", "fit")
        assert fitted.returncode == 0, fitted.stderr
        assert "from 48 rated games of 6 players" in fitted.stdout
        answer = model_of(server, default_tag)
        assert answer.status_code == 200 and answer.headers["ETag"] != default_tag
        model = core.CoachModel.from_dict(answer.json()["data"])
        assert (model.players, model.games) == (6, 48)
        assert answer.json()["meta"]["sessions"] == 48
        prior = core.DEFAULT_MODEL.difficulties
        fitted_gap = model.difficulties["5-DESC"] - model.difficulties["5-ASC"]
        assert fitted_gap > prior["5-DESC"] - prior["5-ASC"] + 0.5  # descending proved much harder
        assert model.difficulties["6-ASC"] == prior["6-ASC"]  # not played: the default stays
        assert model_of(server, answer.headers["ETag"]).status_code == 304
        fitted_at = answer.json()["meta"]["fitted_at"]

        # The schedule: a server starting on a model older than its maximum age fits again by itself.
        server.stop()
        time.sleep(1.5)
        server = Server.start(database, tmp_path, coach_fit_max_age_seconds="1")
        deadline = time.monotonic() + 60
        while model_of(server).json()["meta"]["fitted_at"] == fitted_at and time.monotonic() < deadline:
            time.sleep(0.2)
        refitted = model_of(server)
        assert datetime.fromisoformat(refitted.json()["meta"]["fitted_at"]) > datetime.fromisoformat(
            fitted_at
        )
        assert refitted.json()["data"] == answer.json()["data"]  # the same games give the same table
        assert refitted.headers["ETag"] == answer.headers["ETag"]
    finally:
        server.stop()
        database.close()
