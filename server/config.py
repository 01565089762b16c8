"""Settings from ``SCHULTE_*`` environment variables, with safe defaults for development.

One frozen object is built at start-up and handed to the app factory, so tests and benchmarks start
servers with different settings side by side and nothing reads the environment later.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "LOOPBACK_HOSTS",
    "REPO_ROOT",
    "ConfigError",
    "OidcProvider",
    "RateLimit",
    "Settings",
    "derive_key",
    "local_secret",
]

REPO_ROOT = Path(__file__).resolve().parent.parent
"""The repository checkout this server runs from (defaults for files are relative to it)."""

LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")
"""Where development and test may listen: they serve the mail outbox and keep their secret on disk."""


def derive_key(master: str, purpose: str) -> bytes:
    """HKDF-SHA256 (RFC 5869, no salt) of ``master`` for one ``purpose``.

    The access-token key and the challenge-seed key come from one secret, yet one tells nothing of the other.
    """
    prk = hmac.new(b"\0" * 32, master.encode(), hashlib.sha256).digest()
    return hmac.new(prk, f"schulte {purpose} v1".encode() + b"\x01", hashlib.sha256).digest()


def local_secret(path: Path) -> str:
    """The install's own random master secret for development and tests, made on first use (0600).

    Never a value from the source: a public default let anyone sign tokens and foresee challenges.
    """
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker made it first
        return path.read_text().strip()
    with os.fdopen(fd, "w") as out:
        out.write(value)
    return value


class ConfigError(ValueError):
    """A setting is missing or unsafe; the message names the variable."""


@dataclass(frozen=True, slots=True)
class RateLimit:
    """At most ``count`` attempts per ``seconds`` for one key (an IP or an account)."""

    count: int
    """Attempts allowed in one window."""
    seconds: int
    """Window length."""

    @classmethod
    def parse(cls, text: str, name: str) -> RateLimit:
        """Read ``"10/60"`` (ten per minute)."""
        try:
            count, seconds = (int(part) for part in text.split("/"))
        except ValueError:
            raise ConfigError(f"{name} must look like '10/60' (count/seconds), got {text!r}") from None
        if count < 1 or seconds < 1:
            raise ConfigError(f"{name} needs a count and seconds >= 1, got {text!r}")
        return cls(count, seconds)


PROVIDER_KINDS = ("google", "apple", "generic")
DISCOVERY = {
    "google": "https://accounts.google.com/.well-known/openid-configuration",
    "apple": "https://appleid.apple.com/.well-known/openid-configuration",
}
"""Where the two named providers publish their endpoints and keys (a generic one names its own)."""


@dataclass(frozen=True, slots=True)
class OidcProvider:
    """One OpenID Connect provider players may sign in with (``SCHULTE_OIDC_<ID>_*``)."""

    id: str
    """Lower-case id in routes and ``GET /auth/providers`` (``google``, ``apple``, ``corp``)."""
    name: str
    """What the app's button says after "Continue with"."""
    kind: str
    """``google``, ``apple`` or ``generic``: which provider's quirks apply."""
    discovery_url: str
    """The provider's ``.well-known/openid-configuration``."""
    client_id: str
    """The client id the provider gave this server (Apple: the Services ID)."""
    client_secret: str = field(default="", repr=False)
    """The client secret (Apple has none: its secret is a JWT made from ``private_key``)."""
    response_mode: str = "query"
    """``query`` or ``form_post`` (Apple needs form_post when asking for name or email)."""
    scope: str = "openid email profile"
    """Scopes asked for."""
    hosted_domain: str = ""
    """Google Workspace domain every account must belong to (checked against the ID token's ``hd``)."""
    team_id: str = ""
    """Apple: the developer team id (``iss`` of the client secret)."""
    key_id: str = ""
    """Apple: the id of the Sign in with Apple key (``kid`` of the client secret)."""
    private_key: str = field(default="", repr=False)
    """Apple: the PEM text of that ``.p8`` key."""


