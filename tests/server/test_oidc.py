"""Sign in with an OpenID provider, against a real one: npm oidc-provider (PKCE required, form_post).

Each backend gets a server configured with three providers of the one local OpenID provider: ``local``
(ES256 ID tokens, query response mode), ``rs`` (RS256, form_post, as Apple answers) and ``google``
(Google's rules: a Workspace domain from the ID token's ``hd``). A browser is an httpx client with a
cookie jar that walks the provider's login and consent pages.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import ECKey

from server.config import ConfigError, OidcProvider, Settings
from server.errors import ApiError
from server.services import oidc
from tests.server.conftest import PASSWORD, REFRESH_COOKIE, Api, Database, Server
from tests.support.oidc import Callback, LocalProvider, authorize, free_port, login_name

PROVIDERS = {"local": "ES256", "rs": "RS256", "google": "ES256"}
HOSTED_DOMAIN = "example.org"


@dataclass
class Setup:
    server: Server
    provider: LocalProvider
    clients: list[httpx.Client] = field(default_factory=list)
    """HTTP clients the running test opened (closed after it)."""

    def api(self) -> Api:
        api = Api(self.server.url)
        self.clients.append(api.http)
        return api


@pytest.fixture(scope="module")
def setup(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    tmp = tmp_path_factory.mktemp(f"oidc-{backend}")
    port = free_port()
    discovery = f"http://127.0.0.1:{port}/.well-known/openid-configuration"
    settings = {"oidc_providers": ",".join(PROVIDERS), "oidc_local_name": "Local ID",
                "oidc_rs_response_mode": "form_post", "oidc_google_hosted_domain": HOSTED_DOMAIN,
                "rate_oidc_ip": "10000/60"}  # fmt: skip
    for pid in PROVIDERS:
        settings |= {f"oidc_{pid}_client_id": f"{pid}-client", f"oidc_{pid}_client_secret": f"{pid}-secret",
                     f"oidc_{pid}_discovery_url": discovery}  # fmt: skip
    database = Database.create(backend, tmp)
    server = Server.start(database, tmp, **settings)
    clients: list[dict[str, object]] = [
        {"client_id": f"{pid}-client", "client_secret": f"{pid}-secret", "alg": alg,
         "redirect_uris": [f"{server.url}/api/v1/auth/oidc/{pid}/callback"]}
        for pid, alg in PROVIDERS.items()
    ]  # fmt: skip
    provider = LocalProvider.start(port, clients, tmp / "oidc-provider.log")
    yield Setup(server, provider)
    provider.stop()
    server.stop()
    database.close()


class Browser:
    """One person's browser: a cookie jar that does not follow redirects by itself."""

    def __init__(self, setup: Setup) -> None:
        self.setup = setup
        self.http = httpx.Client(timeout=30, follow_redirects=False)

    def start(self, pid: str = "local") -> str:
        """``GET /auth/oidc/{pid}/start``: the provider's authorize URL it redirects to."""
        response = self.http.get(f"{self.setup.server.url}/api/v1/auth/oidc/{pid}/start")
        assert response.status_code == 302, response.text
        return str(response.headers["location"])

    def at_provider(self, url: str, login: str) -> Callback:
        return authorize(self.http, url, self.setup.provider.url, login)

    def sign_in(self, login: str, pid: str = "local") -> str:
        """The whole flow; where the server sent the browser in the end (the app's fragment)."""
        return self.finish(self.at_provider(self.start(pid), login))

    def finish(self, callback: Callback, **changes: str) -> str:
        response = callback.deliver(self.http, **changes)
        assert response.status_code == 303, response.text
        return str(response.headers["location"])

    def me(self) -> dict[str, Any]:
        """Refresh with the cookie the callback set, as the app does; the signed-in user."""
        response = self.http.post(f"{self.setup.server.url}/api/v1/auth/refresh")
        assert response.status_code == 200, response.text
        return dict(response.json()["data"]["user"])

    def api(self) -> Api:
        """An API client signed in as this browser's player."""
        response = self.http.post(f"{self.setup.server.url}/api/v1/auth/refresh")
        api = self.setup.api()
        api.token = response.json()["data"]["access_token"]
        return api


@pytest.fixture
def browser(setup: Setup) -> Iterator[Any]:
    def make() -> Browser:
        made = Browser(setup)
        setup.clients.append(made.http)
        return made

    yield make
    while setup.clients:
        setup.clients.pop().close()


