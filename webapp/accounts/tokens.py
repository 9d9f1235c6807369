"""API tokens: sliding expiry, last use, listing and revoking.

A token expires ``API_TOKEN_IDLE_DAYS`` after its last use (or its creation if never used):
each use moves the expiry forward. ``last_used_at`` is written at most once a minute per
token, so a busy client does not turn every read into a write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.accounts import services
from webapp.accounts.models import Account, ApiToken
from webapp.core.service_errors import NotFound

TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class TokenInfo:
    id: int
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime
    current: bool


def expires_at(token: ApiToken, idle: timedelta) -> datetime:
    return (token.last_used_at or token.created_at) + idle


def resolve(
    session: Session, raw: str, now: datetime, idle: timedelta
) -> tuple[Account, ApiToken, bool] | None:
    """(account, token, touched) for a valid, unexpired token; ``touched`` says that
    ``last_used_at`` was written and the caller should commit."""
    found = services.account_for_token(session, raw)
    if found is None:
        return None
    account, token = found
    if expires_at(token, idle) <= now:
        return None
    touched = token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY
    if touched:
        token.last_used_at = now
    return account, token, touched


def active_tokens(
    session: Session, account: Account, now: datetime, idle: timedelta, current_id: int | None
) -> list[TokenInfo]:
    rows = session.scalars(
        select(ApiToken)
        .where(ApiToken.account_id == account.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    return [
        TokenInfo(t.id, t.created_at, t.last_used_at, expires_at(t, idle), t.id == current_id)
        for t in rows
        if expires_at(t, idle) > now
    ]


def revoke_token(session: Session, account: Account, token_id: int, now: datetime) -> None:
    token = session.get(ApiToken, token_id)
    if token is None or token.account_id != account.id or token.revoked_at is not None:
        raise NotFound(_("No such token."))
    token.revoked_at = now
    session.flush()


def token_dict(info: TokenInfo) -> dict:
    return {
        "id": info.id,
        "created_at": info.created_at,
        "last_used_at": info.last_used_at,
        "expires_at": info.expires_at,
        "current": info.current,
    }
