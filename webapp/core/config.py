"""Settings from environment variables, in one place."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_INSTANCE = ROOT / "instance"


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_file(instance: Path, name: str, make) -> str:
    """Read a generated secret from instance/, creating it on first use."""
    path = instance / name
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    value = make()
    path.write_text(value)
    path.chmod(0o600)
    return value


def load_config(overrides: dict | None = None) -> dict:
    """Build the configuration: defaults, then the environment, then ``overrides``."""
    overrides = dict(overrides or {})
    instance = Path(
        overrides.get("INSTANCE_PATH") or os.environ.get("INSTANCE_PATH") or DEFAULT_INSTANCE
    )
    db_url = (
        overrides.get("DATABASE_URL")
        or os.environ.get("DATABASE_URL")
        or f"sqlite:///{instance / 'lifepage.sqlite3'}"
    )
    from cryptography.fernet import Fernet

    config = {
        "INSTANCE_PATH": str(instance),
        "DATABASE_URL": db_url,
        "SECRET_KEY": os.environ.get("SECRET_KEY")
        or overrides.get("SECRET_KEY")
        or _secret_file(instance, "secret_key", lambda: secrets.token_hex(32)),
        # Fernet keys for the resident ID number at rest, newest first (several during a
        # key rotation: see core/security/crypto.py). ID_ENCRYPTION_KEY (one key) still works.
        "ID_ENCRYPTION_KEYS": os.environ.get("ID_ENCRYPTION_KEYS")
        or overrides.get("ID_ENCRYPTION_KEYS")
        or os.environ.get("ID_ENCRYPTION_KEY")
        or overrides.get("ID_ENCRYPTION_KEY")
        or _secret_file(instance, "id_encryption.key", lambda: Fernet.generate_key().decode()),
        # HMAC key for the pseudonyms in the audit trail and of deleted accounts: without
        # it, a pseudonym cannot be linked to an account id by hashing candidate ids.
        "PSEUDONYM_KEY": os.environ.get("PSEUDONYM_KEY")
        or overrides.get("PSEUDONYM_KEY")
        or _secret_file(instance, "pseudonym.key", lambda: secrets.token_hex(32)),
        # API tokens expire after this many days without use (sliding expiry).
        "API_TOKEN_IDLE_DAYS": int(os.environ.get("API_TOKEN_IDLE_DAYS", 30)),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE"),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", 2 * 1024 * 1024)),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": _bool("RATELIMIT_ENABLED", True),
        "LOGIN_LIMIT_PER_ADDRESS": os.environ.get("LOGIN_LIMIT_PER_ADDRESS", "20 per minute"),
        # Wrong passwords per (account, client address): this many free, then a wait of
        # AUTH_BACKOFF_SECONDS doubling per failure up to AUTH_BACKOFF_MAX_SECONDS.
        "AUTH_FREE_FAILURES": int(os.environ.get("AUTH_FREE_FAILURES", 5)),
        "AUTH_BACKOFF_SECONDS": int(os.environ.get("AUTH_BACKOFF_SECONDS", 30)),
        "AUTH_BACKOFF_MAX_SECONDS": int(os.environ.get("AUTH_BACKOFF_MAX_SECONDS", 900)),
        "CATALOG_IMPORT_DIRS": os.environ.get("CATALOG_IMPORT_DIRS", ""),
        "SIGNUP_LIMIT_PER_ADDRESS": os.environ.get("SIGNUP_LIMIT_PER_ADDRESS", "10 per hour"),
        "SMTP_URL": os.environ.get("SMTP_URL", ""),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "Lifepage <no-reply@lifepage.test>"),
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000"),
        "MODEL_DIR": os.environ.get("MODEL_DIR", str(instance / "models")),
        "IDLE_TIMEOUT_MINUTES": int(os.environ.get("IDLE_TIMEOUT_MINUTES", 30)),
        "ABSOLUTE_TIMEOUT_HOURS": int(os.environ.get("ABSOLUTE_TIMEOUT_HOURS", 12)),
        "BABEL_DEFAULT_LOCALE": "zh_Hans",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
        "WTF_CSRF_TIME_LIMIT": None,
        "TESTING": False,
    }
    config.update(overrides)
    return config