def person(verified: str = "true", email: str | None = None, name: str = "", hd: str = "") -> str:
    """A new person at the provider (their own sub and, unless given, their own email)."""
    sub = uuid.uuid4().hex[:12]
    return login_name(sub, email or f"{sub}@example.com", verified, name, hd)


def password_account(setup: Setup, verified: bool) -> Api:
    """A player who registered with a password (and, if ``verified``, entered the mailed code)."""
    api = setup.api().register()
    if verified:
        mail = next(m for m in api.ok("GET", "/dev/outbox") if m["to"] == api.user["email"])
        code = mail["body"].split("on the account screen: ")[1].split()[0]
        api.ok("POST", "/auth/verify-email", json={"code": code})
    return api


def test_providers_are_listed_as_configured_and_none_by_default(setup: Setup, browser: Any) -> None:
    listed = setup.api().ok("GET", "/auth/providers")
    assert listed == [{"id": "local", "name": "Local ID"}, {"id": "rs", "name": "Rs"},
                      {"id": "google", "name": "Google"}]  # fmt: skip
    assert Settings.from_env({"SCHULTE_ENV": "test", "SCHULTE_SECRET": "s" * 40}).oidc_providers == ()


def test_start_sends_the_browser_to_the_provider_with_pkce_s256_a_nonce_and_a_state(browser: Any) -> None:
    query = parse_qs(urlsplit(browser().start()).query)
    assert query["code_challenge_method"] == ["S256"] and query["response_type"] == ["code"]
    assert query["client_id"] == ["local-client"] and "openid" in query["scope"][0].split()
    assert len(query["state"][0]) >= 40 and len(query["nonce"][0]) >= 40 and query["code_challenge"]


def test_an_unknown_provider_is_not_found(setup: Setup) -> None:
    response = httpx.get(f"{setup.server.url}/api/v1/auth/oidc/nowhere/start")
    assert response.status_code == 404 and response.json()["error"]["code"] == "NOT_FOUND"


def test_a_new_player_signs_up_through_the_provider_then_signs_in_to_the_same_account(browser: Any) -> None:
    login = person(name="Ana Lima")
    first = browser()
    assert first.sign_in(login) == "/#account?oidc=created"
    user = first.me()
    assert user["email"] == login.split(":")[1] and user["email_verified"] is True
    assert user["display_name"].startswith("Ana Lima")
    methods = first.api().ok("GET", "/auth/sign-in-methods")
    assert methods["password"] is False
    assert [(i["provider"], i["name"]) for i in methods["identities"]] == [("local", "Local ID")]
    again = browser()
    assert again.sign_in(login) == "/#account?oidc=signed_in"
    assert again.me()["id"] == user["id"]


def test_form_post_with_an_rs256_id_token_signs_in_too(browser: Any) -> None:
    one = browser()
    callback = one.at_provider(one.start("rs"), person())
    assert callback.method == "POST"  # the provider's auto-submitting form, as Apple answers
    assert one.finish(callback) == "/#account?oidc=created"
    assert one.me()["email_verified"] is True


def test_a_replayed_callback_is_refused_and_signs_nobody_in(browser: Any) -> None:
    one = browser()
    callback = one.at_provider(one.start(), person())
    assert one.finish(callback) == "/#account?oidc=created"
    thief = browser()
    response = callback.deliver(thief.http)
    assert response.headers["location"] == "/#account?oidc_error=OIDC_STATE_INVALID"
    assert REFRESH_COOKIE not in response.cookies


def test_a_tampered_state_is_refused_and_the_real_one_still_works_once(browser: Any) -> None:
    one = browser()
    callback = one.at_provider(one.start(), person())
    forged = one.finish(callback, state=uuid.uuid4().hex * 2)
    assert forged == "/#account?oidc_error=OIDC_STATE_INVALID"
    assert one.finish(callback) == "/#account?oidc=created"


def test_a_tampered_code_is_refused_and_spends_the_state(browser: Any) -> None:
    one = browser()
    callback = one.at_provider(one.start(), person())
    assert one.finish(callback, code=callback.params["code"][:-4] + "AAAA") == (
        "/#account?oidc_error=OIDC_CODE_REJECTED"
    )
    assert one.finish(callback) == "/#account?oidc_error=OIDC_STATE_INVALID"


def _with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()} | changes
    return urlunsplit((*parts[:3], urlencode(query), ""))


