"""A default install is safe: loopback-only development with its own secrets, a real mailer in
production, and no mail body (reset codes) in any log."""

from __future__ import annotations

import re
import stat
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from server.config import derive_key
from tests.server.conftest import PASSWORD, Api, Database, Server, free_port

OLD_PUBLIC_SECRET = "schulte-development-secret-do-not-use-in-production"  # noqa: S105 -- the leaked default
SMTP_USER, SMTP_PASSWORD = "schulte-relay", "relay password"
PRODUCTION_SECRET = "production-secret-" + "z" * 32


@pytest.fixture
def database(backend: str, tmp_path: Path) -> Iterator[Database]:
    db = Database.create(backend, tmp_path)
    yield db
    db.close()


def test_development_refuses_to_listen_beyond_loopback(database: Database, tmp_path: Path) -> None:
    for env in ("development", "test"):
        with pytest.raises(RuntimeError, match="loopback only"):
            Server.start(database, tmp_path, env=env, host="0.0.0.0")  # noqa: S104 -- what must be refused


def _token(key: str | bytes, user_id: str) -> str:
    now = int(time.time())
    claims = {"iss": "schulte", "aud": "schulte-api", "sub": user_id, "ver": 0, "typ": "access",
              "iat": now, "exp": now + 600}  # fmt: skip
    return jwt.encode(claims, key, "HS256")


def test_development_makes_a_private_random_secret_per_install_and_keeps_it(
    database: Database, tmp_path: Path
) -> None:
    secret_file = tmp_path / "cache" / "secret"
    settings = {"env": "development", "secret": "", "secret_file": str(secret_file)}
    first = Server.start(database, tmp_path, **settings)
    try:
        player = Api(first.url).register()
        victim = player.user["id"]
        forged = player.get(
            "/auth/me", headers={"Authorization": f"Bearer {_token(OLD_PUBLIC_SECRET, victim)}"}
        )
        assert forged.status_code == 401
        secret = secret_file.read_text()
        assert len(secret) >= 32 and secret not in first.log.read_text()
        assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    finally:
        first.stop()
    player.http.close()
    again = Server.start(database, tmp_path, **settings)  # a restart keeps the install's secret
    same = Api(again.url)
    try:
        same.token = player.token
        assert same.get("/auth/me").status_code == 200
        signed = _token(derive_key(secret, "access-token"), victim)
        assert same.get("/auth/me", headers={"Authorization": f"Bearer {signed}"}).status_code == 200
    finally:
        again.stop()
        same.http.close()
    other = tmp_path / "other-install" / "secret"
    Server.start(database, tmp_path, **(settings | {"secret_file": str(other)})).stop()
    assert other.read_text() != secret


def test_the_dev_outbox_answers_only_direct_local_requests(server: Server) -> None:
    outbox = f"{server.url}/api/v1/dev/outbox"
    assert httpx.get(outbox).status_code == 200
    proxied = httpx.get(outbox, headers={"X-Forwarded-For": "203.0.113.5"})
    assert proxied.status_code == 404 and proxied.json()["error"]["code"] == "NOT_FOUND"


def test_production_refuses_to_start_without_a_mailer(database: Database, tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="SCHULTE_SMTP_HOST"):
        Server.start(database, tmp_path, env="production", secret=PRODUCTION_SECRET)


@dataclass
class Relay:
    """A real SMTP server (aiosmtpd) that insists on STARTTLS and a login, and keeps what it gets."""

    port: int
    ca_file: Path
    received: list[Any] = field(default_factory=list)
    logins: list[bytes] = field(default_factory=list)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802 -- aiosmtpd's hook name
        assert session.ssl is not None, "the mail came in clear"
        self.received.append(message_from_bytes(envelope.original_content or b""))
        return "250 OK"

    def authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            SMTP_USER.encode(),
            SMTP_PASSWORD.encode(),
        )
        if ok:
            self.logins.append(data.login)
        return AuthResult(success=ok)

    def wait_for(self, count: int) -> None:
        deadline = time.monotonic() + 20
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(self.received) >= count, self.received


@pytest.fixture
def relay(tmp_path: Path) -> Iterator[Relay]:
    import ssl

    cert, key = tmp_path / "relay.pem", tmp_path / "relay.key"
    # A self-signed certificate for 127.0.0.1, which the server's mailer trusts through SMTP_CA_FILE.
    command = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1"
    command += f" -addext subjectAltName=IP:127.0.0.1 -keyout {key} -out {cert}"
    subprocess.run(  # noqa: S603 -- fixed arguments
        ["/usr/bin/openssl", *command.split()[1:]],
        check=True,
        capture_output=True,
    )
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(cert, key)
    relay = Relay(free_port(), cert)
    controller = Controller(
        relay, hostname="127.0.0.1", port=relay.port, tls_context=tls, require_starttls=True,
        auth_required=True, authenticator=relay.authenticate,
    )  # fmt: skip
    controller.start()
    yield relay
    controller.stop()


def test_production_mails_through_smtp_with_starttls_and_never_logs_a_body(
    database: Database, tmp_path: Path, relay: Relay
) -> None:
    running = Server.start(
        database, tmp_path, env="production", secret=PRODUCTION_SECRET, log_level="INFO",
        smtp_host="127.0.0.1", smtp_port=str(relay.port), smtp_username=SMTP_USER,
        smtp_password=SMTP_PASSWORD, smtp_from="Schulte <no-reply@schulte.test>",
        smtp_ca_file=str(relay.ca_file),
    )  # fmt: skip
    player = Api(running.url)
    try:
        assert player.get("/dev/outbox").status_code == 404  # no outbox in production
        hsts = httpx.get(f"{running.url}/").headers["strict-transport-security"]
        assert hsts.startswith("max-age=31536000")
        email = f"{uuid.uuid4().hex[:10]}@example.com"
        player.ok(
            "POST",
            "/auth/register",
            201,
            json={"email": email, "password": PASSWORD, "display_name": "Mailed"},
        )
        player.ok("POST", "/auth/forgot-password", 202, json={"email": email})
        relay.wait_for(2)
        welcome, reset = relay.received[-2:]
        assert (welcome["To"], reset["To"], reset["From"]) == (
            email,
            email,
            "Schulte <no-reply@schulte.test>",
        )
        assert relay.logins == [SMTP_USER.encode()] * 2
        body = reset.get_payload(decode=True).decode()
        code = re.search(r"Your reset code: (\S+)", body)
        assert code, body
        player.ok(
            "POST", "/auth/reset-password", json={"token": code.group(1), "password": "a brand new password"}
        )
    finally:
        player.http.close()
        running.stop()
    log = running.log.read_text()
    assert "mail to @example.com sent: Reset your Schulte password" in log
    assert code.group(1) not in log and "Your reset code" not in log and "is ready" not in log


def test_the_development_outbox_logs_no_body_either(database: Database, tmp_path: Path) -> None:
    running = Server.start(database, tmp_path, log_level="INFO")
    player = Api(running.url)
    try:
        player.register()
        player.ok("POST", "/auth/forgot-password", 202, json={"email": player.user["email"]})
        body = player.ok("GET", "/dev/outbox")[0]["body"]
    finally:
        player.http.close()
        running.stop()
    log = running.log.read_text()
    assert "kept in the dev outbox: Reset your Schulte password" in log
    assert body.split("Your reset code: ")[1].split()[0] not in log and "Your reset code" not in log
