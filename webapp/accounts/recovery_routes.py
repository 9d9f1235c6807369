"""Pages for e-mail verification and password reset (the "auth" blueprint)."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.accounts import recovery
from webapp.accounts.routes import _start_session, bp
from webapp.core.db import db
from webapp.core.extensions import limiter
from webapp.core.forms import service_error_dict
from webapp.core.service_errors import ServiceError


def _limit() -> str:
    return current_app.config["SIGNUP_LIMIT_PER_ADDRESS"]


@bp.route("/verify/<token>")
def verify(token: str):
    try:
        account = recovery.verify_email(db.session, token)
        db.session.commit()
    except ServiceError as exc:
        db.session.rollback()
        return render_template(
            "errors/error.html", status=400, title=_("Link not valid"), message=exc.message
        ), 400
    _start_session(account)
    flash(_("Your e-mail address is confirmed. Reminders can now be sent to it."))
    if account.role == "business":
        flash(_("Welcome to Lifepage. Add your enterprise to see what applies to it."))
        return redirect(url_for("settings.enterprises"))
    flash(_("Welcome to Lifepage. Fill in your profile to see what applies to you."))
    return redirect(url_for("settings.profile"))


@bp.route("/verify/resend", methods=["POST"])
@login_required
@limiter.limit(_limit)
def resend_verification():
    account = db.session.merge(current_user._get_current_object())
    if account.email_verified_at is None:
        recovery.send(recovery.verification_mail(account))
    flash(_("We sent a new confirmation link to your e-mail address."))
    return redirect(url_for("settings.index"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
def forgot_password():
    if request.method == "POST":
        email = (request.form.get("email") or "")[:254]
        recovery.send(recovery.request_reset(db.session, email))
        # The same answer whether or not the address has an account.
        return render_template("auth/check_mail.html", email=email, reset=True)
    return render_template("auth/forgot.html")


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            account = recovery.reset_password(
                db.session, token, request.form.get("password", "")[:256]
            )
            db.session.commit()
        except ServiceError as exc:
            db.session.rollback()
            errors = service_error_dict(exc)
        else:
            _start_session(account)
            flash(_("Your new password is set. Other sessions have been logged out."))
            return redirect(url_for("main.home"))
    return render_template("auth/reset.html", errors=errors), (422 if errors else 200)
