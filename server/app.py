"""``create_app(settings)``: the Litestar app serving the API under ``/api/v1`` and the PWA at ``/``."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar, Router
from litestar.config.cors import CORSConfig
from litestar.di import Provide
from litestar.middleware import DefineMiddleware
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme

from server.api import auth, duels, insight, oidc, play, review, sessions, system, users
from server.api.deps import get_ctx, optional_user, require_user
from server.config import Settings
from server.db.engine import Database
from server.errors import exception_handlers
from server.headers import SecurityHeadersMiddleware
from server.logs import RequestLogMiddleware, configure_logging
from server.mail import Mailer, OutboxMailer, SmtpMailer
from server.ratelimit import MemoryLimiter, RateLimiter, RedisLimiter
from server.services import Context, coach
from server.static import StaticHeadersMiddleware, static_router

__all__ = ["create_app", "create_app_from_env"]

API_HANDLERS: list[Any] = [
    auth.register,
    auth.login,
    auth.refresh,
    auth.logout,
    auth.forgot_password,
    auth.reset_password,
    auth.verify_email,
    auth.resend_verification,
    auth.me,
    oidc.list_providers,
    oidc.start,
    oidc.callback_get,
    oidc.callback_post,
    oidc.link,
    oidc.unlink,
    oidc.sign_in_methods,
    users.get_me,
    users.update_me,
    users.update_preferences,
    users.list_following,
    duels.list_blocked,
    users.search,
    users.get_user,
    users.get_user_stats,
    users.follow,
    users.unfollow,
    sessions.create_session,
    sessions.sync_sessions,
    sessions.list_sessions,
    sessions.get_session,
    sessions.delete_session,
    play.issue_ticket,
    play.challenges_current,
    play.daily_board,
    play.daily_board_of,
    play.all_time_board,
    play.daily_challenge_board,
    play.weekly_challenge_board,
    play.friends_board,
    play.percentile,
    duels.create_duel,
    duels.list_duels,
    duels.get_duel,
    duels.accept,
    duels.decline,
    duels.block,
    duels.unblock,
    review.list_held,
    review.approve,
    review.reject,
    insight.analytics,
    insight.analytics_advanced,
    insight.billing_config,
    insight.billing_webhook,
    insight.coach_model,
]


def create_app(settings: Settings, mailer: Mailer | None = None) -> Litestar:
    """The whole server for ``settings``; nothing is read from the environment here."""
    settings.check()
    configure_logging(settings.log_level)
    db = Database(settings.database_url, settings.database_pool_size)
    limiter: RateLimiter = (
        RedisLimiter(settings.redis_url, settings.redis_prefix) if settings.redis_url else MemoryLimiter()
    )
    if mailer is None:
        mailer = SmtpMailer.from_settings(settings) if settings.smtp_host else OutboxMailer()
    ctx = Context(settings, db, limiter, mailer)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncGenerator[None, None]:
        app.state.ctx = ctx
        coach_fits = asyncio.create_task(coach.schedule(ctx))  # fits when the stored model is a day old
        try:
            yield
        finally:
            coach_fits.cancel()
            await limiter.close()
            await db.dispose()

    handlers: list[Any] = list(API_HANDLERS)
    if not settings.is_production:
        handlers.append(system.dev_outbox)
    api = Router("/api/v1", route_handlers=handlers)
    return Litestar(
        route_handlers=[api, system.health, static_router(settings.static_dir)],
        dependencies={
            "ctx": Provide(get_ctx, sync_to_thread=False),
            "me_id": Provide(require_user),
            "viewer": Provide(optional_user),
        },
        exception_handlers=exception_handlers,  # type: ignore[arg-type] # handlers narrow the exception type
        middleware=[
            DefineMiddleware(RequestLogMiddleware),
            DefineMiddleware(SecurityHeadersMiddleware, hsts=settings.is_production),
            DefineMiddleware(StaticHeadersMiddleware),
        ],
        cors_config=CORSConfig(allow_origins=list(settings.cors_origins), allow_credentials=True)
        if settings.cors_origins
        else None,
        request_max_body_size=settings.max_body_bytes,
        openapi_config=OpenAPIConfig(
            title="Schulte API",
            version="2.0.0",
            description="Accounts, verified training sessions, tickets, challenges and leaderboards.",
            path="/schema",
            render_plugins=[JsonRenderPlugin()],
            components=Components(
                security_schemes={
                    "BearerToken": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT")
                }
            ),
        ),
        lifespan=[lifespan],
        logging_config=None,
        debug=False,
    )


def create_app_from_env() -> Litestar:
    """Factory for ASGI servers (``granian --factory server.app:create_app_from_env``)."""
    return create_app(Settings.from_env())
