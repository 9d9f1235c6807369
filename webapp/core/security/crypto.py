"""Encryption at rest for sensitive personal information (the resident ID number).

Keys come from ``ID_ENCRYPTION_KEYS``: a list of Fernet keys, newest first (environment
variable: comma-separated). New values are encrypted with the first key; any listed key
decrypts. To rotate: put a new key first, keep the old ones after it, run
``flask crypto rotate-id-numbers`` (re-encrypts every stored value with the first key),
then drop the old keys.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app


def parse_keys(value: str | list[str] | tuple[str, ...] | None) -> list[str]:
    """Keys from a comma-separated string or a list, blanks removed, order kept."""
    if not value:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    return [k.strip() for k in items if k and k.strip()]


def _fernet() -> MultiFernet:
    keys = parse_keys(current_app.config["ID_ENCRYPTION_KEYS"])
    return MultiFernet([Fernet(k.encode()) for k in keys])


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str | None:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return None


def rotate(token: str) -> str:
    """The same value encrypted with the first (current) key. InvalidToken if no key fits."""
    return _fernet().rotate(token.encode()).decode()
