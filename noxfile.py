"""One command for each habit: ``nox -s tests``, ``nox -s lint``, ``nox -s bench``, ``nox -s serve``.

CI (``.ci/run``) calls exactly the README's test command, which runs the ``tests`` session.
Everything a session needs (Python packages, npm packages, Debian's chromium) it installs itself.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import nox

nox.options.sessions = ["lint", "tests"]
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = True

ROOT = Path(__file__).parent
CACHE = ROOT / ".cache"
PYODIDE_WHEELS = CACHE / "pyodide-wheels"
# Pure-Python wheels pytest needs inside Pyodide; fetched once, then the run is offline.
PYODIDE_TEST_WHEELS = [
    "pytest==9.2.0",
    "pluggy==1.7.0",
    "iniconfig==2.3.1",
    "packaging==26.4",
    "pygments==2.21.0",
    "hypothesis==6.155.2",
    "attrs==26.1.0",
    "sortedcontainers==2.4.0",
]
PYTHON = "3.11"
CORE_PYTEST_ARGS = ["tests/core", "--doctest-modules", "core", "--doctest-glob=README.md", "README.md"]
# The same suite, README and doctests included, under the browser's Python.
PYODIDE_PYTEST_ARGS = [*CORE_PYTEST_ARGS, "-q"]
# The app's page-free Python (web/app) on CPython: it needs only core.
WEBAPP_PYTEST_ARGS = ["tests/webapp", "-p", "no:cacheprovider"]


def npm_install(session: nox.Session) -> None:
    """Install the pinned front-end packages from package-lock.json (once per lockfile change)."""
    stamp = ROOT / "node_modules" / ".package-lock.json"
    lock = ROOT / "package-lock.json"
    if not stamp.exists() or stamp.stat().st_mtime < lock.stat().st_mtime:
        session.run("npm", "ci", "--no-audit", "--no-fund", external=True)


def pyodide_wheels(session: nox.Session) -> None:
    """Download the wheels for the Pyodide test run into .cache (skipped when already there)."""
    have = {path.name.split("-")[0].lower() for path in PYODIDE_WHEELS.glob("*.whl")}
    if all(spec.split("==")[0].lower() in have for spec in PYODIDE_TEST_WHEELS):
        return
    session.run(
        "python", "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
        "--python-version", "3.14", "--implementation", "py", "--platform", "any",
        "--dest", str(PYODIDE_WHEELS), *PYODIDE_TEST_WHEELS,
    )  # fmt: skip


@nox.session(python=PYTHON)
def test_core(session: nox.Session) -> None:
    """The core suite and README doctests under CPython, then the app's page-free Python."""
    session.install("-e", ".[test]")
    session.run("pytest", *CORE_PYTEST_ARGS, *session.posargs)
    session.run("pytest", *WEBAPP_PYTEST_ARGS)


@nox.session(python=PYTHON)
def pyodide(session: nox.Session) -> None:
    """The core suite again under Pyodide 314 (Python 3.14, the browser's Python) in Node, offline."""
    npm_install(session)
    pyodide_wheels(session)
    session.run("node", "scripts/pyodide_pytest.mjs", str(PYODIDE_WHEELS), *PYODIDE_PYTEST_ARGS,
                *session.posargs, external=True)  # fmt: skip


SERVER_PYTEST_ARGS = ["tests/server", "-p", "no:cacheprovider"]


