"""Tokens and sign-up."""

from __future__ import annotations

from flask import current_app, g, request

from webapp.accounts import recovery
from webapp.accounts import services as accounts
from webapp.accounts.schemas import (
    AccountIn,
    ResetConfirmIn,
    ResetRequestIn,
    SignupOut,
    TokenBody,
    TokenIn,
    TokenOut,
)
from webapp.accounts.tokens_api import resolve_token
from webapp.core.api import bp
from webapp.core.api.spec import current_account, endpoint, set_token_resolver
from webapp.core.db import db
from webapp.core.errors import json_error
from webapp.core.extensions import limiter
from webapp.core.model_base import utcnow

set_token_resolver(resolve_token)


def _per_address() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ADDRESS"]


@endpoint(
    bp,
    "/tokens",
    "POST",
    summary="Create an API token",
    tag="auth",
    body=TokenIn,
    response=TokenOut,
    status=201,
    auth=False,
    errors=(401, 429),
    decorators=(limiter.shared_limit(_per_address, scope="login_address"),),
)
def create_token(body: TokenIn):
    account = accounts.authenticate(
        db.session, body.email, body.password, address=request.remote_addr or ""
    )
    if account is None:
        return json_error(
            401, "invalid_credentials", "The e-mail address or the password is wrong."
        )
    token = accounts.issue_api_token(db.session, account)
    db.session.commit()
    return {"token": token}


@endpoint(
    bp,
    "/tokens/current",
    "DELETE",
    summary="Revoke the token used for this request",
    tag="auth",
    status=204,
)
def revoke_token():
    token = db.session.merge(g.api_token)
    token.revoked_at = utcnow()
    db.session.commit()
    return "", 204


def _signup_limit() -> str:
    return current_app.config["SIGNUP_LIMIT_PER_ADDRESS"]


@endpoint(
    bp,
    "/accounts",
    "POST",
    summary="Sign up a citizen or business user; a confirmation link is e-mailed "
    "(an address with an account gets the same answer, and its owner a notice)",
    tag="auth",
    body=AccountIn,
    response=SignupOut,
    status=201,
    auth=False,
    errors=(400, 429),
    decorators=(limiter.shared_limit(_signup_limit, scope="signup"),),
)
def create_account(body: AccountIn):
    result = recovery.sign_up(db.session, body.email, body.password, body.kind, body.locale)
    db.session.commit()
    recovery.send(result.mail)
    return {
        "email": body.email,
        "kind": body.kind,
        "locale": body.locale,
        "verification_sent": True,
    }


@endpoint(
    bp,
    "/accounts/verification",
    "POST",
    summary="Confirm the e-mail address with the token from the e-mailed link",
    tag="auth",
    body=TokenBody,
    status=204,
    auth=False,
    errors=(400,),
)
def confirm_email(body: TokenBody):
    recovery.verify_email(db.session, body.token)
    db.session.commit()
    return "", 204


@endpoint(
    bp,
    "/accounts/verification/resend",
    "POST",
    summary="E-mail a new confirmation link to the caller's address",
    tag="auth",
    status=202,
    errors=(429,),
    decorators=(limiter.limit(_signup_limit),),
)
def resend_confirmation():
    account = db.session.merge(current_account())
    if account.email_verified_at is None:
        recovery.send(recovery.verification_mail(account))
    return "", 202


@endpoint(
    bp,
    "/password-reset",
    "POST",
    summary="E-mail a link to set a new password (the same answer for any address)",
    tag="auth",
    body=ResetRequestIn,
    status=202,
    auth=False,
    errors=(429,),
    decorators=(limiter.limit(_signup_limit),),
)
def request_password_reset(body: ResetRequestIn):
    recovery.send(recovery.request_reset(db.session, body.email))
    return "", 202


@endpoint(
    bp,
    "/password-reset/confirm",
    "POST",
    summary="Set a new password with the token from the e-mailed link (once, within an hour)",
    tag="auth",
    body=ResetConfirmIn,
    status=204,
    auth=False,
    errors=(400,),
)
def confirm_password_reset(body: ResetConfirmIn):
    recovery.reset_password(db.session, body.token, body.password)
    db.session.commit()
    return "", 204
