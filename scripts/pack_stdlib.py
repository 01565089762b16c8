"""Repack Pyodide's ``python_stdlib.zip`` for the app: stored (not deflated), without what it never imports.

Why stored: the server sends the zip with brotli over the whole file, which packs Python source far
better than the zip's own per-file deflate (2.48 MB -> about 1.6 MB on the wire), and zipimport
then reads without inflating. Why trimmed: the first visit must stay under 10 MB. Only modules that
cannot run in a browser tab or that this app has no use for are left out (the REPL, debuggers,
test frameworks, process and mail protocols, GUI toolkits, the CJK codecs); everything else stays,
so an import the snapshot did not foresee still works. Entries keep their order and dates, so the
same input gives the same bytes.

usage: python3 scripts/pack_stdlib.py IN.zip OUT.zip
"""

from __future__ import annotations

import sys
import zipfile

DROPPED_PACKAGES = {
    "_pyrepl",  # the interactive REPL
    "unittest",
    "multiprocessing",  # no processes in a browser tab
    "xmlrpc",
    "wsgiref",
    "pydoc_data",
    "idlelib",
    "tkinter",
    "turtledemo",
    "lib2to3",
    "ensurepip",
    "venv",
    "curses",
    "dbm",
}
DROPPED_MODULES = {
    "pdb.py",
    "bdb.py",
    "pydoc.py",
    "doctest.py",
    "imaplib.py",
    "smtplib.py",
    "mailbox.py",
    "ftplib.py",
    "poplib.py",
    "turtle.py",
    "tabnanny.py",
    "pickletools.py",
    "cProfile.py",
    "profile.py",
    "pstats.py",
    "trace.py",
    "_pyio.py",  # the pure-Python io; `io` is the C one
}
CJK_CODECS = (
    "big5", "cp932", "cp949", "cp950", "euc_", "gb2312", "gbk", "gb18030", "hz", "iso2022_", "johab",
    "shift_jis",
)  # fmt: skip


def dropped(name: str) -> bool:
    """True for an entry the app never imports."""
    top = name.split("/", 1)[0]
    if top in DROPPED_PACKAGES or name in DROPPED_MODULES:
        return True
    return name.startswith("encodings/") and name.removeprefix("encodings/").startswith(CJK_CODECS)


def main(source: str, target: str) -> None:
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as packed:
        for info in original.infolist():
            if dropped(info.filename):
                continue
            entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            entry.external_attr = info.external_attr
            packed.writestr(entry, original.read(info))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
