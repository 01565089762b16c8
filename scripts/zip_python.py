"""Zip ``core`` and the front end's Python (``web/app`` as package ``app``), imported from the zip itself.

Entries carry a fixed date so an unchanged tree gives a byte-identical zip (and an unchanged
service-worker revision).

usage: python3 scripts/zip_python.py OUT.zip
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = {"core": ROOT / "core", "app": ROOT / "web" / "app"}
EPOCH = (2026, 1, 1, 0, 0, 0)


def main(target: str) -> None:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for package, folder in SOURCES.items():
            for path in sorted(folder.glob("*.py")):
                info = zipfile.ZipInfo(f"{package}/{path.name}", date_time=EPOCH)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, path.read_bytes())


if __name__ == "__main__":
    main(sys.argv[1])
