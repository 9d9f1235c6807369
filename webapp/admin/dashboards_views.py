"""Dashboards: SVG charts drawn on the server, each with its table and a CSV export."""

from __future__ import annotations

from flask import Response, abort, render_template

from webapp.admin import bp, dashboards
from webapp.core.clock import local_today
from webapp.core.db import db


@bp.route("/dashboards")
def dashboards_index():
    return render_template(
        "admin/dashboards.html", tables=dashboards.build_all(db.session, local_today())
    )


@bp.route("/dashboards/<key>.csv")
def dashboard_csv(key: str):
    if key not in dashboards.CHARTS:
        abort(404)
    table = dashboards.build(db.session, key, local_today())
    return Response(
        table.csv(),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{key}-{local_today().isoformat()}.csv"'
        },
    )
