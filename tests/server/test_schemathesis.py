"""Schemathesis fuzzes every operation of the OpenAPI document against the live server.

It must find no server error (500) and no response that breaks the schema the server documents
for it. Bounded (a few dozen examples per operation) so that it runs in well under a minute.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.server.conftest import Server


def test_schemathesis_finds_no_server_error_and_no_response_off_its_schema(
    server: Server, new_api: Any, tmp_path: Path
) -> None:
    player = new_api()
    command = [
        sys.executable, "-m", "schemathesis.cli", "run", f"{server.url}/schema/openapi.json",
        "--url", server.url,
        "--checks", "not_a_server_error,response_schema_conformance",
        "--max-examples", "20",
        "--seed", "2026",
        "--header", f"Authorization: Bearer {player.token}",
        "--no-color",
    ]  # fmt: skip
    run = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False)  # noqa: S603 -- .schemathesis/ lands in tmp
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "passed" in run.stdout
