"""The enterprise page: stage, timeline, duties, services, permits, members; a switcher."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp import page
from webapp.core.clock import local_today
from webapp.core.db import db
from webapp.core.navigation import register_nav
from webapp.core.service_errors import NotFound

bp = Blueprint("enterprise", __name__, url_prefix="/enterprises")

register_nav("enterprise.index", lambda: _("My enterprise"), order=12, roles=("business",))


def _me():
    return db.session.merge(current_user._get_current_object())


@bp.route("/")
@login_required
def index():
    choices = page.enterprise_choices(db.session, _me())
    if not choices:
        return redirect(url_for("settings.enterprises"))
    code = request.args.get("code")
    if code:
        return redirect(url_for("enterprise.show", credit_code=code))
    return redirect(url_for("enterprise.show", credit_code=choices[0].credit_code))


@bp.route("/<credit_code>")
@login_required
def show(credit_code: str):
    account = _me()
    try:
        data = page.build_enterprise_page(db.session, account, credit_code, local_today())
    except NotFound:
        abort(404)
    db.session.commit()
    return render_template(
        "enterprise/page.html",
        page=data,
        timeline=page.timeline_view(data["timeline"], past=6, future=8),
        choices=page.enterprise_choices(db.session, account),
        url_endpoints=current_app.view_functions,
    )
