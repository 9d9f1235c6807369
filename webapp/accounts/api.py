"""Tokens and sign-up."""

from __future__ import annotations

from flask import current_app, g, request

from webapp.accounts import services as accounts
from webapp.accounts.schemas import AccountIn, AccountOut, TokenIn, TokenOut
from webapp.accounts.tokens_api import resolve_token
from webapp.core.api import bp
from webapp.core.api.spec import endpoint, set_token_resolver
from webapp.core.db import db
from webapp.core.errors import json_error
from webapp.core.extensions import limiter
from webapp.core.model_base import utcnow

set_token_resolver(resolve_token)


def _token_email_key() -> str:
    payload = request.get_json(silent=True)
    email = payload.get("email", "") if isinstance(payload, dict) else ""
    return "login:" + (email if isinstance(email, str) else "").strip().lower()


def _per_address() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ADDRESS"]


def _per_account() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ACCOUNT"]


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
    decorators=(
        limiter.shared_limit(_per_address, scope="login_address"),
        limiter.shared_limit(_per_account, scope="login_account", key_func=_token_email_key),
    ),
)
def create_token(body: TokenIn):
    account = accounts.authenticate(db.session, body.email, body.password)
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


@endpoint(
    bp,
    "/accounts",
    "POST",
    summary="Sign up a citizen or business user",
    tag="auth",
    body=AccountIn,
    response=AccountOut,
    status=201,
    auth=False,
    errors=(409,),
)
def create_account(body: AccountIn):
    account = accounts.create_account(db.session, body.email, body.password, body.kind, body.locale)
    db.session.commit()
    return {
        "id": account.id,
        "email": account.email,
        "kind": account.role,
        "locale": account.locale,
    }
