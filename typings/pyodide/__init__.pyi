"""Pyodide's Python package, as far as ``web/app`` uses it (``pyodide.ffi``)."""