def _providers(env: Mapping[str, str]) -> tuple[OidcProvider, ...]:
    """The providers ``SCHULTE_OIDC_PROVIDERS`` lists, each from its ``SCHULTE_OIDC_<ID>_*`` variables."""
    found = []
    for pid in (p.strip().lower() for p in env.get("SCHULTE_OIDC_PROVIDERS", "").split(",") if p.strip()):
        if not pid.replace("-", "").isalnum() or len(pid) > 32:
            raise ConfigError(f"SCHULTE_OIDC_PROVIDERS: {pid!r} is not an id (letters, digits, -)")
        prefix = f"SCHULTE_OIDC_{pid.upper().replace('-', '_')}_"

        def get(name: str, default: str = "", prefix: str = prefix) -> str:
            return env.get(prefix + name, "").strip() or default

        kind = get("KIND", pid if pid in DISCOVERY else "generic")
        if kind not in PROVIDER_KINDS:
            raise ConfigError(f"{prefix}KIND must be one of {PROVIDER_KINDS}, got {kind!r}")
        key = ""
        if kind == "apple":
            key_file = get("PRIVATE_KEY_FILE")
            try:
                key = Path(key_file).read_text() if key_file else ""
            except OSError as error:
                raise ConfigError(f"{prefix}PRIVATE_KEY_FILE: cannot read {key_file!r} ({error})") from None
        provider = OidcProvider(
            id=pid,
            name=get("NAME", pid.capitalize()),
            kind=kind,
            discovery_url=get("DISCOVERY_URL", DISCOVERY.get(kind, "")),
            client_id=get("CLIENT_ID"),
            client_secret=env.get(prefix + "CLIENT_SECRET", ""),
            response_mode=get("RESPONSE_MODE", "form_post" if kind == "apple" else "query"),
            scope=get("SCOPE", "openid name email" if kind == "apple" else "openid email profile"),
            hosted_domain=get("HOSTED_DOMAIN"),
            team_id=get("TEAM_ID"),
            key_id=get("KEY_ID"),
            private_key=key,
        )
        missing = [
            name
            for name, value in [
                ("CLIENT_ID", provider.client_id),
                ("DISCOVERY_URL", provider.discovery_url),
                *(
                    [("TEAM_ID", provider.team_id), ("KEY_ID", provider.key_id), ("PRIVATE_KEY_FILE", key)]
                    if kind == "apple"
                    else [("CLIENT_SECRET", provider.client_secret)]
                ),
            ]
            if not value
        ]
        if missing:
            raise ConfigError(
                f"OpenID provider {pid!r} needs " + ", ".join(prefix + name for name in missing)
            )
        if provider.response_mode not in ("query", "form_post"):
            raise ConfigError(f"{prefix}RESPONSE_MODE must be query or form_post")
        found.append(provider)
    return tuple(found)


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the server can be configured with; see README's "Server" section."""

    env: str = "development"
    """``development``, ``test`` or ``production`` (production needs a secret and a mailer)."""
    secret: str = ""
    """The master secret: the access-token key and the challenge key are derived from it (HKDF).
    Empty in development and test means this install's random secret in ``.cache/secret``."""
    secret_file: Path = REPO_ROOT / ".cache" / "secret"
    """Where development and test keep this install's random master secret (made on first start, 0600)."""
    challenge_secret: str = ""
    """HMAC key of the daily and weekly challenge seeds (defaults to a key derived from ``secret``)."""
    database_url: str = f"sqlite+aiosqlite:///{REPO_ROOT / '.cache' / 'schulte.sqlite3'}"
    """SQLAlchemy URL: ``sqlite+aiosqlite:///path`` or ``postgresql+asyncpg://user@host/db``."""
    database_pool_size: int = 20
    """Connections per worker for PostgreSQL (SQLite always uses one: it has one writer anyway)."""
    redis_url: str | None = None
    """When set, rate-limit counters live in Redis so that several workers share them."""
    redis_prefix: str = "schulte"
    """Prefix of every Redis key (lets test runs and deployments share one Redis)."""
    host: str = "127.0.0.1"
    """Address to listen on."""
    port: int = 8000
    """Port to listen on."""
    workers: int = 1
    """ASGI server worker processes."""
    static_dir: Path = REPO_ROOT / "build" / "app"
    """The built PWA served at ``/``."""
    cors_origins: tuple[str, ...] = ()
    """Origins allowed to call the API from a browser (same-origin needs none)."""
    access_ttl_seconds: int = 15 * 60
    """Lifetime of an access JWT."""
    refresh_ttl_seconds: int = 30 * 24 * 3600
    """Lifetime of a refresh token family member."""
    refresh_reuse_grace_seconds: int = 30
    """How long a just-rotated refresh token may be presented again without revoking its family: the
    answer to its first use can be lost (a tab closed mid-refresh) or two tabs refresh at once."""
    reset_ttl_seconds: int = 3600
    """Lifetime of a password-reset token."""
    verify_ttl_seconds: int = 48 * 3600
    """Lifetime of an email-verification code."""
    ticket_ttl_seconds: int = 10 * 60
    """How long after issue a ticket's attempt may start."""
    clock_skew_seconds: int = 60
    """How far a client's clock may run behind the server's when it stamps ``started_at``."""
    max_body_bytes: int = 1024 * 1024
    """Largest request body accepted (413 ``PAYLOAD_TOO_LARGE`` above it)."""
    sync_batch_limit: int = 100
    """Most sessions in one ``POST /sessions/sync``."""
    rate_login_ip: RateLimit = field(default_factory=lambda: RateLimit(30, 60))
    """Failed logins per client IP (successes never count)."""
    rate_login_pair: RateLimit = field(default_factory=lambda: RateLimit(10, 300))
    """Failed logins per (email, client IP): a guesser is stopped, the owner elsewhere is not."""
    rate_login_account: RateLimit = field(default_factory=lambda: RateLimit(50, 3600))
    """Failed logins per email from anywhere before each further one adds a growing delay."""
    login_delay_cap_seconds: int = 300
    """The longest of those delays (they double from 1 s)."""
    rate_register_ip: RateLimit = field(default_factory=lambda: RateLimit(20, 3600))
    """Registrations per client IP."""
    rate_reset_ip: RateLimit = field(default_factory=lambda: RateLimit(10, 3600))
    """Password-reset requests per client IP (and per account)."""
    trusted_proxies: tuple[str, ...] = ()
    """Addresses or networks of the reverse proxies whose ``X-Forwarded-For`` names the client."""
    smtp_host: str = ""
    """SMTP server of the real mailer (STARTTLS); unset means the development outbox."""
    smtp_port: int = 587
    """SMTP submission port."""
    smtp_username: str = ""
    """SMTP login (with ``smtp_password``); empty sends without logging in."""
    smtp_password: str = field(default="", repr=False)
    """SMTP password."""
    smtp_from: str = ""
    """The ``From`` address of every mail."""
    smtp_ca_file: str = ""
    """Extra CA bundle for the SMTP server's certificate (a private relay); empty uses the system's."""
    smtp_timeout_seconds: int = 10
    """How long one SMTP conversation may take."""
    log_level: str = "INFO"
    """Level of the JSON logs on stdout."""
    public_url: str = ""
    """The origin players reach this server at (``https://schulte.example``): OpenID providers send
    them back to it. Empty means ``http://HOST:PORT`` (development and tests)."""
    oidc_providers: tuple[OidcProvider, ...] = ()
    """The OpenID providers players may sign in with (none by default)."""
    oidc_state_ttl_seconds: int = 600
    """How long a started provider sign-in may take before its state is refused."""
    rate_oidc_ip: RateLimit = field(default_factory=lambda: RateLimit(60, 300))
    """Provider sign-ins started per client IP (each stores a state until it is used or expires)."""

    # --- Fair play and load (issue 14: findings 1, 2, 3 and 10) ---
    upload_slack_seconds: int = 2
    """The contract's "clock skew" term of a ticket's upload window (received - issued <= 20 s +
    the game's length + this): the network's share, on top of verify's 20 s to start the clock."""
    rate_upload_user: RateLimit = field(default_factory=lambda: RateLimit(30, 60))
    """Upload requests (``POST /sessions`` and ``/sessions/sync``) per user."""
    rate_ticket_user: RateLimit = field(default_factory=lambda: RateLimit(60, 60))
    """Tickets issued per user."""
    duel_ttl_seconds: int = 72 * 3600
    """How long after its creation a duel is open (CONTRACT: 72 h); then it is settled."""
    rate_duel_user: RateLimit = field(default_factory=lambda: RateLimit(30, 3600))
    """New duels (challenges) per user."""
    unverified_payload_cap: int = 200
    """Unverified sessions per user whose whole tap log is kept; past it only their summary is."""
    offload: str = "thread"
    """Where argon2 and ``core.verify`` run: ``thread`` (a bounded pool, off the event loop) or
    ``inline`` (on the event loop: only for measuring the difference)."""
    offload_workers: int = 2
    """Size of that pool, per server worker process."""

    # --- Insight: premium, billing and the coach (issue 12) ---
    stripe_webhook_secret: str = field(default="", repr=False)
    """The Stripe webhook endpoint's signing secret (``whsec_...``); empty turns billing off."""
    stripe_payment_link: str = ""
    """The Stripe Payment Link the app opens (with ``client_reference_id``); empty: no upgrade by card."""
    stripe_tolerance_seconds: int = 300
    """How old a Stripe signature may be (Stripe's own default): an older one is a replay."""
    coach_fit_max_age_seconds: int = 24 * 3600
    """At start, the coach's model is fitted again when the stored one is older than this (0: never)."""

    @property
    def is_production(self) -> bool:
        """Production turns on secure cookies and HSTS and turns off the dev outbox."""
        return self.env == "production"

    @property
    def base_url(self) -> str:
        """Where this server is reached from outside (``public_url`` or the listening address)."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def access_key(self) -> bytes:
        """The HS256 key of access tokens."""
        return derive_key(self.secret, "access-token")

    @property
    def challenge_key(self) -> str:
        """The key ``core.challenge_seed`` gets."""
        return self.challenge_secret or derive_key(self.secret, "challenge-seed").hex()

    def check(self) -> None:
        """Refuse settings that would be unsafe to serve with."""
        if self.env not in ("development", "test", "production"):
            raise ConfigError(f"SCHULTE_ENV must be development, test or production, got {self.env!r}")
        if len(self.secret) < 32:
            raise ConfigError(
                "SCHULTE_SECRET must be a random string of 32+ characters (production has no default)"
            )
        if not self.is_production and self.host not in LOOPBACK_HOSTS:
            raise ConfigError(
                f"SCHULTE_HOST={self.host} in {self.env}: development and test listen on loopback only "
                "(they serve the mail outbox); set SCHULTE_ENV=production to listen elsewhere"
            )
        if self.is_production and not (self.smtp_host and self.smtp_from):
            raise ConfigError("production needs a mailer: set SCHULTE_SMTP_HOST and SCHULTE_SMTP_FROM")
        for proxy in self.trusted_proxies:
            try:
                ipaddress.ip_network(proxy, strict=False)
            except ValueError:
                raise ConfigError(
                    f"SCHULTE_TRUSTED_PROXIES: {proxy!r} is not an address or network"
                ) from None
        if self.offload not in ("thread", "inline") or self.offload_workers < 1:
            raise ConfigError("SCHULTE_OFFLOAD must be thread or inline, with SCHULTE_OFFLOAD_WORKERS >= 1")
        if self.is_production and self.oidc_providers and not self.public_url.startswith("https://"):
            raise ConfigError("OpenID providers in production need SCHULTE_PUBLIC_URL=https://...")
        if self.stripe_payment_link and not self.stripe_payment_link.startswith("https://"):
            raise ConfigError("SCHULTE_STRIPE_PAYMENT_LINK must be an https:// URL")
        if not self.database_url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ConfigError("SCHULTE_DATABASE_URL must be sqlite+aiosqlite:// or postgresql+asyncpg://")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build and check settings from ``SCHULTE_*`` variables."""
        env = os.environ if environ is None else environ
        defaults = cls()

        def text(name: str, default: str) -> str:
            return env.get(f"SCHULTE_{name}", "").strip() or default

        def number(name: str, default: int) -> int:
            raw = text(name, str(default))
            try:
                return int(raw)
            except ValueError:
                raise ConfigError(f"SCHULTE_{name} must be an integer, got {raw!r}") from None

        def limit(name: str, default: RateLimit) -> RateLimit:
            raw = env.get(f"SCHULTE_{name}", "").strip()
            return RateLimit.parse(raw, f"SCHULTE_{name}") if raw else default

        mode = text("ENV", defaults.env)
        secret = text("SECRET", "")
        secret_file = Path(text("SECRET_FILE", str(defaults.secret_file)))
        if not secret and mode in ("development", "test"):
            secret = local_secret(secret_file)
        settings = cls(
            env=mode,
            secret=secret,
            secret_file=secret_file,
            challenge_secret=text("CHALLENGE_SECRET", ""),
            database_url=text("DATABASE_URL", defaults.database_url),
            database_pool_size=number("DATABASE_POOL_SIZE", defaults.database_pool_size),
            redis_url=text("REDIS_URL", "") or None,
            redis_prefix=text("REDIS_PREFIX", defaults.redis_prefix),
            host=text("HOST", defaults.host),
            port=number("PORT", defaults.port),
            workers=number("WORKERS", defaults.workers),
            static_dir=Path(text("STATIC_DIR", str(defaults.static_dir))),
            cors_origins=tuple(o.strip() for o in text("CORS_ORIGINS", "").split(",") if o.strip()),
            access_ttl_seconds=number("ACCESS_TTL_SECONDS", defaults.access_ttl_seconds),
            refresh_ttl_seconds=number("REFRESH_TTL_SECONDS", defaults.refresh_ttl_seconds),
            refresh_reuse_grace_seconds=number(
                "REFRESH_REUSE_GRACE_SECONDS", defaults.refresh_reuse_grace_seconds
            ),
            reset_ttl_seconds=number("RESET_TTL_SECONDS", defaults.reset_ttl_seconds),
            verify_ttl_seconds=number("VERIFY_TTL_SECONDS", defaults.verify_ttl_seconds),
            ticket_ttl_seconds=number("TICKET_TTL_SECONDS", defaults.ticket_ttl_seconds),
            clock_skew_seconds=number("CLOCK_SKEW_SECONDS", defaults.clock_skew_seconds),
            max_body_bytes=number("MAX_BODY_BYTES", defaults.max_body_bytes),
            sync_batch_limit=number("SYNC_BATCH_LIMIT", defaults.sync_batch_limit),
            rate_login_ip=limit("RATE_LOGIN_IP", defaults.rate_login_ip),
            rate_login_pair=limit("RATE_LOGIN_PAIR", defaults.rate_login_pair),
            rate_login_account=limit("RATE_LOGIN_ACCOUNT", defaults.rate_login_account),
            login_delay_cap_seconds=number("LOGIN_DELAY_CAP_SECONDS", defaults.login_delay_cap_seconds),
            rate_register_ip=limit("RATE_REGISTER_IP", defaults.rate_register_ip),
            rate_reset_ip=limit("RATE_RESET_IP", defaults.rate_reset_ip),
            trusted_proxies=tuple(p.strip() for p in text("TRUSTED_PROXIES", "").split(",") if p.strip()),
            smtp_host=text("SMTP_HOST", ""),
            smtp_port=number("SMTP_PORT", defaults.smtp_port),
            smtp_username=text("SMTP_USERNAME", ""),
            smtp_password=env.get("SCHULTE_SMTP_PASSWORD", ""),
            smtp_from=text("SMTP_FROM", ""),
            smtp_ca_file=text("SMTP_CA_FILE", ""),
            smtp_timeout_seconds=number("SMTP_TIMEOUT_SECONDS", defaults.smtp_timeout_seconds),
            log_level=text("LOG_LEVEL", defaults.log_level).upper(),
            public_url=text("PUBLIC_URL", ""),
            oidc_providers=_providers(env),
            oidc_state_ttl_seconds=number("OIDC_STATE_TTL_SECONDS", defaults.oidc_state_ttl_seconds),
            rate_oidc_ip=limit("RATE_OIDC_IP", defaults.rate_oidc_ip),
            # --- Fair play and load (issue 14) ---
            upload_slack_seconds=number("UPLOAD_SLACK_SECONDS", defaults.upload_slack_seconds),
            rate_upload_user=limit("RATE_UPLOAD_USER", defaults.rate_upload_user),
            rate_ticket_user=limit("RATE_TICKET_USER", defaults.rate_ticket_user),
            duel_ttl_seconds=number("DUEL_TTL_SECONDS", defaults.duel_ttl_seconds),
            rate_duel_user=limit("RATE_DUEL_USER", defaults.rate_duel_user),
            unverified_payload_cap=number("UNVERIFIED_PAYLOAD_CAP", defaults.unverified_payload_cap),
            offload=text("OFFLOAD", defaults.offload),
            offload_workers=number("OFFLOAD_WORKERS", defaults.offload_workers),
            # --- Insight (issue 12) ---
            stripe_webhook_secret=env.get("SCHULTE_STRIPE_WEBHOOK_SECRET", "").strip(),
            stripe_payment_link=text("STRIPE_PAYMENT_LINK", ""),
            stripe_tolerance_seconds=number("STRIPE_TOLERANCE_SECONDS", defaults.stripe_tolerance_seconds),
            coach_fit_max_age_seconds=number("COACH_FIT_MAX_AGE_SECONDS", defaults.coach_fit_max_age_seconds),
        )
        settings.check()
        return settings
