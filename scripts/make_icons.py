"""Draw the app icons (a 5×5 Schulte grid with a centre dot) as PNGs, stdlib only (zlib).

usage: python3 scripts/make_icons.py  -> pwa/icons/icon-192.png, icon-512.png, icon-maskable-512.png
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "pwa" / "icons"
BLUE = (31, 111, 235)
WHITE = (255, 255, 255)
RED = (207, 34, 46)


def pixel(x: float, y: float, inset: float) -> tuple[int, int, int]:
    """Colour at (x, y) in the unit square; the grid fills the square minus ``inset`` on each side."""
    u, v = (x - inset) / (1 - 2 * inset), (y - inset) / (1 - 2 * inset)
    if (u - 0.5) ** 2 + (v - 0.5) ** 2 < 0.055**2:
        return RED
    if 0 <= u < 1 and 0 <= v < 1:
        cu, cv = (u * 5) % 1, (v * 5) % 1
        if 0.12 < cu < 0.88 and 0.12 < cv < 0.88:
            return WHITE
    return BLUE


def png(size: int, inset: float) -> bytes:
    rows = bytearray()
    for py in range(size):
        rows.append(0)
        for px in range(size):
            rows.extend(pixel((px + 0.5) / size, (py + 0.5) / size, inset))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    # "any" icons: grid close to the edge; maskable: inside the 80% safe zone (10% inset + margin).
    (OUT / "icon-192.png").write_bytes(png(192, 0.08))
    (OUT / "icon-512.png").write_bytes(png(512, 0.08))
    (OUT / "icon-maskable-512.png").write_bytes(png(512, 0.2))


if __name__ == "__main__":
    main()
