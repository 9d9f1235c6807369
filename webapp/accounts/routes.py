"""Sign-up, log in, log out."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from webapp.accounts import recovery
from webapp.accounts import services as accounts
from webapp.accounts.schemas import AccountIn
from webapp.accounts.throttle import MAX_EMAIL_LENGTH, MAX_PASSWORD_LENGTH, Throttled
from webapp.core.db import db
from webapp.core.extensions import limiter
from webapp.core.forms import form_to_dict, service_error_dict, validate
from webapp.core.service_errors import ServiceError

bp = Blueprint("auth", __name__)

# Where each role lands after logging in: citizens on their page, business users on their
# enterprise page, administrators on the console.
ROLE_HOMES = {"citizen": "page.home", "business": "enterprise.index", "admin": "admin.index"}


def safe_next(target: str | None) -> str | None:
    """Only same-site relative paths: no scheme, no host, no protocol-relative '//'."""
    if not target:
        return None
    target = target.strip()
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith(("//", "/\\"))
    ):
        return None
    if "\\" in target or any(ord(c) < 32 for c in target):
        return None
    return target


def _per_address() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ADDRESS"]


def _start_session(account) -> None:
    session.clear()
    login_user(account)
    session.permanent = False
    # The idle and absolute timeouts (auth_session) count from the login itself.
    session["login_at"] = session["seen_at"] = datetime.now(UTC).timestamp()


def _signup_limit() -> str:
    return current_app.config["SIGNUP_LIMIT_PER_ADDRESS"]


@bp.route("/signup", methods=["GET", "POST"])
@limiter.shared_limit(_signup_limit, scope="signup", methods=["POST"])
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    errors: dict[str, str] = {}
    values = {"kind": "citizen"}
    if request.method == "POST":
        values = form_to_dict(request.form, ["email", "password", "kind"])
        data = dict(values)
        from webapp.core.i18n import current_locale

        data["locale"] = current_locale()
        parsed, errors = validate(AccountIn, data)
        if parsed is not None:
            try:
                result = recovery.sign_up(
                    db.session, parsed.email, parsed.password, parsed.kind, parsed.locale
                )
                db.session.commit()
            except ServiceError as exc:
                db.session.rollback()
                errors = service_error_dict(exc)
            else:
                # The same answer whether the address is new or has an account already.
                recovery.send(result.mail)
                return render_template("auth/check_mail.html", email=parsed.email)
        values.pop("password", None)
    return render_template("auth/signup.html", errors=errors, values=values), (
        422 if errors else 200
    )


@bp.route("/login", methods=["GET", "POST"])
@limiter.shared_limit(_per_address, scope="login_address", methods=["POST"])
def login():
    next_url = safe_next(request.values.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("main.home"))
    error = None
    status = 200
    email = ""
    if request.method == "POST":
        email = request.form.get("email", "")
        password = request.form.get("password", "")
        if len(email) > MAX_EMAIL_LENGTH or len(password) > MAX_PASSWORD_LENGTH:
            email = email[:MAX_EMAIL_LENGTH]
            error, status = _("This text is too long."), 422
        else:
            try:
                account = accounts.authenticate(
                    db.session, email, password, address=request.remote_addr or ""
                )
            except Throttled as exc:
                return (
                    render_template(
                        "auth/login.html", error=exc.message, email=email, next=next_url
                    ),
                    429,
                    {"Retry-After": str(exc.retry_after)},
                )
            if account is None:
                error, status = _("The e-mail address or the password is wrong."), 401
            else:
                _start_session(account)
                return redirect(next_url or url_for(ROLE_HOMES.get(account.role, "main.home")))
    return (
        render_template("auth/login.html", error=error, email=email, next=next_url),
        status,
    )


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    account = db.session.merge(current_user._get_current_object())
    account.rotate_session_token()
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have logged out."))
    return redirect(url_for("main.home"))


from webapp.accounts import recovery_routes  # noqa: E402,F401  (verification, password reset)