def test_an_id_token_for_another_nonce_is_refused(browser: Any) -> None:
    one = browser()
    url = _with_query(one.start(), nonce=uuid.uuid4().hex)  # the provider signs the wrong nonce
    assert one.finish(one.at_provider(url, person())) == "/#account?oidc_error=OIDC_TOKEN_INVALID"


def test_a_swapped_pkce_challenge_makes_the_provider_refuse_the_code(browser: Any) -> None:
    one = browser()
    url = _with_query(one.start(), code_challenge="A" * 43)  # an attacker's challenge, not ours
    assert one.finish(one.at_provider(url, person())) == "/#account?oidc_error=OIDC_CODE_REJECTED"


def test_an_unverified_local_email_is_never_linked_automatically(setup: Setup, browser: Any) -> None:
    local = password_account(setup, verified=False)
    one = browser()
    login = person(email=local.user["email"])
    assert one.sign_in(login) == "/#account?oidc_error=ACCOUNT_EXISTS"
    assert local.ok("GET", "/auth/sign-in-methods")["identities"] == []


def test_an_email_the_provider_does_not_vouch_for_is_never_linked(setup: Setup, browser: Any) -> None:
    local = password_account(setup, verified=True)
    for verified in ("false", "none"):
        login = person(verified=verified, email=local.user["email"])
        assert browser().sign_in(login) == "/#account?oidc_error=ACCOUNT_EXISTS"
    assert local.ok("GET", "/auth/sign-in-methods")["identities"] == []


def test_a_verified_email_vouched_for_by_the_provider_links_to_the_existing_account(
    setup: Setup, browser: Any
) -> None:
    local = password_account(setup, verified=True)
    one = browser()
    login = person(verified="string", email=local.user["email"].upper())  # Apple's "true", any case
    assert one.sign_in(login) == "/#account?oidc=linked"
    assert one.me()["id"] == local.user["id"]
    methods = local.ok("GET", "/auth/sign-in-methods")
    assert methods["password"] is True and [i["provider"] for i in methods["identities"]] == ["local"]


