"""Sign-up, authentication, password changes and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.accounts.models import Account, ApiToken
from webapp.core.model_base import utcnow
from webapp.core.security.passwords import (
    hash_password,
    password_problem,
    verify_dummy,
    verify_password,
)
from webapp.core.service_errors import ServiceError

SIGNUP_KINDS = ("citizen", "business")


def normalise_email(email: str) -> str:
    return (email or "").strip()


def find_by_email(session: Session, email: str) -> Account | None:
    return session.scalar(
        select(Account).where(func.lower(Account.email) == normalise_email(email).lower())
    )


def check_new_password(password: str, field: str = "password") -> None:
    problem = password_problem(password or "")
    if problem == "too_short":
        raise ServiceError("weak_password", _("Use at least 10 characters."), field)
    if problem == "too_long":
        raise ServiceError("weak_password", _("Use at most 256 characters."), field)
    if problem == "too_common":
        raise ServiceError(
            "weak_password", _("This password is too common. Choose another one."), field
        )


def create_account(
    session: Session, email: str, password: str, kind: str = "citizen", locale: str | None = None
) -> Account:
    email = normalise_email(email)
    if kind not in SIGNUP_KINDS:
        raise ServiceError("invalid_kind", _("Choose citizen or business."), "kind")
    check_new_password(password)
    if find_by_email(session, email) is not None:
        raise ServiceError(
            "email_taken", _("An account with this e-mail address exists already."), "email", 409
        )
    account = Account(email=email, password_hash=hash_password(password), role=kind, locale=locale)
    session.add(account)
    session.flush()
    from webapp.privacy import record_defaults

    record_defaults(session, account)
    return account


def authenticate(session: Session, email: str, password: str) -> Account | None:
    account = find_by_email(session, email)
    if account is None:
        verify_dummy(password or "")
        return None
    if not verify_password(account.password_hash, password or ""):
        return None
    return account


def change_password(session: Session, account: Account, current: str, new: str) -> None:
    if not verify_password(account.password_hash, current or ""):
        raise ServiceError(
            "wrong_password", _("The current password is wrong."), "current_password"
        )
    check_new_password(new, "new_password")
    account.password_hash = hash_password(new)
    account.password_changed_at = utcnow()
    account.rotate_session_token()
    revoke_all_tokens(session, account)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_api_token(session: Session, account: Account) -> str:
    token = "lp_" + secrets.token_urlsafe(32)
    session.add(ApiToken(account_id=account.id, token_hash=_token_hash(token)))
    return token


def account_for_token(session: Session, token: str) -> tuple[Account, ApiToken] | None:
    row = session.scalar(
        select(ApiToken).where(
            ApiToken.token_hash == _token_hash(token), ApiToken.revoked_at.is_(None)
        )
    )
    if row is None:
        return None
    return row.account, row


def revoke_all_tokens(session: Session, account: Account) -> None:
    for token in session.scalars(
        select(ApiToken).where(ApiToken.account_id == account.id, ApiToken.revoked_at.is_(None))
    ):
        token.revoked_at = utcnow()
