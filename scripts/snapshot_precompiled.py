"""Run in the interpreter that ``make_snapshot.mjs`` snapshots: PyScript's own Python, compiled there.

On every boot PyScript writes its Python package (``pyscript/*.py``, from its JS bundle) into the
working directory and imports it, compiling it from source: a large part of the time PyScript adds
to a boot (see README, "First visit and phones"). The package cannot be imported into the snapshot
(it binds JS objects that exist only in the page), but its code can be compiled into it: a source
file whose bytes are exactly one of ``sources`` gets the code object compiled here; any other file
(another PyScript version, anything else) is compiled as usual, so nothing can run stale code.
"""

from __future__ import annotations

import json
import sys
from importlib import _bootstrap_external as external  # the loaders behind the default path hook
from types import CodeType


def install(sources: dict[str, str]) -> None:
    """Serve ``sources`` (path at run time -> text) precompiled, through the default path hook."""
    compiled = {
        text.encode(): compile(text, path, "exec", dont_inherit=True) for path, text in sources.items()
    }

    class PrecompiledSourceLoader(external.SourceFileLoader):
        """A ``.py`` file's loader that skips compiling the sources known in advance."""

        def source_to_code(self, data: bytes, path: str, *, _optimize: int = -1) -> CodeType:
            code = compiled.get(bytes(data))
            return code if code is not None else super().source_to_code(data, path, _optimize=_optimize)

    loaders = [
        (PrecompiledSourceLoader if loader is external.SourceFileLoader else loader, suffixes)
        for loader, suffixes in external._get_supported_file_loaders()
    ]
    default = next(i for i, hook in enumerate(sys.path_hooks) if "FileFinder" in hook.__qualname__)
    sys.path_hooks[default] = external.FileFinder.path_hook(*loaders)
    sys.path_importer_cache.clear()


install(json.loads(SOURCES))  # noqa: F821  # SOURCES is a global make_snapshot.mjs sets
