"""The caller's API tokens: list and revoke any of them."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, g

from webapp.accounts import tokens
from webapp.accounts.token_schemas import TokenList
from webapp.core.api import bp
from webapp.core.api.spec import current_account, endpoint
from webapp.core.db import db
from webapp.core.model_base import utcnow


def token_idle() -> timedelta:
    return timedelta(days=current_app.config["API_TOKEN_IDLE_DAYS"])


def resolve_token(session, raw: str):
    """The bearer-token resolver: valid, unexpired tokens; each use slides the expiry."""
    found = tokens.resolve(session, raw, utcnow(), token_idle())
    if found is None:
        return None
    account, token, touched = found
    if touched:
        session.commit()
    return account, token


@endpoint(bp, "/tokens", summary="The caller's active API tokens", tag="auth", response=TokenList)
def list_tokens():
    me = db.session.merge(current_account())
    rows = tokens.active_tokens(db.session, me, utcnow(), token_idle(), g.api_token.id)
    return {"items": [tokens.token_dict(r) for r in rows]}


@endpoint(
    bp,
    "/tokens/<int:token_id>",
    "DELETE",
    summary="Revoke one of the caller's API tokens",
    tag="auth",
    status=204,
    errors=(404,),
)
def revoke_token_by_id(token_id: int):
    tokens.revoke_token(db.session, db.session.merge(current_account()), token_id, utcnow())
    db.session.commit()
    return "", 204
