"""Accounts and tokens: sign-in, rotation with reuse detection, bad tokens, no enumeration, reset."""

from __future__ import annotations

import base64
import json
import time
import uuid
from typing import Any

import jwt

from server.config import derive_key
from tests.server.conftest import PASSWORD, REFRESH_COOKIE, REUSE_GRACE_S, Api


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


def _mails_to(api: Api, email: str) -> list[dict[str, Any]]:
    return [mail for mail in api.ok("GET", "/dev/outbox") if mail["to"] == email]


def test_register_answers_alike_for_a_taken_email_and_mails_its_owner(new_api: Any) -> None:
    owner = new_api()
    email = owner.user["email"]
    stranger = new_api(register=False)
    fresh = f"{uuid.uuid4().hex[:10]}@example.com"
    new = stranger.post(
        "/auth/register", json={"email": fresh, "password": PASSWORD, "display_name": uuid.uuid4().hex[:8]}
    )
    taken = stranger.post(
        "/auth/register",
        json={"email": email, "password": "a guess at it", "display_name": uuid.uuid4().hex[:8]},
    )
    assert new.status_code == taken.status_code == 201
    assert new.json() == taken.json()
    assert "access_token" not in new.text and REFRESH_COOKIE not in new.headers.get("set-cookie", "")
    assert "Someone tried to create" in _mails_to(owner, email)[0]["body"]
    # The owner's account is untouched: the old password still works, the stranger's does not.
    assert stranger.post("/auth/login", json={"email": email, "password": "a guess at it"}).status_code == 401
    owner.ok("POST", "/auth/login", json={"email": email, "password": PASSWORD})
    stranger.login(fresh)  # the new account signs in with POST /auth/login


def test_a_taken_display_name_is_a_conflict_whatever_the_email(new_api: Any) -> None:
    taken_name = new_api().user["display_name"]
    stranger = new_api(register=False)
    for email in (f"{uuid.uuid4().hex[:10]}@example.com", new_api().user["email"]):
        response = stranger.post(
            "/auth/register", json={"email": email, "password": PASSWORD, "display_name": taken_name.upper()}
        )
        assert response.status_code == 409 and error_of(response)["code"] == "CONFLICT"