def test_a_player_signed_in_with_a_password_links_and_unlinks_a_provider(setup: Setup, browser: Any) -> None:
    local = password_account(setup, verified=False)
    one = browser()
    url = local.ok("POST", "/auth/oidc/local/link")["url"]
    login = person(email="someone.else@example.net")  # the provider's email need not match
    assert one.finish(one.at_provider(url, login)) == "/#account?oidc=linked"
    later = browser()
    assert later.sign_in(login) == "/#account?oidc=signed_in"
    assert later.me()["id"] == local.user["id"]
    methods = local.ok("GET", "/auth/sign-in-methods")
    assert [(i["provider"], i["email"]) for i in methods["identities"]] == [
        ("local", "someone.else@example.net")
    ]
    assert local.ok("DELETE", "/auth/oidc/local/link") == {"message": "local unlinked"}
    assert local.ok("GET", "/auth/sign-in-methods")["identities"] == []
    missing = local.request("DELETE", "/auth/oidc/local/link")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "NOT_FOUND"
    assert local.post("/auth/oidc/local/link", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_linking_an_identity_that_signs_in_to_another_player_is_refused(setup: Setup, browser: Any) -> None:
    login = person()
    assert browser().sign_in(login) == "/#account?oidc=created"
    local = password_account(setup, verified=False)
    one = browser()
    url = local.ok("POST", "/auth/oidc/local/link")["url"]
    assert one.finish(one.at_provider(url, login)) == "/#account?oidc_error=IDENTITY_TAKEN"
    assert local.ok("GET", "/auth/sign-in-methods")["identities"] == []


def test_a_player_cannot_remove_their_last_way_to_sign_in(browser: Any) -> None:
    one = browser()
    login = person()
    assert one.sign_in(login) == "/#account?oidc=created"
    api = one.api()
    refused = api.request("DELETE", "/auth/oidc/local/link")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "LAST_SIGN_IN_METHOD"
    url = api.ok("POST", "/auth/oidc/rs/link")["url"]
    other = browser()  # a browser not yet signed in at the provider, so a second person there
    assert other.finish(other.at_provider(url, person())) == "/#account?oidc=linked"
    api.ok("DELETE", "/auth/oidc/local/link")  # the rs identity is left
    refused = api.request("DELETE", "/auth/oidc/rs/link")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "LAST_SIGN_IN_METHOD"


def test_a_provider_only_account_has_no_password_to_guess(setup: Setup, browser: Any) -> None:
    one = browser()
    login = person()
    one.sign_in(login)
    api = setup.api()
    response = api.post("/auth/login", json={"email": login.split(":")[1], "password": PASSWORD})
    assert response.status_code == 401 and response.json()["error"]["code"] == "UNAUTHORIZED"


def test_google_accounts_outside_the_workspace_domain_are_refused(browser: Any) -> None:
    assert browser().sign_in(person(), "google") == "/#account?oidc_error=OIDC_DOMAIN_REFUSED"
    assert (
        browser().sign_in(person(hd="evil.example"), "google") == "/#account?oidc_error=OIDC_DOMAIN_REFUSED"
    )
    assert browser().sign_in(person(hd=HOSTED_DOMAIN), "google") == "/#account?oidc=created"


def test_a_provider_that_said_no_sends_the_player_back_with_a_code(browser: Any) -> None:
    one = browser()
    callback = one.at_provider(one.start(), person())
    assert one.finish(Callback("GET", callback.url, {"error": "access_denied"})) == (
        "/#account?oidc_error=OIDC_DENIED"
    )


GOOGLE = OidcProvider("google", "Google", "google", "https://example.invalid/d", "cid", "secret")


def _token(**claims: Any) -> jwt.Token:
    now = int(time.time())
    base = {"iss": "accounts.google.com", "aud": "cid", "sub": "1", "exp": now + 60, "iat": now, "nonce": "n"}
    return jwt.Token({"alg": "RS256"}, base | claims)


def test_google_id_tokens_may_name_their_issuer_with_or_without_https() -> None:
    issuers = oidc.accepted_issuers(GOOGLE, {"issuer": "https://accounts.google.com"})
    for iss in ("accounts.google.com", "https://accounts.google.com"):
        assert oidc.check_id_token(_token(iss=iss), GOOGLE, issuers, "n")["sub"] == "1"
    for bad in ({"iss": "https://evil.example"}, {"aud": "other"}, {"nonce": "m"}, {"exp": 1}):
        with pytest.raises(ApiError) as refused:
            oidc.check_id_token(_token(**bad), GOOGLE, issuers, "n")
        assert refused.value.code == "OIDC_TOKEN_INVALID"


def test_apples_client_secret_is_an_es256_jwt_from_the_p8_key() -> None:
    key = ECKey.generate_key("P-256")
    apple = OidcProvider("apple", "Apple", "apple", "https://appleid.apple.com/x", "com.example.web",
                         team_id="TEAM123456", key_id="KEY1234567",
                         private_key=key.as_pem(private=True).decode())  # fmt: skip
    now = int(time.time())
    token = jwt.decode(oidc.apple_client_secret(apple, now), key, algorithms=["ES256"])
    assert (token.header["alg"], token.header["kid"]) == ("ES256", "KEY1234567")
    claims = token.claims
    assert (claims["iss"], claims["sub"], claims["aud"]) == (
        "TEAM123456",
        "com.example.web",
        "https://appleid.apple.com",
    )
    assert 0 < claims["exp"] - now <= 183 * 24 * 3600


def test_an_apple_provider_without_its_key_is_a_configuration_error(tmp_path: Path) -> None:
    env = {"SCHULTE_ENV": "test", "SCHULTE_SECRET": "s" * 40, "SCHULTE_OIDC_PROVIDERS": "apple",
           "SCHULTE_OIDC_APPLE_CLIENT_ID": "com.example.web"}  # fmt: skip
    with pytest.raises(ConfigError, match=r"SCHULTE_OIDC_APPLE_TEAM_ID.*SCHULTE_OIDC_APPLE_PRIVATE_KEY_FILE"):
        Settings.from_env(env)
    key = tmp_path / "AuthKey.p8"
    key.write_bytes(ECKey.generate_key("P-256").as_pem(private=True))
    env |= {"SCHULTE_OIDC_APPLE_TEAM_ID": "T", "SCHULTE_OIDC_APPLE_KEY_ID": "K",
            "SCHULTE_OIDC_APPLE_PRIVATE_KEY_FILE": str(key)}  # fmt: skip
    [apple] = Settings.from_env(env).oidc_providers
    assert (apple.kind, apple.response_mode, apple.name) == ("apple", "form_post", "Apple")
