"""Settings: one typed object built from the environment, the only place that reads it.

``Settings`` lists every setting with its type, default and meaning (README.md's table is
checked against it). ``load_config(overrides)`` builds it from ``os.environ`` and returns
it as the Flask config mapping, so code reads ``app.config["NAME"]`` knowing the key is
always there with the right type; ``settings_of(app)`` gives the typed object.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import MISSING, asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_INSTANCE = ROOT / "instance"


def _s(default: Any, doc: str, env: bool = True) -> Any:
    return field(default=default, metadata={"doc": doc, "env": env})


@dataclass(frozen=True)
class Settings:
    INSTANCE_PATH: str = _s("", "directory for the database file, secrets, models, outbox")
    DATABASE_URL: str = _s("", "SQLAlchemy URL (default: SQLite in the instance directory)")
    SECRET_KEY: str = _s("", "session signing key (default: generated into the instance)")
    ID_ENCRYPTION_KEYS: str = _s(
        "",
        "Fernet keys for resident ID numbers at rest, comma-separated, newest first (default:"
        " generated into the instance); to rotate put a new key first, run `flask crypto"
        " rotate-id-numbers`, then drop the old one",
    )
    ID_ENCRYPTION_KEY: str = _s("", "one Fernet key: read when ID_ENCRYPTION_KEYS is not set")
    PSEUDONYM_KEY: str = _s(
        "", "HMAC key for the audit trail's pseudonyms and deleted accounts' (generated)"
    )
    API_TOKEN_IDLE_DAYS: int = _s(30, "an API token expires after this many days without use")
    SESSION_COOKIE_SECURE: bool = _s(False, "send cookies over HTTPS only (set behind HTTPS)")
    MAX_CONTENT_LENGTH: int = _s(2 * 1024 * 1024, "request size limit in bytes")
    PROXY_COUNT: int = _s(0, "reverse proxies in front: trust that many X-Forwarded-* hops")
    RATELIMIT_STORAGE_URI: str = _s("memory://", "rate-limit store, e.g. redis://host:6379/1")
    RATELIMIT_ENABLED: bool = _s(True, "rate limiting on")
    LOGIN_LIMIT_PER_ADDRESS: str = _s("20 per minute", "login attempts per client address")
    LOGIN_LIMIT_PER_ACCOUNT: str = _s("5 per minute", "login attempts per account")
    AUTH_FREE_FAILURES: int = _s(
        5,
        "wrong passwords per (account, address) before a doubling wait (log-in, API tokens,"
        " password change, account deletion)",
    )
    AUTH_BACKOFF_SECONDS: int = _s(30, "the first wait after the free failures, in seconds")
    AUTH_BACKOFF_MAX_SECONDS: int = _s(900, "the longest wait after wrong passwords, in seconds")
    CATALOG_IMPORT_DIRS: str = _s(
        "",
        "directories (os.pathsep-separated) the admin console may import a catalog from"
        " (empty: the packaged catalog)",
    )
    SIGNUP_LIMIT_PER_ADDRESS: str = _s(
        "10 per hour", "sign-ups and reset/verification requests per client address"
    )
    IDLE_TIMEOUT_MINUTES: int = _s(30, "sign out after this long idle")
    ABSOLUTE_TIMEOUT_HOURS: int = _s(12, "sign out this long after signing in")
    SMTP_URL: str = _s("", "mail server, e.g. smtp://127.0.0.1:1025 (empty: instance/outbox.log)")
    SMTP_TIMEOUT: float = _s(10.0, "seconds to wait for the mail server")
    MAIL_FROM: str = _s("Lifepage <no-reply@lifepage.test>", "sender of e-mails")
    PUBLIC_URL: str = _s("http://127.0.0.1:5000", "the site's absolute URL (e-mails, calendar)")
    REMINDER_RETENTION_DAYS: int = _s(90, "days delivered/failed notifications are kept")
    MODEL_DIR: str = _s("", "recommendation model artefacts (default: instance/models)")
    REC_MODEL_CHECK_SECONDS: float = _s(30.0, "how often a worker checks the active model")
    REC_CATALOG_CHECK_SECONDS: float = _s(60.0, "how often a worker checks the catalog version")
    REC_POPULARITY_SECONDS: float = _s(3600.0, "how often popularity is recomputed")
    REC_EPOCHS: int = _s(12, "training epochs")
    REC_COMPONENTS: int = _s(32, "model dimensions")
    REC_THREADS: int = _s(2, "training threads")
    REC_SEED: int = _s(42, "training random seed")
    REC_MIN_INTERACTIONS: int = _s(50, "fewest interactions to train on")
    REC_ACTIVATION_TOLERANCE: float = _s(0.0, "how much worse than the active model may activate")
    REC_TEST_FRACTION: float = _s(0.2, "share of recent interactions held out for evaluation")
    REC_REFIT: bool = _s(True, "refit on all data after evaluation")
    REC_SELECT: str = _s(
        "weekly", "training settings selection: weekly, always or never (fixed REC_EPOCHS)"
    )
    REC_SELECT_DAYS: int = _s(7, "days a settings selection is reused by the nightly refits")
    REC_SELECT_SAMPLE: int = _s(20000, "users sampled for the settings selection")
    REC_MAX_EPOCHS: int = _s(100, "the settings selection's largest epoch count")
    JOB_LEASE_SECONDS: int = _s(300, "a background job's lease, renewed while it runs")
    JOB_MAX_ATTEMPTS: int = _s(3, "claims of a background job before it is failed for good")
    SCHEDULER_SWEEP_SECONDS: int = _s(300, "reminder sweep interval")
    SCHEDULER_DISPATCH_SECONDS: int = _s(30, "reminder dispatch and job-queue interval")
    SCHEDULER_HEARTBEAT_SECONDS: int = _s(30, "scheduler heartbeat interval")
    SCHEDULER_MAX_AGE_SECONDS: int = _s(300, "/healthz: heartbeat older than this is stale")
    HOST: str = _s("127.0.0.1", "python -m webapp: address to listen on")
    PORT: int = _s(5000, "python -m webapp: port to listen on")
    # Fixed (not from the environment).
    SESSION_COOKIE_HTTPONLY: bool = _s(True, "", env=False)
    SESSION_COOKIE_SAMESITE: str = _s("Lax", "", env=False)
    REMEMBER_COOKIE_HTTPONLY: bool = _s(True, "", env=False)
    REMEMBER_COOKIE_SAMESITE: str = _s("Lax", "", env=False)
    BABEL_DEFAULT_LOCALE: str = _s("zh_Hans", "", env=False)
    BABEL_DEFAULT_TIMEZONE: str = _s("Asia/Shanghai", "", env=False)
    WTF_CSRF_TIME_LIMIT: int | None = _s(None, "", env=False)
    TESTING: bool = _s(False, "", env=False)


def _cast(kind: Any, raw: str) -> Any:
    kind = kind if isinstance(kind, str) else getattr(kind, "__name__", str(kind))
    if kind == "bool":
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if kind == "int":
        return int(raw)
    if kind == "float":
        return float(raw)
    return raw


def environment_settings() -> list[tuple[str, Any, str]]:
    """(name, default, meaning) of every setting read from the environment."""
    return [
        (f.name, f.default, f.metadata["doc"])
        for f in fields(Settings)
        if f.metadata.get("env") and f.default is not MISSING
    ]


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


def from_env(
    environ: Mapping[str, str] | None = None, overrides: Mapping | None = None
) -> Settings:
    """Defaults, then the environment, then ``overrides`` (tests, scripts)."""
    environ = os.environ if environ is None else environ
    overrides = dict(overrides or {})
    values: dict[str, Any] = {}
    for f in fields(Settings):
        if f.name in overrides:
            values[f.name] = overrides[f.name]
        elif f.metadata.get("env") and environ.get(f.name) not in (None, ""):
            values[f.name] = _cast(f.type, environ[f.name])
    instance = Path(values.get("INSTANCE_PATH") or DEFAULT_INSTANCE)
    values["INSTANCE_PATH"] = str(instance)
    values.setdefault("DATABASE_URL", f"sqlite:///{instance / 'lifepage.sqlite3'}")
    values.setdefault("MODEL_DIR", str(instance / "models"))
    if not values.get("SECRET_KEY"):
        values["SECRET_KEY"] = _secret_file(instance, "secret_key", lambda: secrets.token_hex(32))
    if not values.get("ID_ENCRYPTION_KEYS"):
        # one key (ID_ENCRYPTION_KEY) still works; else the generated one
        values["ID_ENCRYPTION_KEYS"] = values.get("ID_ENCRYPTION_KEY") or _generated_fernet_key(
            instance
        )
    if not values.get("PSEUDONYM_KEY"):
        values["PSEUDONYM_KEY"] = _secret_file(
            instance, "pseudonym.key", lambda: secrets.token_hex(32)
        )
    return Settings(**values)


def _generated_fernet_key(instance: Path) -> str:
    from cryptography.fernet import Fernet

    return _secret_file(instance, "id_encryption.key", lambda: Fernet.generate_key().decode())


def load_config(overrides: dict | None = None) -> dict:
    """The Flask config: every ``Settings`` field, plus any extra keys in ``overrides``."""
    overrides = dict(overrides or {})
    config = asdict(from_env(overrides=overrides))
    config.update({k: v for k, v in overrides.items() if k not in config})
    return config


def is_set(name: str, environ: Mapping[str, str] | None = None) -> bool:
    """Whether the environment sets ``name`` explicitly (not left to its default)."""
    environ = os.environ if environ is None else environ
    return environ.get(name) not in (None, "")


def settings_of(config: Mapping[str, Any]) -> Settings:
    """The typed settings of an app's config (tests may have changed single keys)."""
    return Settings(**{f.name: config[f.name] for f in fields(Settings) if f.name in config})


def fast_password_hash() -> bool:
    """The test suite's cheap (still argon2id) password hashes: LIFEPAGE_FAST_PASSWORD_HASH=1."""
    return os.environ.get("LIFEPAGE_FAST_PASSWORD_HASH") == "1"
