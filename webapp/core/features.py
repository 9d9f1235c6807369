"""How a feature package shows its public face.

A feature's ``__init__`` names what other features may use and the module inside the
feature that defines each name. The names resolve on first use, so features that use each
other (the page shows recommendations; the recommender reads the page's hidden services)
import without cycles, and a missing name is an ``AttributeError`` at import time of the
caller, never a silent fallback.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any


def public_face(
    package: str, exports: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``: ``exports`` maps a public name to
    the module (relative to the package) that defines it."""

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(import_module(f"{package}.{module}"), name)

    def __dir__() -> list[str]:
        return sorted(exports)

    return __getattr__, __dir__
