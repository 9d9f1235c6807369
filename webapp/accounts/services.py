"""Sign-up, authentication, password changes and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.accounts.models import Account, ApiToken
from webapp.accounts.throttle import check_password, normalise_login
from webapp.core.model_base import utcnow
from webapp.core.security.passwords import hash_password, password_problem
from webapp.core.service_errors import ServiceError

SIGNUP_KINDS = ("citizen", "business")


def normalise_email(email: str) -> str:
    return (email or "").strip()


def find_by_email(session: Session, email: str) -> Account | None:
    login = normalise_login(email)
    if not login:
        return None
    return session.scalar(select(Account).where(func.lower(Account.email) == login))


def check_new_password(password: str, field: str = "password", email: str = "") -> None:
    problem = password_problem(password or "", (email, email.split("@")[0]) if email else ())
    if problem == "too_short":
        raise ServiceError("weak_password", _("Use at least 10 characters."), field)
    if problem == "too_long":
        raise ServiceError("weak_password", _("Use at most 256 characters."), field)
    if problem == "too_common":
        raise ServiceError(
            "weak_password", _("This password is too common. Choose another one."), field
        )
    if problem == "too_guessable":
        raise ServiceError(
            "weak_password",
            _(
                "This password is easy to guess. Use a longer one, "
                "for example a few unrelated words."
            ),
            field,
        )


def create_account(
    session: Session,
    email: str,
    password: str,
    kind: str = "citizen",
    locale: str | None = None,
    *,
    check_strength: bool = True,
) -> Account:
    """A new account (e-mail not yet verified). ``check_strength=False`` only for the
    published demo accounts."""
    email = normalise_email(email)
    if kind not in SIGNUP_KINDS:
        raise ServiceError("invalid_kind", _("Choose citizen or business."), "kind")
    if check_strength:
        check_new_password(password, email=email)
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


def authenticate(
    session: Session, email: str, password: str, *, address: str, purpose: str = "login"
) -> Account | None:
    """The account for this e-mail and password, or None. ``email`` is normalised with
    :func:`normalise_login` (the throttle's key too); raises ``Throttled`` while this
    account and address wait after repeated failures."""
    login = normalise_login(email)
    if login is None:
        raise ServiceError("too_long", _("This text is too long."), "email", 422)
    account = find_by_email(session, login)
    if not check_password(account, login, password, address=address, purpose=purpose):
        return None
    return account


def confirm_password(account: Account, password: str, *, address: str, purpose: str) -> bool:
    """Re-check the signed-in account's password (password change, account deletion),
    with the same backoff as logging in."""
    login = normalise_login(account.email) or ""
    return check_password(account, login, password, address=address, purpose=purpose)


def change_password(
    session: Session, account: Account, current: str, new: str, *, address: str
) -> None:
    if not confirm_password(account, current, address=address, purpose="password_change"):
        raise ServiceError(
            "wrong_password", _("The current password is wrong."), "current_password"
        )
    check_new_password(new, "new_password", account.email)
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
