"""The public service catalog: life events, departments, search, services, bundles."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lifecycle.eligibility import parse_conditions
from webapp import entitlements, page
from webapp import recommend as interactions
from webapp.catalog import services as catalog
from webapp.catalog import steps
from webapp.catalog.search import find, service_aliases
from webapp.core.db import db
from webapp.core.model_base import utcnow
from webapp.core.service_errors import ServiceError

bp = Blueprint("catalog", __name__, url_prefix="/services")


@bp.route("/")
def search():
    query = request.args.get("q", "")[: catalog.MAX_QUERY]
    life_event = request.args.get("life_event") or None
    audience = request.args.get("audience") or None
    events = catalog.life_events(db.session)
    results = (
        find(db.session, query, life_event, audience) if (query or life_event or audience) else []
    )
    pinned = (
        page.pinned_codes(db.session, current_user.id)
        if current_user.is_authenticated and results
        else set()
    )
    return render_template(
        "catalog/search.html",
        pinned=pinned,
        query=query,
        life_event=life_event,
        audience=audience,
        results=results,
        searched=bool(query or life_event or audience),
        events=events,
        departments=catalog.departments(db.session),
        bundles=catalog.bundles(
            db.session,
            enterprise_first=current_user.is_authenticated and current_user.role == "business",
        ),
    )


@bp.route("/life-events/<key>")
def life_event(key: str):
    event = next((e for e in catalog.life_events(db.session) if e.key == key), None)
    if event is None:
        abort(404)
    return render_template(
        "catalog/list.html",
        heading=event.name,
        description=event.description,
        services=catalog.services_for_event(db.session, key),
    )


@bp.route("/departments/<code>")
def department(code: str):
    dep = next((d for d in catalog.departments(db.session) if d.code == code), None)
    if dep is None:
        abort(404)
    return render_template(
        "catalog/list.html",
        heading=dep.name,
        description=None,
        services=catalog.services_for_department(db.session, code),
    )


@bp.route("/<code>")
def service(code: str):
    svc = catalog.get_service(db.session, code)
    if svc is None:
        abort(404)
    pinned = False
    progress = None
    if current_user.is_authenticated:
        if not request.args.get("acted"):  # back from an action button: not a new view
            source = interactions.clean_source(request.args.get("src"), "catalog")
            interactions.record(db.session, current_user.id, svc.id, "view", source)
            db.session.commit()
        pinned = code in page.pinned_codes(db.session, current_user.id)
        progress = interactions.last_progress(db.session, current_user.id, svc.id)
    return render_template(
        "catalog/service.html",
        service=svc,
        aliases=service_aliases(svc),
        pinned=pinned,
        progress=progress,
        src=interactions.clean_source(request.args.get("src"), "catalog"),
        who=entitlements.audience_words(parse_conditions(svc.eligibility or {})),
    )


ACTION_MESSAGES = {
    "pin": lambda: _("The service is pinned to your page."),
    "unpin": lambda: _("The service is unpinned."),
    "apply": lambda: _("Noted: you applied for this service."),
    "complete": lambda: _("Noted: this service is done."),
    "dismiss": lambda: _("We will not recommend this service to you again."),
}


@bp.route("/<code>/actions", methods=["POST"])
@login_required
def act(code: str):
    """The service page's buttons: Pin / Unpin, I applied, Done, Not relevant."""
    action = request.form.get("action", "")
    source = interactions.clean_source(request.form.get("src"), "catalog")
    account = db.session.merge(current_user._get_current_object())
    try:
        page.act_on_service(db.session, account, code, action, source)
        db.session.commit()
    except ServiceError as exc:
        db.session.rollback()
        if exc.status == 404:
            abort(404)
        flash(exc.message, "error")
    else:
        flash(ACTION_MESSAGES[action]())
    return redirect(url_for("catalog.service", code=code, acted=1))


@bp.route("/bundles/<code>")
def bundle(code: str):
    account_id = current_user.id if current_user.is_authenticated else None
    try:
        data = steps.bundle_steps(db.session, code, account_id)
    except ServiceError:
        abort(404)
    return render_template("catalog/bundle.html", bundle=data)


@bp.route("/bundles/<code>/steps/<service_code>", methods=["POST"])
@login_required
def bundle_step(code: str, service_code: str):
    done = request.form.get("done") == "1"
    try:
        steps.set_step(db.session, current_user.id, code, service_code, done, utcnow())
        db.session.commit()
    except ServiceError:
        db.session.rollback()
        abort(404)
    flash(_("Step marked as done.") if done else _("Step marked as not done."))
    return redirect(url_for("catalog.bundle", code=code) + f"#step-{service_code}")
