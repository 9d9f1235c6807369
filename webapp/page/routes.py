"""The personal page at /me and the plain POST forms that customise it (no JavaScript needed)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from webapp import enterprise as enterprises
from webapp.accounts import safe_next
from webapp.core.clock import local_today
from webapp.core.db import db
from webapp.core.navigation import register_nav
from webapp.core.service_errors import ServiceError
from webapp.page import services as page
from webapp.page import timeline, widgets
from webapp.page.models import THEMES
from webapp.recommend import clean_source

bp = Blueprint("page", __name__, url_prefix="/me")

register_nav("page.home", lambda: _("My page"), order=10, roles=("citizen", "admin"))

THEME_LABELS = {
    "standard": _l("Standard"),
    "elder": _l("Elder mode: larger text, simpler layout, high contrast"),
    "dark": _l("Dark"),
}


def _me():
    return db.session.merge(current_user._get_current_object())


def _back(default: str = "page.home"):
    return redirect(safe_next(request.form.get("next")) or url_for(default))


@bp.app_context_processor
def _theme():
    if not current_user.is_authenticated:
        return {}
    if "page_theme" not in g:
        g.page_theme = page.theme_for(db.session, current_user.id)
    return {"page_theme": g.page_theme}


@bp.route("/")
@login_required
def home():
    account = _me()
    if account.role == "business":
        return redirect(url_for("enterprise.index"))
    data = page.build_page(db.session, account, local_today())
    db.session.commit()
    g.page_theme = data["theme"]
    return render_template(
        "page/home.html",
        page=data,
        timeline=timeline.timeline_view(data["timeline"]),
    )


@bp.route("/customise")
@login_required
def customise():
    account = _me()
    layout = page.layout_of(db.session, account.id)
    items = [
        {
            **item,
            "title": widgets.get(item["key"]).title(),
            "limited": item["key"] in page.LIMITED_WIDGETS,
            "limit": item["settings"].get("limit", 3 if item["key"] == "inbox" else 5),
        }
        for item in layout["widgets"]
    ]
    return render_template(
        "page/customise.html",
        items=items,
        theme=layout["theme"],
        themes=[(t, THEME_LABELS[t]) for t in THEMES],
        limits=page.LIMIT_CHOICES,
        hidden=page.hidden_services(db.session, account.id),
        pinned=page.pinned_services(db.session, account.id),
    )


def _run(action, success: str | None, default: str = "page.customise"):
    try:
        action()
        db.session.commit()
    except (IntegrityError, StaleDataError):  # saved elsewhere at the same moment
        db.session.rollback()
        flash(
            _("Your page was changed elsewhere in the meantime. Reload it and try again."), "error"
        )
        return _back(default)
    except ServiceError as exc:
        db.session.rollback()
        if exc.status == 404:
            abort(404)
        flash(exc.message, "error")
    else:
        if success:
            flash(success)
    return _back(default)


@bp.route("/layout/move", methods=["POST"])
@login_required
def move():
    account = _me()
    key = request.form.get("key", "")
    direction = request.form.get("direction", "")
    widget = widgets.get(key)
    title = widget.title() if widget else key
    message = (
        _("“%(title)s” moved up.", title=title)
        if direction == "up"
        else _("“%(title)s” moved down.", title=title)
    )
    return _run(lambda: page.move_widget(db.session, account.id, key, direction), message)


@bp.route("/layout/order", methods=["POST"])
@login_required
def order():
    """The whole order at once (sent by the drag-and-drop enhancement)."""
    account = _me()
    keys = [k for k in request.form.get("order", "").split(",") if k]
    return _run(
        lambda: page.reorder(db.session, account.id, keys),
        _("The new order of your page is saved."),
    )


@bp.route("/layout/settings", methods=["POST"])
@login_required
def widget_settings():
    account = _me()
    key = request.form.get("key", "")
    try:
        limit = int(request.form.get("limit", ""))
    except ValueError:
        limit = 0
    return _run(
        lambda: page.set_limit(db.session, account.id, key, limit),
        _("Saved."),
    )


@bp.route("/layout/visibility", methods=["POST"])
@login_required
def visibility():
    account = _me()
    key = request.form.get("key", "")
    visible = request.form.get("visible") == "1"
    widget = widgets.get(key)
    title = widget.title() if widget else key
    message = (
        _("“%(title)s” is shown on your page.", title=title)
        if visible
        else _("“%(title)s” is hidden from your page.", title=title)
    )
    return _run(lambda: page.set_visible(db.session, account.id, key, visible), message)


@bp.route("/layout/reset", methods=["POST"])
@login_required
def reset():
    account = _me()
    return _run(
        lambda: page.save_layout(db.session, account.id, page.default_widgets(), None),
        _("Your page is back to the standard layout."),
    )


@bp.route("/theme", methods=["POST"])
@login_required
def theme():
    account = _me()
    return _run(
        lambda: page.set_theme(db.session, account.id, request.form.get("theme", "")),
        _("The page theme is saved."),
    )


@bp.route("/pins", methods=["POST"])
@login_required
def pin():
    account = _me()
    code = request.form.get("service_code", "")
    action = request.form.get("action", "pin")
    source = clean_source(request.form.get("src"), "page")
    if action == "unpin":
        return _run(
            lambda: page.unpin(db.session, account, code),
            _("The service is unpinned."),
            "page.home",
        )
    return _run(
        lambda: page.pin(db.session, account, code, source),
        _("The service is pinned to your page."),
        "page.home",
    )


@bp.route("/not-relevant", methods=["POST"])
@login_required
def dismiss():
    account = _me()
    code = request.form.get("service_code", "")
    source = clean_source(request.form.get("src"), "recommendation")
    enterprise_id = None
    if request.form.get("enterprise"):  # "not relevant" for an enterprise, by a member
        try:
            enterprise_id = enterprises.get_for_member(
                db.session, account, request.form["enterprise"]
            )[0].id
        except ServiceError:
            abort(404)
    return _run(
        lambda: page.dismiss(db.session, account, code, source, enterprise_id),
        _("We will not recommend this service to you again."),
        "page.home",
    )


@bp.route("/not-relevant/undo", methods=["POST"])
@login_required
def undismiss():
    account = _me()
    code = request.form.get("service_code", "")
    return _run(
        lambda: page.undismiss(db.session, account, code),
        _("The service may be recommended to you again."),
    )
