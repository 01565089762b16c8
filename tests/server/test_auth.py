"""Accounts and tokens: sign-in, rotation with reuse detection, bad tokens, no enumeration, reset."""

from __future__ import annotations

import base64
import json
import time
import uuid
from typing import Any

import jwt

from tests.server.conftest import PASSWORD, REUSE_GRACE_S


def error_of(response: Any) -> dict[str, Any]:
    body = response.json()
    assert body["status"] == "error", body
    return dict(body["error"])


def test_register_login_and_me_return_the_same_user(new_api: Any) -> None:
    player = new_api(name="Ada")
    assert player.ok("GET", "/auth/me")["display_name"] == "Ada"
    data = player.ok(
        "POST", "/auth/login", json={"email": player.user["email"].upper(), "password": PASSWORD}
    )
    assert data["user"]["id"] == player.user["id"]
    assert data["token_type"] == "Bearer"  # noqa: S105 -- the scheme name


def test_registering_an_email_twice_is_a_conflict(new_api: Any) -> None:
    player = new_api()
    response = player.post("/auth/register", json={"email": player.user["email"], "password": PASSWORD,
                                                   "display_name": "Again"})  # fmt: skip
    assert response.status_code == 409 and error_of(response)["code"] == "CONFLICT"


def test_login_does_not_tell_unknown_emails_from_wrong_passwords(new_api: Any) -> None:
    player = new_api()
    wrong = player.post("/auth/login", json={"email": player.user["email"], "password": "not the password"})
    unknown = player.post(
        "/auth/login", json={"email": f"{uuid.uuid4().hex}@example.com", "password": "whatever1"}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert error_of(wrong) == error_of(unknown)


def test_forgot_password_answers_the_same_for_unknown_emails(new_api: Any) -> None:
    player = new_api()
    known = player.post("/auth/forgot-password", json={"email": player.user["email"]})
    unknown = player.post("/auth/forgot-password", json={"email": f"{uuid.uuid4().hex}@example.com"})
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()


def test_password_reset_token_works_once_and_signs_out_everywhere(new_api: Any) -> None:
    player = new_api()
    player.post("/auth/forgot-password", json={"email": player.user["email"]})
    mail = next(m for m in player.ok("GET", "/dev/outbox") if m["to"] == player.user["email"])
    token = mail["body"].split("Your reset code: ")[1].split()[0]
    player.ok("POST", "/auth/reset-password", json={"token": token, "password": "a brand new password"})
    again = player.post("/auth/reset-password", json={"token": token, "password": "another new password"})
    assert again.status_code == 400 and error_of(again)["code"] == "INVALID_TOKEN"
    old_refresh = player.post("/auth/refresh", json={"refresh_token": player.refresh_token})
    assert old_refresh.status_code == 401
    assert (
        player.post("/auth/login", json={"email": player.user["email"], "password": PASSWORD}).status_code
        == 401
    )
    player.ok("POST", "/auth/login", json={"email": player.user["email"], "password": "a brand new password"})


def test_refresh_rotates_and_reusing_an_old_token_revokes_the_whole_family(new_api: Any) -> None:
    player = new_api()
    first = player.refresh_token
    second = player.ok("POST", "/auth/refresh", json={"refresh_token": first})["refresh_token"]
    third = player.ok("POST", "/auth/refresh", json={"refresh_token": second})["refresh_token"]
    assert len({first, second, third}) == 3

    time.sleep(REUSE_GRACE_S + 0.2)  # a replay, not a lost answer
    reuse = player.post("/auth/refresh", json={"refresh_token": first})
    assert reuse.status_code == 401
    assert error_of(reuse)["details"]["reason"] == "REFRESH_TOKEN_REUSED"
    # The thief's replay also ends the legitimate holder's newest token: the family is gone.
    assert player.post("/auth/refresh", json={"refresh_token": third}).status_code == 401


def test_a_token_presented_again_right_after_its_rotation_keeps_the_sign_in(new_api: Any) -> None:
    # The answer to the first refresh was lost (tab closed mid-refresh), or two tabs refreshed at once.
    player = new_api()
    first = player.refresh_token
    lost = player.ok("POST", "/auth/refresh", json={"refresh_token": first})["refresh_token"]
    again = player.ok("POST", "/auth/refresh", json={"refresh_token": first})["refresh_token"]
    assert again not in {first, lost}
    player.ok("POST", "/auth/refresh", json={"refresh_token": again})
    player.ok("POST", "/auth/refresh", json={"refresh_token": lost})  # the family lives: both work

    time.sleep(REUSE_GRACE_S + 0.2)
    late = player.post("/auth/refresh", json={"refresh_token": first})
    assert late.status_code == 401 and error_of(late)["details"]["reason"] == "REFRESH_TOKEN_REUSED"


def test_refresh_and_logout_work_from_the_httponly_cookie(new_api: Any) -> None:
    player = new_api(register=False)
    email = f"{uuid.uuid4().hex[:10]}@example.com"
    response = player.post(
        "/auth/register", json={"email": email, "password": PASSWORD, "display_name": "Cookie"}
    )
    cookie = response.headers["set-cookie"]
    assert "schulte_refresh=" in cookie and "HttpOnly" in cookie and "Path=/api/v1/auth" in cookie
    assert "SameSite=Strict" in cookie or "samesite=strict" in cookie.lower()
    refreshed = player.post("/auth/refresh")  # no body: the cookie jar sends it
    assert refreshed.status_code == 200, refreshed.text
    player.ok("POST", "/auth/logout")
    assert (
        player.post(
            "/auth/refresh", json={"refresh_token": refreshed.json()["data"]["refresh_token"]}
        ).status_code
        == 401
    )


def test_logout_revokes_the_refresh_token(new_api: Any) -> None:
    player = new_api()
    player.ok("POST", "/auth/logout", json={"refresh_token": player.refresh_token})
    assert player.post("/auth/refresh", json={"refresh_token": player.refresh_token}).status_code == 401


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_expired_tampered_and_unsigned_access_tokens_are_rejected(new_api: Any, server: Any) -> None:
    player = new_api()
    secret = server.env["SCHULTE_SECRET"]
    now = int(time.time())
    sub = player.user["id"]
    header, payload, signature = player.token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    bad_tokens = {
        "expired": jwt.encode(
            {"sub": sub, "iat": now - 3600, "exp": now - 60, "typ": "access"}, secret, "HS256"
        ),
        "wrong key": jwt.encode(
            {"sub": sub, "iat": now, "exp": now + 60, "typ": "access"}, "not-the-key" * 4, "HS256"
        ),
        "alg none": f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}.",
        "tampered subject": f"{header}.{_b64(claims | {'sub': str(uuid.uuid4())})}.{signature}",
        "no exp": jwt.encode({"sub": sub, "iat": now, "typ": "access"}, secret, "HS256"),
        "garbage": "not-a-jwt",
    }
    for name, token in bad_tokens.items():
        response = player.get("/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, name
        assert error_of(response)["code"] == "UNAUTHORIZED", name
    assert player.get("/auth/me").status_code == 200


def test_validation_errors_name_the_field(new_api: Any) -> None:
    anonymous = new_api(register=False)
    response = anonymous.post(
        "/auth/register", json={"email": "not-an-email", "password": PASSWORD, "display_name": "X"}
    )
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "VALIDATION_ERROR" and "email" in error["message"]
    short = anonymous.post(
        "/auth/register", json={"email": "a@b.co", "password": "short", "display_name": "X"}
    )
    assert error_of(short)["code"] == "VALIDATION_ERROR"
