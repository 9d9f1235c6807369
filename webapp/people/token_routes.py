"""Settings: the account's API tokens (/settings/tokens)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp import accounts
from webapp.core.db import db
from webapp.core.model_base import utcnow
from webapp.core.service_errors import ServiceError
from webapp.people.routes import bp


def _me():
    return db.session.merge(current_user._get_current_object())


@bp.route("/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    """The account's API tokens: create one (shown once), see last use and expiry, revoke."""
    account = _me()
    if request.method == "POST":
        session["new_api_token"] = accounts.issue_api_token(db.session, account)
        db.session.commit()
        flash(_("The token is created. Copy it now: it is not shown again."))
        return redirect(url_for("settings.tokens"))
    rows = accounts.active_tokens(db.session, account, utcnow(), accounts.token_idle(), None)
    return render_template(
        "settings/tokens.html", tokens=rows, new_token=session.pop("new_api_token", None)
    )


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int):
    try:
        accounts.revoke_token(db.session, _me(), token_id, utcnow())
    except ServiceError as exc:
        db.session.rollback()
        abort(exc.status)
    db.session.commit()
    flash(_("The token is revoked."))
    return redirect(url_for("settings.tokens"))
