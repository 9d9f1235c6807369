"""Admin pages: a service's eligibility conditions (edit with preview) and the local
高龄津贴 table."""

from __future__ import annotations

import yaml
from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _

from webapp.admin import bp, eligibility_admin
from webapp.admin.common import actor_id, run
from webapp.core.clock import local_today
from webapp.core.db import db
from webapp.core.service_errors import ServiceError


def _dump(value: dict) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=100)


@bp.route("/catalog/services/<code>/eligibility", methods=["GET", "POST"])
def service_eligibility(code: str):
    session = db.session
    service = eligibility_admin._service(session, code)
    text = request.form.get("eligibility") if request.method == "POST" else None
    text = text if text is not None else _dump(service.eligibility or {})
    preview, error = None, None
    if request.method == "POST":
        if request.form.get("action") == "save":
            _row, error = run(
                lambda: eligibility_admin.save(session, actor_id(), code, text),
                _("The conditions are saved."),
            )
            if error is None:
                return redirect(url_for("admin.service_eligibility", code=code))
        else:
            try:
                preview = eligibility_admin.preview(session, code, text, local_today())
            except ServiceError as exc:
                error = exc.message
    status = 422 if error else 200
    return render_template(
        "admin/eligibility_form.html", service=service, text=text, preview=preview, error=error
    ), status


@bp.route("/entitlements/elderly-allowance", methods=["GET", "POST"])
def elderly_allowance():
    session = db.session
    error = None
    text = request.form.get("table") if request.method == "POST" else None
    if text is not None:
        _row, error = run(
            lambda: eligibility_admin.save_elderly_table(session, actor_id(), text),
            _("The old-age allowance table is saved."),
        )
        if error is None:
            return redirect(url_for("admin.elderly_allowance"))
    text = text if text is not None else _dump(eligibility_admin.elderly_table(session))
    return render_template("admin/elderly_allowance.html", text=text, error=error), (
        422 if error else 200
    )
