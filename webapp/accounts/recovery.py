"""E-mail verification, password reset and sign-up that does not tell who has an account.

Links carry signed, expiring tokens (itsdangerous, a salt per purpose) bound to the state
they change, so each works once: a verification token names the address and "not yet
verified"; a reset token names the current password hash. Sign-up with an address that
has an account answers exactly like a new sign-up and mails the owner instead.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from markupsafe import escape
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from webapp.accounts.models import Account
from webapp.accounts.services import (
    check_new_password,
    create_account,
    find_by_email,
    revoke_all_tokens,
)
from webapp.accounts.throttle import auth_event
from webapp.core.model_base import utcnow
from webapp.core.security.passwords import hash_password
from webapp.core.service_errors import ServiceError

log = logging.getLogger(__name__)

VERIFY_MAX_AGE = 3 * 24 * 3600
RESET_MAX_AGE = 3600


@dataclass(frozen=True)
class AccountMail:
    to: str
    subject: str
    text: str
    html: str


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"account-{purpose}")


def _fingerprint(*parts: object) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    text = "\x1f".join(str(p) for p in parts)
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()[:24]


def verification_token(account: Account) -> str:
    state = _fingerprint(account.email.lower(), account.email_verified_at)
    return _serializer("verify").dumps({"a": account.id, "s": state})


def reset_token(account: Account) -> str:
    return _serializer("reset").dumps({"a": account.id, "s": _fingerprint(account.password_hash)})


def _read(session: Session, purpose: str, token: str, max_age: int) -> Account:
    invalid = ServiceError(
        "invalid_token",
        _("This link is not valid any more. Ask for a new one."),
        "token",
        400,
    )
    try:
        data = _serializer(purpose).loads(token or "", max_age=max_age)
        account = session.get(Account, int(data["a"]))
        state = str(data["s"])
    except SignatureExpired as exc:
        raise ServiceError(
            "expired_token", _("This link has expired. Ask for a new one."), "token", 400
        ) from exc
    except (BadSignature, KeyError, TypeError, ValueError) as exc:
        raise invalid from exc
    if account is None:
        raise invalid
    expected = (
        _fingerprint(account.email.lower(), account.email_verified_at)
        if purpose == "verify"
        else _fingerprint(account.password_hash)
    )
    if not hmac.compare_digest(state, expected):
        raise invalid  # used already (verified, password changed) or the address changed
    return account


def verify_email(session: Session, token: str) -> Account:
    account = _read(session, "verify", token, VERIFY_MAX_AGE)
    account.email_verified_at = utcnow()
    auth_event("email_verified", login=account.email.lower())
    return account


def reset_password(session: Session, token: str, new_password: str) -> Account:
    account = _read(session, "reset", token, RESET_MAX_AGE)
    check_new_password(new_password, "password", account.email)
    account.password_hash = hash_password(new_password)
    account.password_changed_at = utcnow()
    if account.email_verified_at is None:
        account.email_verified_at = utcnow()  # the link proved the mailbox
    account.rotate_session_token()
    revoke_all_tokens(session, account)
    auth_event("password_reset", login=account.email.lower())
    return account


# ---------------------------------------------------------------- mails


def _link(path: str) -> str:
    return current_app.config["PUBLIC_URL"].rstrip("/") + path


def _mail(account_email: str, locale: str | None, subject, lines) -> AccountMail:
    from webapp.core.i18n import LOCALES

    with force_locale(locale if locale in LOCALES else "zh_Hans"):
        subj = subject()
        paragraphs = lines()
    text = "\n\n".join(paragraphs) + "\n"
    html = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return AccountMail(to=account_email, subject=subj, text=text, html=html)


def verification_mail(account: Account) -> AccountMail:
    url = _link(f"/verify/{verification_token(account)}")
    return _mail(
        account.email,
        account.locale,
        lambda: _("Confirm your e-mail address for Lifepage"),
        lambda: [
            _("Please confirm that this address is yours; reminders are only sent to it then:"),
            url,
            _("The link works once, for 3 days. If you did not sign up, ignore this e-mail."),
        ],
    )


def existing_account_mail(account: Account) -> AccountMail:
    return _mail(
        account.email,
        account.locale,
        lambda: _("Someone tried to sign up with your address"),
        lambda: [
            _(
                "Someone tried to create a new Lifepage account with this e-mail address, "
                "which already has one. If it was you, log in instead:"
            ),
            _link("/login"),
            _("Forgot your password? Set a new one here:"),
            _link("/password/forgot"),
            _("If it was not you, you need not do anything."),
        ],
    )


def reset_mail(account: Account) -> AccountMail:
    url = _link(f"/password/reset/{reset_token(account)}")
    return _mail(
        account.email,
        account.locale,
        lambda: _("Set a new Lifepage password"),
        lambda: [
            _("Use this link to set a new password:"),
            url,
            _(
                "The link works once, for one hour. If you did not ask for it, ignore "
                "this e-mail: your password stays as it is."
            ),
        ],
    )


def send(mail: AccountMail | None) -> None:
    """Send now; a failure is logged, never shown (the answer must not differ)."""
    if mail is None:
        return
    from webapp import reminders

    try:
        reminders.send_mail_now(mail.to, mail.subject, mail.text, mail.html)
    except Exception as exc:  # noqa: BLE001  (the mail server is down: the user can ask again)
        log.warning("account e-mail not sent: %s", type(exc).__name__)


# ---------------------------------------------------------------- sign-up


@dataclass(frozen=True)
class SignupResult:
    account: Account | None  # None: the address had an account; its owner is mailed
    mail: AccountMail


def sign_up(
    session: Session, email: str, password: str, kind: str = "citizen", locale: str | None = None
) -> SignupResult:
    """Create the account and its verification mail; for a taken address (also one
    taken by a parallel sign-up a moment ago) create nothing and mail the owner."""
    check_new_password(password, email=email)
    existing = find_by_email(session, email)
    if existing is None:
        try:
            with session.begin_nested():
                account = create_account(session, email, password, kind, locale)
        except (IntegrityError, ServiceError) as exc:
            if isinstance(exc, ServiceError) and exc.code != "email_taken":
                raise
            existing = find_by_email(session, email)
        else:
            auth_event("signup", login=account.email.lower())
            return SignupResult(account, verification_mail(account))
    hash_password(password)  # the same work as a new sign-up: timing does not tell
    auth_event("signup_existing", login=existing.email.lower())
    return SignupResult(None, existing_account_mail(existing))


def request_reset(session: Session, email: str) -> AccountMail | None:
    account = find_by_email(session, email)
    auth_event("reset_requested", login=(email or "").strip().lower())
    return reset_mail(account) if account is not None else None
