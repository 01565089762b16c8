"""``pyodide.ffi``: what ``web/app`` uses to hand Python callables and values to JavaScript."""

from typing import Any

def create_proxy(obj: Any, /, *, capture_this: bool = ..., roundtrip: bool = ...) -> Any: ...
def to_js(
    obj: Any,
    /,
    *,
    depth: int = ...,
    pyproxies: Any = ...,
    create_pyproxies: bool = ...,
    dict_converter: Any = ...,
    default_converter: Any = ...,
) -> Any: ...
