"""Simplified ↔ Traditional Chinese conversion (OpenCC), one converter per direction.

The catalog derives zh_Hant text from zh_Hans with :func:`to_traditional`; search folds
any mix of the two scripts onto Simplified with :func:`to_simplified`.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=2)
def _converter(config: str):
    import opencc  # imported lazily: only localisation and search need it

    return opencc.OpenCC(config)


def to_traditional(text: str) -> str:
    """Simplified → Traditional Chinese (OpenCC ``s2t``), converter cached."""
    return _converter("s2t").convert(text)


def to_simplified(text: str) -> str:
    """Traditional (or mixed) → Simplified Chinese (OpenCC ``t2s``); Simplified passes through."""
    return _converter("t2s").convert(text)
