"""A real OpenID provider for tests (npm ``oidc-provider`` in Node) and a browser-like walk through it.

``LocalProvider`` runs ``oidc_provider.mjs`` on a loopback port. ``authorize`` plays the person at the
provider over real HTTP: it follows the redirects, fills the devInteractions login and consent forms,
and stops at the provider's answer to the relying party (a redirect, or the form_post page) without
delivering it, so that a test can deliver, replay or tamper with it.
"""

from __future__ import annotations

import html
import json
import re
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urljoin, urlsplit, urlunsplit

import httpx

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("oidc_provider.mjs")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LocalProvider:
    """A running oidc-provider on loopback."""

    url: str
    process: subprocess.Popen[bytes]

    @property
    def discovery_url(self) -> str:
        return f"{self.url}/.well-known/openid-configuration"

    @classmethod
    def start(cls, port: int, clients: list[dict[str, object]], log: Path) -> LocalProvider:
        """Start it with ``clients`` (client_id, client_secret, redirect_uris, alg); wait for it."""
        with log.open("wb") as out:
            process = subprocess.Popen(  # noqa: S603 -- our own script, no shell
                ["node", str(SCRIPT), str(port), json.dumps(clients)],  # noqa: S607 -- node from PATH
                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        provider = cls(f"http://127.0.0.1:{port}", process)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"oidc-provider exited: {log.read_text()[-2000:]}")
            try:
                if httpx.get(provider.discovery_url, timeout=1).status_code == 200:
                    return provider
            except httpx.HTTPError:
                time.sleep(0.1)
        provider.stop()
        raise RuntimeError(f"oidc-provider did not answer in 30 s: {log.read_text()[-2000:]}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@dataclass
class Callback:
    """The provider's answer to the relying party, not yet delivered."""

    method: str
    """``GET`` (query response mode) or ``POST`` (form_post)."""
    url: str
    """The redirect URI, without query."""
    params: dict[str, str]
    """code, state, iss (or error)."""

    def deliver(self, browser: httpx.Client, **changes: str) -> httpx.Response:
        """Send it to the relying party as the browser would, with ``changes`` to its parameters."""
        params = {**self.params, **changes}
        if self.method == "POST":
            return browser.post(self.url, data=params)
        return browser.get(self.url, params=params)


FORM = re.compile(r'<form[^>]*action="([^"]+)"', re.S)
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def login_name(sub: str, email: str = "-", verified: str = "true", name: str = "", hd: str = "") -> str:
    """The devInteractions login that makes the provider's account say these claims (see the .mjs)."""
    return ":".join([sub, email, verified, name, hd])


def authorize(browser: httpx.Client, url: str, provider: str, login: str) -> Callback:
    """Walk from the authorize ``url`` through login and consent as ``login``; the answer to deliver."""
    response = browser.get(url)
    for _ in range(20):
        if response.is_redirect:
            target = urljoin(str(response.url), response.headers["location"])
            if not target.startswith(provider):
                parts = urlsplit(target)
                return Callback("GET", urlunsplit((*parts[:3], "", "")), dict(parse_qsl(parts.query)))
            response = browser.get(target)
            continue
        assert response.status_code == 200, response.text
        page = response.text
        action = html.unescape(FORM.search(page)[1])  # type: ignore[index] # every page here has a form
        fields = {key: html.unescape(value) for key, value in HIDDEN.findall(page)}
        if not action.startswith(provider) and not action.startswith("/"):
            return Callback("POST", action, fields)  # the form_post page, addressed to the relying party
        if fields.get("prompt") == "login":
            fields.update(login=login, password="any")  # noqa: S106 -- devInteractions accept any
        response = browser.post(urljoin(str(response.url), action), data=fields)
    raise AssertionError("the provider never answered the relying party")
