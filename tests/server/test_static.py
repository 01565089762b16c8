"""The built app's precompressed files: chosen by Accept-Encoding, labelled, and kept apart by caches."""

from __future__ import annotations

import gzip
from collections.abc import Iterator

import httpx
import pytest

from server.static import pick_encoding
from tests.server.conftest import Database, Server

SCRIPT = b"export const board = [" + b"1, 2, 3, " * 2000 + b"];\n"
BROTLI_MARK = b"not really brotli, but what the build wrote"


@pytest.fixture(scope="module")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server whose static folder holds a script with .br and .gz copies, a snapshot, and a PNG."""
    tmp = tmp_path_factory.mktemp("static")
    app = tmp / "built"
    (app / "js").mkdir(parents=True)
    (app / "py").mkdir()
    (app / "index.html").write_text("<!doctype html><title>Schulte</title>")
    (app / "index.html.gz").write_bytes(gzip.compress(b"<!doctype html><title>Schulte</title>"))
    (app / "js" / "app.js").write_bytes(SCRIPT)
    (app / "js" / "app.js.br").write_bytes(BROTLI_MARK)
    (app / "js" / "app.js.gz").write_bytes(gzip.compress(SCRIPT))
    (app / "py" / "snapshot-0123456789abcdef.bin").write_bytes(bytes(4096))
    (app / "py" / "snapshot-0123456789abcdef.bin.gz").write_bytes(gzip.compress(bytes(4096)))
    (app / "icon.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    database = Database.create("sqlite", tmp)
    server = Server.start(database, tmp, static_dir=str(app))
    yield server
    server.stop()
    database.close()


def test_a_browser_that_takes_brotli_gets_the_brotli_copy_labelled_as_the_script_it_is(
    app_server: Server,
) -> None:
    with httpx.Client(base_url=app_server.url) as client:
        response = client.get("/js/app.js", headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
        assert response.headers["content-encoding"] == "br"
        assert response.headers["vary"] == "Accept-Encoding"
        assert response.headers["content-type"].startswith("text/javascript")
        assert response.headers["content-length"] == str(len(BROTLI_MARK))


def test_gzip_only_gets_gzip_and_it_decodes_to_the_file(app_server: Server) -> None:
    response = httpx.get(f"{app_server.url}/js/app.js", headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["vary"] == "Accept-Encoding"
    assert response.content == SCRIPT  # httpx decoded the gzip it was sent


def test_no_accepted_coding_gets_the_file_as_it_is(app_server: Server) -> None:
    for accept in ("identity", "br;q=0, gzip;q=0", ""):
        response = httpx.get(f"{app_server.url}/js/app.js", headers={"Accept-Encoding": accept})
        assert "content-encoding" not in response.headers, accept
        assert response.headers["vary"] == "Accept-Encoding"
        assert response.content == SCRIPT


def test_the_page_at_the_root_is_compressed_too_and_never_cached(app_server: Server) -> None:
    response = httpx.get(f"{app_server.url}/", headers={"Accept-Encoding": "gzip, br"})
    assert response.headers["content-encoding"] == "gzip"  # the build wrote no .br for it
    assert response.headers["cache-control"] == "no-cache"
    assert response.text == "<!doctype html><title>Schulte</title>"


def test_a_file_named_by_its_content_is_cached_for_ever(app_server: Server) -> None:
    response = httpx.get(
        f"{app_server.url}/py/snapshot-0123456789abcdef.bin", headers={"Accept-Encoding": "gzip"}
    )
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.content == bytes(4096)


def test_a_file_without_copies_has_no_vary_and_a_missing_one_is_not_found(app_server: Server) -> None:
    icon = httpx.get(f"{app_server.url}/icon.png", headers={"Accept-Encoding": "gzip, br"})
    assert icon.status_code == 200 and "content-encoding" not in icon.headers and "vary" not in icon.headers
    missing = httpx.get(f"{app_server.url}/js/missing.js", headers={"Accept-Encoding": "gzip, br"})
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "NOT_FOUND"


def test_a_path_that_climbs_out_of_the_app_folder_serves_nothing(app_server: Server) -> None:
    response = httpx.get(
        f"{app_server.url}/js/..%2F..%2Fstatic%2Fbuilt%2Findex.html", headers={"Accept-Encoding": "gzip"}
    )
    assert response.status_code in (400, 404)


@pytest.mark.parametrize(
    ("accept", "available", "chosen"),
    [
        ("gzip, deflate, br, zstd", {"br", "gzip"}, "br"),
        ("gzip, deflate, br", {"gzip"}, "gzip"),
        ("br;q=0, gzip", {"br", "gzip"}, "gzip"),
        ("*", {"br", "gzip"}, "br"),
        ("*, br;q=0", {"br", "gzip"}, "gzip"),
        ("identity", {"br", "gzip"}, None),
        ("", {"br", "gzip"}, None),
        ("br;q=bogus, gzip", {"br", "gzip"}, "gzip"),
        ("BR", {"br"}, "br"),
    ],
)
def test_the_coding_chosen_is_the_best_the_client_accepts(
    accept: str, available: set[str], chosen: str | None
) -> None:
    assert pick_encoding(accept, available) == chosen
