"""``python -m server``: migrate the database to head, then serve the API and the app at one URL.

``python -m server migrate [upgrade|downgrade] [revision]`` only migrates;
``python -m server review ...`` works the review queue (``server/review_cli.py``);
``python -m server premium ...`` and ``coach fit`` are issue 12's (``server/insight_cli.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from server.config import ConfigError, Settings
from server.db.migrate import downgrade, upgrade


def _prepare_sqlite(url: str) -> None:
    if url.startswith("sqlite+aiosqlite:///"):
        Path(url.removeprefix("sqlite+aiosqlite:///")).parent.mkdir(parents=True, exist_ok=True)


def main(argv: list[str]) -> int:
    """Run the command line."""
    try:
        settings = Settings.from_env()
    except ConfigError as error:
        print(f"schulte server: refusing to start: {error}", file=sys.stderr)
        return 2
    _prepare_sqlite(settings.database_url)
    if argv[:1] == ["migrate"]:
        action = argv[1] if len(argv) > 1 else "upgrade"
        revision = argv[2] if len(argv) > 2 else ("head" if action == "upgrade" else "base")
        (upgrade if action == "upgrade" else downgrade)(settings.database_url, revision)
        return 0
    if argv[:1] == ["review"]:
        from server.review_cli import main as review

        upgrade(settings.database_url)
        return review(settings, argv[1:])
    if argv[:1] in (["premium"], ["coach"]):
        from server.insight_cli import coach_main, premium_main

        upgrade(settings.database_url)
        return (premium_main if argv[0] == "premium" else coach_main)(settings, argv[1:])
    if argv:
        print(
            "usage: python -m server [migrate [upgrade|downgrade] [revision] | review ... | "
            "premium grant EMAIL [--days N] | premium revoke EMAIL | coach fit]",
            file=sys.stderr,
        )
        return 2
    upgrade(settings.database_url)
    from granian.constants import Interfaces
    from granian.log import LogLevels
    from granian.server import Server

    url = f"http://{settings.host}:{settings.port}/"
    print(f"Schulte is running at {url}  (API: {url}api/v1, schema: {url}schema/openapi.json)", flush=True)
    Server(
        "server.app:create_app_from_env",
        address=settings.host,
        port=settings.port,
        interface=Interfaces.ASGI,
        workers=settings.workers,
        factory=True,
        log_level=LogLevels.warning,
        # A worker killed by the OOM killer or a crash is replaced (after a second), instead of the whole
        # server exiting; systemd's Restart=always covers this main process (README, "Production").
        respawn_failed_workers=True,
        respawn_interval=1.0,
    ).serve()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
