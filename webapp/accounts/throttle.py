"""Password checks with backoff per (account, client address), and authentication events.

Every place that checks a password (log-in form, API tokens, password change, account
deletion) goes through :func:`check_password`. Failures are counted per account *and*
address: after ``AUTH_FREE_FAILURES`` failures that pair waits 2ⁿ × ``AUTH_BACKOFF_SECONDS``
(at most ``AUTH_BACKOFF_MAX_SECONDS``) before the next check, so a guesser is slowed
down while the owner, from another address, can still log in. Spraying many accounts
from one address is limited separately (``LOGIN_LIMIT_PER_ADDRESS``).

Events go to the ``lifepage.auth`` logger as ``event=… subject=… client=…`` where subject
and client are keyed hashes (no e-mail, no IP address, no password).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from webapp.accounts.models import Account, AuthThrottle
from webapp.core.db import db
from webapp.core.model_base import utcnow
from webapp.core.security.passwords import verify_dummy, verify_password
from webapp.core.service_errors import ServiceError

log = logging.getLogger("lifepage.auth")

MAX_EMAIL_LENGTH = 254
MAX_PASSWORD_LENGTH = 256


class Throttled(ServiceError):
    status = 429

    def __init__(self, retry_after: int):
        super().__init__(
            "throttled",
            _("Too many wrong passwords. Try again in %(seconds)d seconds.", seconds=retry_after),
            "password",
            429,
        )
        self.retry_after = retry_after


def normalise_login(email: str | None) -> str | None:
    """The one normalisation of a log-in name, for throttling and authentication alike:
    trimmed and lower-cased; None when it is too long to be an address."""
    value = (email or "").strip().lower()
    if len(value) > MAX_EMAIL_LENGTH:
        return None
    return value


def _digest(*parts: str) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, "\x1f".join(parts).encode(), hashlib.sha256).hexdigest()


def pseudonym(kind: str, value: str) -> str:
    """A short keyed hash for logs: the same value gives the same tag, nothing recovers it."""
    return _digest("log", kind, value)[:12]


def auth_event(event: str, *, login: str = "", address: str = "", **extra) -> None:
    fields = [f"event={event}"]
    if login:
        fields.append(f"subject={pseudonym('login', login)}")
    if address:
        fields.append(f"client={pseudonym('address', address)}")
    fields.extend(f"{k}={v}" for k, v in extra.items())
    log.info("auth %s", " ".join(fields))


def _enabled() -> bool:
    return bool(current_app.config.get("AUTH_THROTTLE_ENABLED", True))


def _settings() -> tuple[int, int, int]:
    c = current_app.config
    return (
        int(c.get("AUTH_FREE_FAILURES", 5)),
        int(c.get("AUTH_BACKOFF_SECONDS", 30)),
        int(c.get("AUTH_BACKOFF_MAX_SECONDS", 900)),
    )


def retry_after(login: str, address: str, now: datetime | None = None) -> int:
    """Seconds this (account, address) pair must still wait; 0 when it may try."""
    if not _enabled():
        return 0
    now = now or utcnow()
    with db.new_session() as session:
        row = session.get(AuthThrottle, _digest("pw", login, address))
        if row is None or row.blocked_until is None or row.blocked_until <= now:
            return 0
        return max(1, int((row.blocked_until - now).total_seconds() + 0.999))


def _record_failure(login: str, address: str, now: datetime) -> datetime | None:
    free, base, cap = _settings()
    key = _digest("pw", login, address)
    with db.new_session() as session:
        for _attempt in range(3):
            result = session.execute(
                update(AuthThrottle)
                .where(AuthThrottle.key == key)
                .values(failures=AuthThrottle.failures + 1, updated_at=now)
                .returning(AuthThrottle.failures)
            )
            failures = result.scalar()
            if failures is None:
                try:
                    session.add(AuthThrottle(key=key, failures=1, updated_at=now))
                    session.commit()
                    failures = 1
                except IntegrityError:  # another request inserted it first: count again
                    session.rollback()
                    continue
            blocked = None
            if failures >= free:
                wait = min(base * 2 ** (failures - free), cap)
                blocked = now + timedelta(seconds=wait)
                session.execute(
                    update(AuthThrottle)
                    .where(AuthThrottle.key == key)
                    .values(blocked_until=blocked)
                )
            session.commit()
            return blocked
    return None


def _record_success(login: str, address: str) -> None:
    with db.new_session() as session:
        session.execute(
            delete(AuthThrottle).where(AuthThrottle.key == _digest("pw", login, address))
        )
        session.commit()


def check_password(
    account: Account | None, login: str, password: str, *, address: str, purpose: str
) -> bool:
    """Check ``password`` for ``account`` (None: unknown login, checked against a dummy
    hash so timing does not tell). Raises :class:`Throttled` while the pair waits."""
    now = utcnow()
    wait = retry_after(login, address, now)
    if wait:
        auth_event("throttled", login=login, address=address, purpose=purpose)
        raise Throttled(wait)
    password = (password or "")[:MAX_PASSWORD_LENGTH]
    if account is None:
        verify_dummy(password)
        ok = False
    else:
        ok = verify_password(account.password_hash, password)
    if ok:
        _record_success(login, address)
        auth_event("success", login=login, address=address, purpose=purpose)
        return True
    blocked = _record_failure(login, address, now) if _enabled() else None
    auth_event("failure", login=login, address=address, purpose=purpose)
    if blocked is not None:
        auth_event("lockout", login=login, address=address, purpose=purpose)
    return False


def purge(session: Session, before: datetime) -> int:
    """Forget counters not touched since ``before``."""
    result = session.execute(delete(AuthThrottle).where(AuthThrottle.updated_at < before))
    return result.rowcount or 0