@nox.session(python=PYTHON)
def test_server(session: nox.Session) -> None:
    """The server suite: real HTTP against SQLite and PostgreSQL, Redis rate limits, schemathesis.

    npm's oidc-provider is the real OpenID provider the sign-in tests run against (in Node).
    """
    session.install("-e", ".[server,server-test,test]")
    npm_install(session)
    session.run("pytest", *SERVER_PYTEST_ARGS, *session.posargs)


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Everything: core on CPython and on Pyodide, the API on SQLite and PostgreSQL, the app in Chromium."""
    session.install("-e", ".[test,web,server,server-test]")  # one install for the whole run
    npm_install(session)
    pyodide_wheels(session)
    session.run("pytest", *CORE_PYTEST_ARGS)
    session.run("pytest", *WEBAPP_PYTEST_ARGS)
    session.run("pytest", "tests/docs", "-p", "no:cacheprovider")  # docs/analysis.ipynb runs (nbclient)
    session.run("node", "scripts/pyodide_pytest.mjs", str(PYODIDE_WHEELS), *PYODIDE_PYTEST_ARGS,
                external=True)  # fmt: skip
    web_build(session)
    # The API suite mostly waits on its servers (load under 1 on this 2-core machine), so it runs
    # alongside the browser suite instead of before it: the whole run takes the browser suite's time.
    with alongside(session, ["pytest", *SERVER_PYTEST_ARGS], CACHE / "server-suite.log"):
        session.run("pytest", *WEB_PYTEST_ARGS)


@contextlib.contextmanager
def alongside(session: nox.Session, args: list[str], log: Path) -> Iterator[None]:
    """Run ``args`` from the session's virtualenv in the background while the ``with`` body runs;
    then print its output and fail the session if it failed (after the body, whatever the body did)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    bin_dir = Path(str(session.bin))
    path = f"{bin_dir}{os.pathsep}{os.environ['PATH']}"
    env = {**os.environ, "VIRTUAL_ENV": str(bin_dir.parent), "PATH": path}
    session.log(f"{' '.join(args)} (alongside, output in {log})")
    with log.open("wb") as out:
        command = [str(bin_dir / args[0]), *args[1:]]  # our own test command, from the session's venv
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
        try:
            yield
        finally:
            code = process.wait()
            print(log.read_text(errors="replace"), flush=True)
    if code:
        session.error(f"{' '.join(args)} failed with exit code {code}")


WEB_PYTEST_ARGS = ["tests/web", "-p", "no:cacheprovider"]


def web_build(session: nox.Session) -> None:
    """Debian's chromium (if missing), the pinned npm packages, then `npm run build` -> build/app/."""
    session.run("bash", "scripts/install_chromium.sh", external=True)
    npm_install(session)
    session.run("npm", "run", "build", external=True)


@nox.session(python=PYTHON)
def test_web(session: nox.Session) -> None:
    """The installable app in Debian's Chromium (Playwright): play, history, offline, PWA, accounts, sync."""
    session.install("-e", ".[test,web,server,server-test]")  # accounts and sync run against the real server
    web_build(session)
    session.run("pytest", *WEB_PYTEST_ARGS, *session.posargs)


@nox.session(python=PYTHON)
def bench_web(session: nox.Session) -> None:
    """Print the app's speed figures: first/warm/offline visits at 1x and 4x CPU, first-game taps, bytes on
    the wire, next to plain JS; signed in or not; sync of 500."""
    # The benchmark reuses the browser fixtures and starts the real server (`python -m server`).
    session.install("-e", ".[test,web,server,server-test]")
    web_build(session)
    session.run("python", "scripts/bench_web.py", *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff (lint + format check) and mypy --strict: core, server and the app's Python (web/app, with
    typings/ for Pyodide's `js` and `pyodide`)."""
    session.install("-e", ".[lint,server]")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy", "--strict", "core")
    session.run("mypy", "--strict", "server")
    session.run("mypy", "--strict", "web/app")


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Print the core's speed figures (medians, with in-run baselines), then the dashboard's in Pyodide."""
    session.install("-e", ".")
    # The benchmark plays its sessions with the tests' simulated player, so the repo root is on the path.
    session.run("python", "scripts/bench_core.py", *session.posargs, env={"PYTHONPATH": str(ROOT)})
    npm_install(session)
    session.run("node", "scripts/bench_pyodide.mjs", "dashboard", external=True)


@nox.session(python=PYTHON)
def bench_server(session: nox.Session) -> None:
    """Print the server's speed figures: uploads/s (SQLite, PostgreSQL) and leaderboard latency."""
    session.install("-e", ".[server,server-test]")
    session.run("python", "scripts/bench_server.py", *session.posargs)


@nox.session(python=PYTHON)
def serve(session: nox.Session) -> None:
    """Run the app: build the PWA (when it has a build script), then one server for the app and the API."""
    import json

    session.install("-e", ".[server]")
    npm_install(session)
    if "build" in json.loads((ROOT / "package.json").read_text()).get("scripts", {}):
        session.run("npm", "run", "build", external=True)
    session.run("python", "-m", "server", *session.posargs)