def test_login_does_not_tell_unknown_emails_from_wrong_passwords(new_api: Any) -> None:
    player = new_api()
    wrong = player.post("/auth/login", json={"email": player.user["email"], "password": "not the password"})
    unknown = player.post(
        "/auth/login", json={"email": f"{uuid.uuid4().hex}@example.com", "password": "whatever1"}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert error_of(wrong) == error_of(unknown)


def test_forgot_password_answers_and_mails_alike_for_unknown_emails(new_api: Any) -> None:
    player = new_api()
    unknown_email = f"{uuid.uuid4().hex}@example.com"
    known = player.post("/auth/forgot-password", json={"email": player.user["email"]})
    unknown = player.post("/auth/forgot-password", json={"email": unknown_email})
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    assert "Your reset code: " in _mails_to(player, player.user["email"])[0]["body"]
    (note,) = _mails_to(player, unknown_email)
    assert "has no account" in note["body"] and "code" not in note["body"]


def _reset_code(player: Api) -> str:
    player.post("/auth/forgot-password", json={"email": player.user["email"]})
    mail = _mails_to(player, player.user["email"])[0]
    return str(mail["body"].split("Your reset code: ")[1].split()[0])


def test_password_reset_token_works_once_and_signs_out_everywhere(new_api: Any) -> None:
    player = new_api()
    token = _reset_code(player)
    player.ok("POST", "/auth/reset-password", json={"token": token, "password": "a brand new password"})
    again = player.post("/auth/reset-password", json={"token": token, "password": "another new password"})
    assert again.status_code == 400 and error_of(again)["code"] == "INVALID_TOKEN"
    assert player.refresh().status_code == 401
    assert player.get("/auth/me").status_code == 401  # the access token ended too
    assert (
        player.post("/auth/login", json={"email": player.user["email"], "password": PASSWORD}).status_code
        == 401
    )
    player.ok("POST", "/auth/login", json={"email": player.user["email"], "password": "a brand new password"})


def test_a_reset_revokes_every_other_reset_code_of_the_account(new_api: Any) -> None:
    player = new_api()
    older, used = _reset_code(player), _reset_code(player)
    assert older != used
    player.ok("POST", "/auth/reset-password", json={"token": used, "password": "a brand new password"})
    stale = player.post("/auth/reset-password", json={"token": older, "password": "the attacker's choice"})
    assert stale.status_code == 400 and error_of(stale)["code"] == "INVALID_TOKEN"


def test_the_refresh_token_travels_only_in_the_httponly_cookie(new_api: Any) -> None:
    player = new_api(register=False)
    email = f"{uuid.uuid4().hex[:10]}@example.com"
    player.ok(
        "POST",
        "/auth/register",
        201,
        json={"email": email, "password": PASSWORD, "display_name": uuid.uuid4().hex[:8]},
    )
    response = player.post("/auth/login", json={"email": email, "password": PASSWORD})
    assert "refresh_token" not in response.json()["data"]
    cookie = response.headers["set-cookie"]
    assert "schulte_refresh=" in cookie and "HttpOnly" in cookie and "Path=/api/v1/auth" in cookie
    assert "samesite=strict" in cookie.lower()
    refreshed = player.post("/auth/refresh")  # no body: the cookie jar sends it
    assert refreshed.status_code == 200, refreshed.text
    assert "refresh_token" not in refreshed.json()["data"]
    newest = refreshed.cookies[REFRESH_COOKIE]
    player.ok("POST", "/auth/logout")
    assert player.post("/auth/refresh", headers={"Cookie": f"{REFRESH_COOKIE}={newest}"}).status_code == 401


def test_refresh_rotates_and_reusing_an_old_token_revokes_the_whole_family(new_api: Any) -> None:
    player = new_api()
    first = player.refresh_token
    second = player.refreshed(first)
    third = player.refreshed(second)
    assert len({first, second, third}) == 3

    time.sleep(REUSE_GRACE_S + 0.2)  # a replay, not a lost answer
    reuse = player.refresh(first)
    assert reuse.status_code == 401
    assert error_of(reuse)["details"]["reason"] == "REFRESH_TOKEN_REUSED"
    # The thief's replay also ends the legitimate holder's newest token: the family is gone.
    assert player.refresh(third).status_code == 401


def test_a_replay_right_after_rotation_gets_the_successor_already_issued(new_api: Any) -> None:
    # The answer to the first refresh was lost (tab closed mid-refresh), or two tabs refreshed at once.
    player = new_api()
    first = player.refresh_token
    lost = player.refreshed(first)
    assert player.refreshed(first) == lost  # the same token again: the family never has two live ones
    assert player.get("/auth/me").status_code == 200
    # A second replay, even inside the window, is theft: the whole family ends.
    stolen = player.refresh(first)
    assert stolen.status_code == 401 and error_of(stolen)["details"]["reason"] == "REFRESH_TOKEN_REUSED"
    assert player.refresh(lost).status_code == 401


def test_a_replay_after_the_grace_window_revokes_the_family(new_api: Any) -> None:
    player = new_api()
    first = player.refresh_token
    lost = player.refreshed(first)
    time.sleep(REUSE_GRACE_S + 0.2)
    late = player.refresh(first)
    assert late.status_code == 401 and error_of(late)["details"]["reason"] == "REFRESH_TOKEN_REUSED"
    assert player.refresh(lost).status_code == 401


def test_logout_revokes_the_refresh_token_and_ends_the_access_token(new_api: Any) -> None:
    player = new_api()
    assert player.get("/auth/me").status_code == 200
    player.ok("POST", "/auth/logout", headers={"Cookie": f"{REFRESH_COOKIE}={player.refresh_token}"})
    assert player.refresh().status_code == 401
    response = player.get("/auth/me")
    assert response.status_code == 401 and error_of(response)["code"] == "UNAUTHORIZED"


def test_signing_out_one_device_keeps_the_others_signed_in_through_their_refresh(new_api: Any) -> None:
    laptop = new_api()
    phone = new_api(register=False).login(laptop.user["email"])
    laptop.ok("POST", "/auth/logout", headers={"Cookie": f"{REFRESH_COOKIE}={laptop.refresh_token}"})
    assert phone.get("/auth/me").status_code == 401  # its access token ended with the version ...
    phone.token = phone.refresh().json()["data"]["access_token"]  # ... and its own refresh still works
    assert phone.get("/auth/me").status_code == 200


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_expired_tampered_and_unsigned_access_tokens_are_rejected(new_api: Any, server: Any) -> None:
    player = new_api()
    master = server.env["SCHULTE_SECRET"]
    key = derive_key(master, "access-token")
    now = int(time.time())
    sub = player.user["id"]
    good = {"iss": "schulte", "aud": "schulte-api", "sub": sub, "ver": 0, "typ": "access"}
    without_iss = {name: value for name, value in good.items() if name != "iss"}
    header, payload, signature = player.token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    assert (claims["iss"], claims["aud"]) == ("schulte", "schulte-api")
    bad_tokens = {
        "expired": jwt.encode(good | {"iat": now - 3600, "exp": now - 60}, key, "HS256"),
        "wrong key": jwt.encode(good | {"iat": now, "exp": now + 60}, "not-the-key" * 4, "HS256"),
        "the master secret itself": jwt.encode(good | {"iat": now, "exp": now + 60}, master, "HS256"),
        "alg none": f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}.",
        "tampered subject": f"{header}.{_b64(claims | {'sub': str(uuid.uuid4())})}.{signature}",
        "no exp": jwt.encode(good | {"iat": now}, key, "HS256"),
        "another issuer": jwt.encode(good | {"iss": "elsewhere", "iat": now, "exp": now + 60}, key, "HS256"),
        "another audience": jwt.encode(good | {"aud": "billing", "iat": now, "exp": now + 60}, key, "HS256"),
        "no issuer": jwt.encode(without_iss | {"iat": now, "exp": now + 60}, key, "HS256"),
        "an older token version": jwt.encode(good | {"ver": -1, "iat": now, "exp": now + 60}, key, "HS256"),
        "garbage": "not-a-jwt",
    }
    for name, token in bad_tokens.items():
        response = player.get("/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, name
        assert error_of(response)["code"] == "UNAUTHORIZED", name
    fine = jwt.encode(good | {"iat": now, "exp": now + 60}, key, "HS256")
    assert player.get("/auth/me", headers={"Authorization": f"Bearer {fine}"}).status_code == 200
    assert player.get("/auth/me").status_code == 200


def test_a_valid_token_for_a_user_that_does_not_exist_is_unauthorized(new_api: Any, server: Any) -> None:
    key = derive_key(server.env["SCHULTE_SECRET"], "access-token")
    now = int(time.time())
    ghost = jwt.encode({"iss": "schulte", "aud": "schulte-api", "sub": str(uuid.uuid4()), "ver": 0,
                        "typ": "access", "iat": now, "exp": now + 60}, key, "HS256")  # fmt: skip
    anonymous = new_api(register=False)
    for method, path, body in [
        ("GET", "/auth/me", None),
        ("GET", "/users/me", None),
        ("PATCH", "/users/me/preferences", {"preferences": {}, "updated_at": "2026-12-01T00:00:00Z"}),
        ("POST", "/tickets", {"mode": "ranked", "grid_size": 5, "order_mode": "ASC"}),
        ("POST", "/sessions/sync", {"sessions": []}),
    ]:
        response = anonymous.request(method, path, json=body, headers={"Authorization": f"Bearer {ghost}"})
        assert response.status_code == 401, (path, response.text)
        assert error_of(response)["code"] == "UNAUTHORIZED"


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
