"""The public service catalog: life events, departments, search, services, bundles."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from ..db import db
from ..services import catalog

bp = Blueprint("catalog", __name__, url_prefix="/services")


@bp.route("/")
def search():
    query = request.args.get("q", "")[: catalog.MAX_QUERY]
    life_event = request.args.get("life_event") or None
    audience = request.args.get("audience") or None
    events = catalog.life_events(db.session)
    results = (
        catalog.search(db.session, query, life_event, audience)
        if (query or life_event or audience)
        else []
    )
    return render_template(
        "catalog/search.html",
        query=query,
        life_event=life_event,
        audience=audience,
        results=results,
        searched=bool(query or life_event or audience),
        events=events,
        departments=catalog.departments(db.session),
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
    return render_template("catalog/service.html", service=svc)


@bp.route("/bundles/<code>")
def bundle(code: str):
    b = catalog.get_bundle(db.session, code)
    if b is None:
        abort(404)
    return render_template("catalog/bundle.html", bundle=b, checklist=catalog.bundle_checklist(b))
