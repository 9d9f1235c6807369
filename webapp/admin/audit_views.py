"""The audit log: filterable, exportable as CSV."""

from __future__ import annotations

from datetime import date

from flask import Response, render_template, request

from webapp.admin import bp
from webapp.core import audit
from webapp.core.db import db


def _filter() -> tuple[audit.AuditFilter, dict, dict]:
    args = request.args
    values = {
        k: args.get(k, "").strip()
        for k in ("actor", "action", "target_type", "date_from", "date_to")
    }
    errors = {}
    dates = {}
    for key in ("date_from", "date_to"):
        if values[key]:
            try:
                dates[key] = date.fromisoformat(values[key])
            except ValueError:
                errors[key] = "YYYY-MM-DD"
    flt = audit.AuditFilter(
        actor=values["actor"] or None,
        action=values["action"] or None,
        target_type=values["target_type"] or None,
        date_from=dates.get("date_from"),
        date_to=dates.get("date_to"),
    )
    return flt, values, errors


@bp.route("/audit")
def audit_log():
    flt, values, errors = _filter()
    session = db.session
    return render_template(
        "admin/audit.html",
        entries=audit.query(session, flt, limit=500),
        values=values,
        errors=errors,
        actors=audit.actors(session),
        target_types=audit.TARGET_TYPES,
        query=request.query_string.decode(),
    ), (422 if errors else 200)


@bp.route("/audit.csv")
def audit_csv():
    flt, _values, _errors = _filter()
    return Response(
        audit.to_csv(audit.query(db.session, flt, limit=None)),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="audit-log.csv"'},
    )
