"""Email verification: a code mailed at registration proves the address; profiles say so, and premium."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import create_async_engine

from server.db.models import users
from tests.server.conftest import Api, Server

CODE = re.compile(r"enter this code on the account screen: (\S+)")


def codes_mailed_to(api: Api, email: str) -> list[str]:
    """Verification codes in the dev outbox for ``email``, newest first."""
    return [
        m[1]
        for mail in api.ok("GET", "/dev/outbox")
        if mail["to"] == email and (m := CODE.search(mail["body"]))
    ]


def error_code(response: Any) -> str:
    body = response.json()
    assert body["status"] == "error", body
    return str(body["error"]["code"])


def test_a_new_account_is_unverified_until_the_mailed_code_is_entered(new_api: Any) -> None:
    player = new_api()
    me = player.ok("GET", "/users/me")["user"]
    assert (me["email_verified"], me["is_premium"], me["premium_until"]) == (False, False, None)
    [code] = codes_mailed_to(player, player.user["email"])
    assert player.ok("POST", "/auth/verify-email", json={"code": code}) == {"message": "email verified"}
    assert player.ok("GET", "/users/me")["user"]["email_verified"] is True
    assert player.ok("GET", "/auth/me")["email_verified"] is True


def test_a_verification_code_works_once_and_a_made_up_one_never(new_api: Any) -> None:
    player = new_api()
    [code] = codes_mailed_to(player, player.user["email"])
    player.ok("POST", "/auth/verify-email", json={"code": code})
    again = player.post("/auth/verify-email", json={"code": code})
    assert again.status_code == 400 and error_code(again) == "INVALID_TOKEN"
    stranger = new_api(register=False)
    made_up = stranger.post("/auth/verify-email", json={"code": "a" * 43})
    assert made_up.status_code == 400 and error_code(made_up) == "INVALID_TOKEN"
    malformed = stranger.post("/auth/verify-email", json={"code": "not a code!"})
    assert malformed.status_code == 400 and error_code(malformed) == "VALIDATION_ERROR"


def test_another_players_code_verifies_only_its_own_account(new_api: Any) -> None:
    ana, bob = new_api(), new_api()
    [code] = codes_mailed_to(ana, ana.user["email"])
    bob.ok("POST", "/auth/verify-email", json={"code": code})
    assert ana.ok("GET", "/auth/me")["email_verified"] is True
    assert bob.ok("GET", "/auth/me")["email_verified"] is False


def test_resend_needs_sign_in_mails_a_working_code_and_stops_once_verified(new_api: Any) -> None:
    player = new_api()
    email = player.user["email"]
    anonymous = new_api(register=False)
    refused = anonymous.post("/auth/verify-email/resend")
    assert refused.status_code == 401 and error_code(refused) == "UNAUTHORIZED"
    assert player.ok("POST", "/auth/verify-email/resend", 202)["message"].startswith(
        "a new verification code"
    )
    newest, first = codes_mailed_to(player, email)
    assert newest != first
    player.ok("POST", "/auth/verify-email", json={"code": newest})
    assert player.ok("POST", "/auth/verify-email/resend", 202) == {
        "message": "your email is already verified"
    }
    assert len(codes_mailed_to(player, email)) == 2


def _set_premium(server: Server, user_id: str, until: datetime | None) -> None:
    async def go() -> None:
        engine = create_async_engine(server.database.url)
        async with engine.begin() as conn:
            await conn.execute(
                update(users).where(users.c.id == user_id).values(is_premium=True, premium_until=until)
            )
        await engine.dispose()

    asyncio.run(go())


def test_premium_shows_with_its_end_and_is_over_once_that_end_has_passed(
    new_api: Any, server: Server
) -> None:
    player = new_api()
    until = datetime.now(UTC) + timedelta(days=30)
    _set_premium(server, player.user["id"], until)
    me = player.ok("GET", "/users/me")["user"]
    assert me["is_premium"] is True
    assert abs(datetime.fromisoformat(me["premium_until"].replace("Z", "+00:00")) - until) < timedelta(
        seconds=1
    )
    _set_premium(server, player.user["id"], datetime.now(UTC) - timedelta(minutes=1))
    assert player.ok("GET", "/auth/me")["is_premium"] is False
    _set_premium(server, player.user["id"], None)
    assert player.ok("GET", "/auth/me")["is_premium"] is True
