"""Accounts in the app, against the real server: sign up, sign in, sign out, reset, clear errors."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
from playwright.sync_api import BrowserContext, Locator, Page, expect

from core import DISPLAY_NAME_MAX
from tests.web.conftest import open_app

PASSWORD = "correct horse battery"  # noqa: S105 -- the test players' password


def new_email() -> str:
    return f"{uuid.uuid4().hex[:10]}@example.com"


def account_form(page: Page, name: str) -> Locator:
    return page.get_by_role("form", name=name)


def open_account(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Account").click()
    expect(page.get_by_role("heading", name="Account", exact=True)).to_be_visible()


def auth_form(page: Page, mode: str) -> Locator:
    """The one sign-in form, switched to ``mode`` ("Sign in" or "Create an account") by its toggle."""
    open_account(page)
    other = "Create an account" if mode == "Sign in" else "Sign in"
    if account_form(page, other).is_visible():
        account_form(page, other).get_by_role(
            "button", name=re.compile("^(New here|Have an account)")
        ).click()
    form = account_form(page, mode)
    expect(form).to_be_visible()
    return form


def sign_up(page: Page, email: str, name: str = "Ada", password: str = PASSWORD) -> None:
    form = auth_form(page, "Create an account")
    form.get_by_label("Display name").fill(name)
    form.get_by_label("Email").fill(email)
    form.get_by_label("Password").fill(password)
    form.get_by_role("button", name="Create account", exact=True).click()


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    form = auth_form(page, "Sign in")
    form.get_by_label("Email").fill(email)
    form.get_by_label("Password").fill(password)
    form.get_by_role("button", name="Sign in", exact=True).click()


def alert(page: Page) -> Locator:
    return page.locator("#account-message")


def signed_in_as(page: Page, name: str) -> Locator:
    return page.get_by_text(re.compile(f"Signed in as {re.escape(name)}"))


def test_a_guest_signs_up_signs_out_and_back_in_with_a_clear_message_for_every_error(
    context: BrowserContext, server_url: str
) -> None:
    page = context.new_page()
    open_app(page, server_url)
    email = new_email()

    sign_up(page, email, "Ada")
    expect(alert(page)).to_have_text(
        "Account created. You are signed in. We mailed you a code to confirm your email."
    )
    expect(signed_in_as(page, "Ada")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    expect(alert(page)).to_have_text("Signed out. Your games stay on this device.")
    expect(account_form(page, "Sign in")).to_be_visible()

    sign_up(page, email, "Ada again", password="someone else's guess")  # noqa: S106 -- a test password
    expect(alert(page)).to_have_text(
        "This email may already have an account: we mailed its owner. Sign in, or reset the password."
    )
    sign_up(page, new_email(), "ADA")
    expect(alert(page)).to_have_text("That display name is taken. Please choose another.")

    sign_up(page, new_email(), "Shorty", password="short")  # noqa: S106 -- a too-short test password
    expect(alert(page)).to_have_text("The password must be at least 8 characters.")

    sign_in(page, email, "not the password")
    expect(alert(page)).to_have_text("Wrong email or password.")

    context.set_offline(True)
    sign_in(page, email)
    expect(alert(page)).to_have_text("You are offline. Check the connection and try again.")
    context.set_offline(False)

    sign_in(page, email)
    expect(alert(page)).to_have_text("Signed in.")
    expect(signed_in_as(page, "Ada")).to_be_visible()

    page.reload()  # the access token was only in memory: the page is still signed in
    open_account(page)
    expect(signed_in_as(page, "Ada")).to_be_visible()


def test_the_display_name_field_takes_as_many_characters_as_the_server_and_no_more(
    context: BrowserContext, server_url: str
) -> None:
    """The limit is core's (the server's), so the longest name the form lets through signs up."""
    page = context.new_page()
    open_app(page, server_url)
    longest = f"Ada {uuid.uuid4().hex}".ljust(DISPLAY_NAME_MAX, "a")
    form = auth_form(page, "Create an account")
    form.get_by_label("Display name").press_sequentially(longest + "bcd")
    expect(form.get_by_label("Display name")).to_have_value(longest)
    form.get_by_label("Email").fill(new_email())
    form.get_by_label("Password").fill(PASSWORD)
    form.get_by_role("button", name="Create account", exact=True).click()
    expect(signed_in_as(page, longest)).to_be_visible()


def test_a_forgotten_password_is_reset_with_the_mailed_code(
    context: BrowserContext, server_url: str, real_server: Any
) -> None:
    page = context.new_page()
    open_app(page, server_url)
    email = new_email()
    sign_up(page, email, "Grace")
    expect(signed_in_as(page, "Grace")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    expect(account_form(page, "Forgot your password?")).to_be_hidden()  # a link opens the reset steps
    page.get_by_role("button", name="Forgot password?").click()
    forgot = account_form(page, "Forgot your password?")
    forgot.get_by_label("Account email").fill(email)
    forgot.get_by_role("button", name="Send reset code").click()
    expect(alert(page)).to_contain_text("a reset code is on its way")

    mails = httpx.get(f"{real_server.url}/api/v1/dev/outbox").json()["data"]
    body = next(mail["body"] for mail in mails if mail["to"] == email)
    code = re.search(r"Your reset code: (\S+)", body)
    assert code, body

    reset = account_form(page, "Reset password")
    reset.get_by_label("Reset code").fill("not-a-real-code-at-all-0000")
    reset.get_by_label("New password").fill("a brand new password")
    reset.get_by_role("button", name="Set new password").click()
    expect(alert(page)).to_have_text("That reset code is unknown, used or expired. Ask for a new one.")

    reset.get_by_label("Reset code").fill(code.group(1))
    reset.get_by_role("button", name="Set new password").click()
    expect(alert(page)).to_have_text("Password changed. Sign in with the new password.")

    sign_in(page, email, PASSWORD)
    expect(alert(page)).to_have_text("Wrong email or password.")
    sign_in(page, email, "a brand new password")
    expect(signed_in_as(page, "Grace")).to_be_visible()


def test_a_revoked_sign_in_signs_the_player_out_cleanly_and_keeps_local_history(
    context: BrowserContext, server_url: str, real_server: Any
) -> None:
    from tests.web.test_sync import local_ids, play_game, sync_status

    page = context.new_page()
    open_app(page, server_url)
    sign_up(page, new_email(), "Revoked")
    expect(signed_in_as(page, "Revoked")).to_be_visible()
    play_game(page)
    expect(sync_status(page)).to_have_text("Synced")

    # Someone replays the cookie's refresh token elsewhere: the server rotates it, so the app's copy is
    # now a rotated token, and presenting it revokes the whole family.
    cookie = next(c for c in context.cookies() if c["path"].startswith("/api/v1/auth"))
    stolen = httpx.post(f"{real_server.url}/api/v1/auth/refresh", json={"refresh_token": cookie["value"]})
    assert stolen.status_code == 200, stolen.text

    page.wait_for_timeout(4_000)  # the test server's access tokens live 3 s
    play_game(page)
    expect(sync_status(page)).to_have_text("Saved on this device · 1 waiting")
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Account").click()
    expect(alert(page)).to_have_text("Your sign-in has ended. Please sign in again.")
    expect(account_form(page, "Sign in")).to_be_visible()
    assert len(local_ids(page)) == 2


def test_a_rate_limited_answer_says_to_wait(context: BrowserContext, server_url: str) -> None:
    page = context.new_page()
    open_app(page, server_url)
    limited = {"status": "error", "error": {"code": "RATE_LIMITED", "message": "slow down", "details": {}}}
    page.route(
        "**/api/v1/auth/login",
        lambda route: route.fulfill(status=429, headers={"Retry-After": "60"}, json=limited),
    )
    sign_in(page, new_email())
    expect(alert(page)).to_have_text("Too many attempts. Please wait a moment and try again.")
