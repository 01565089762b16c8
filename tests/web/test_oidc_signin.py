"""Sign in with an OpenID provider in Chromium, through the real local provider (npm oidc-provider).

The provider's button appears only because the server lists it; the person signs in on the provider's
own pages (devInteractions), comes back to the app signed in, and sees the provider among their ways
to sign in, which they cannot remove while it is the only one. SQLite only: the server suite runs the
flow's every rule on both databases.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.support.oidc import LocalProvider, free_port, login_name
from tests.web.conftest import BUILD, off_the_loop


@dataclass
class Setup:
    url: str


@pytest.fixture(scope="module")
def oidc_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    from tests.server.conftest import Database, Server  # the server suite's process helper

    tmp = tmp_path_factory.mktemp("web-oidc")
    port = free_port()
    database = off_the_loop(Database.create, "sqlite", tmp)
    server = Server.start(
        database, tmp, static_dir=str(BUILD), oidc_providers="local", oidc_local_name="Local ID",
        oidc_local_client_id="web-client", oidc_local_client_secret="web-secret",  # noqa: S106 -- a test client
        oidc_local_discovery_url=f"http://127.0.0.1:{port}/.well-known/openid-configuration",
    )  # fmt: skip
    client = {"client_id": "web-client", "client_secret": "web-secret", "alg": "ES256",
              "redirect_uris": [f"{server.url}/api/v1/auth/oidc/local/callback"]}  # fmt: skip
    provider = LocalProvider.start(port, [client], tmp / "oidc-provider.log")
    yield Setup(server.url + "/")
    provider.stop()
    server.stop()
    off_the_loop(database.close)


def test_a_new_player_continues_with_the_provider_and_comes_back_signed_in(
    context: BrowserContext, oidc_server: Setup
) -> None:
    page = context.new_page()
    page.goto(oidc_server.url)  # the account screen is plain JS: it does not wait for Python
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Account").click()
    providers = page.get_by_role("group", name="Sign in with a provider")
    providers.get_by_role("link", name="Continue with Local ID").click()

    sub = uuid.uuid4().hex[:10]
    page.get_by_placeholder("Enter any login").fill(login_name(sub, f"{sub}@example.com", "true", "Noor"))
    page.get_by_placeholder("and password").fill("anything")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()  # the provider's consent page

    expect(page.locator("#account-message")).to_have_text("Account created. You are signed in.")
    expect(page.get_by_text(re.compile("Signed in as Noor"))).to_be_visible()
    methods = page.get_by_role("list", name="Ways to sign in")
    expect(methods).to_contain_text(f"Local ID ({sub}@example.com)")
    methods.get_by_role("button", name="Unlink Local ID").click()
    expect(page.locator("#account-message")).to_have_text(re.compile("^That is your only way to sign in"))
    expect(methods).to_contain_text("Local ID")


def test_without_providers_the_form_signs_in_and_its_toggle_asks_a_new_player_for_a_name(
    context: BrowserContext, server_url: Any
) -> None:
    page = context.new_page()
    page.goto(server_url)
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Account").click()
    form = page.get_by_role("form", name="Sign in")
    expect(form.get_by_label("Email")).to_be_visible()
    expect(form.get_by_label("Display name")).to_be_hidden()  # only creating an account asks for it
    expect(page.get_by_role("link", name=re.compile("^Continue with"))).to_have_count(0)
    form.get_by_role("button", name="New here? Create an account").click()
    expect(page.get_by_role("form", name="Create an account").get_by_label("Display name")).to_be_visible()
