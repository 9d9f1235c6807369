"""The home page and the language switch."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_login import current_user

from webapp import catalog
from webapp.accounts import safe_next
from webapp.core.db import db
from webapp.core.i18n import LOCALES

bp = Blueprint("main", __name__)


@bp.route("/")
def home():
    if current_user.is_authenticated and current_user.role == "citizen":
        return redirect(url_for("page.home"))
    events = catalog.life_events(db.session)
    # A business user's concerns come first: the enterprise life cycle and its bundles.
    enterprise_first = current_user.is_authenticated and current_user.role == "business"
    return render_template(
        "main/home.html",
        citizen_events=[e for e in events if e.audience == "citizen"],
        enterprise_events=[e for e in events if e.audience == "enterprise"],
        bundles=catalog.bundles(db.session, enterprise_first=enterprise_first),
        enterprise_first=enterprise_first,
    )


@bp.route("/language", methods=["POST"])
def set_language():
    locale = request.form.get("locale")
    if locale in LOCALES:
        session["locale"] = locale
        if current_user.is_authenticated:
            account = db.session.merge(current_user._get_current_object())
            account.locale = locale
            db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("main.home"))


@bp.route("/healthz")
def healthz():
    """Health of the database, the model and the scheduler; 503 names the failing part.

    ``?scope=web`` leaves the scheduler out of the verdict (for load balancers).
    """
    from webapp.health import health

    report, ok = health(scope=request.args.get("scope", "all"))
    return report, (200 if ok else 503), {"Cache-Control": "no-store"}
