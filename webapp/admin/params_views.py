"""Life-cycle parameters: reminder lead times, local windows, tax deadlines, sync now."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from lifecycle.rules import RULES
from webapp.admin import bp, params_admin
from webapp.admin.common import actor_id, checked, run, save
from webapp.admin.schemas import LocalWindowIn, TaxOverrideIn
from webapp.core.clock import local_today
from webapp.core.db import db
from webapp.core.forms import form_to_dict


def _page(errors: dict | None = None, values: dict | None = None, status: int = 200):
    session = db.session
    return render_template(
        "admin/parameters.html",
        leads=params_admin.lead_rows(session),
        windows=params_admin.window_rows(session),
        default_windows=params_admin.default_windows(),
        taxes=params_admin.tax_rows(session),
        errors=errors or {},
        values=values or {},
    ), status


@bp.route("/parameters")
def parameters():
    return _page()


@bp.route("/parameters/leads/<rule>", methods=["POST"])
def parameters_leads(rule: str):
    if rule not in RULES:
        abort(404)
    text = request.form.get("leads", "")[:200]
    enabled = checked(request.form, "enabled")
    _r, err = run(
        lambda: params_admin.set_leads(db.session, actor_id(), rule, text, enabled),
        _("Lead times for %(rule)s are saved; the next reminder sweep uses them.", rule=rule),
    )
    if err:
        return _page({f"leads-{rule}": err}, status=422)
    return redirect(url_for("admin.parameters") + "#leads")


@bp.route("/parameters/leads/<rule>/reset", methods=["POST"])
def parameters_leads_reset(rule: str):
    run(
        lambda: params_admin.reset_leads(db.session, actor_id(), rule),
        _("Default lead times restored."),
    )
    return redirect(url_for("admin.parameters") + "#leads")


WINDOW_FIELDS = ["kind", "region_prefix", "start_month", "start_day", "end_month", "end_day"]


@bp.route("/parameters/windows", methods=["POST"])
def parameters_window():
    data = form_to_dict(request.form, WINDOW_FIELDS)
    saved, errors = save(
        LocalWindowIn,
        data,
        lambda parsed: params_admin.set_window(db.session, actor_id(), parsed),
        _("The window is saved; it applies at the next duty sync."),
    )
    if errors:
        return _page(
            {f"window.{k}": v for k, v in errors.items()},
            {f"window.{k}": v for k, v in data.items()},
            422,
        )
    return redirect(url_for("admin.parameters") + "#windows")


@bp.route("/parameters/windows/delete", methods=["POST"])
def parameters_window_delete():
    kind, prefix = request.form.get("kind", ""), request.form.get("region_prefix", "")
    run(
        lambda: params_admin.delete_window(db.session, actor_id(), kind, prefix),
        _("The window is removed."),
    )
    return redirect(url_for("admin.parameters") + "#windows")


@bp.route("/parameters/tax", methods=["POST"])
def parameters_tax():
    data = form_to_dict(request.form, ["year", "month", "due_date", "note"])
    saved, errors = save(
        TaxOverrideIn,
        data,
        lambda parsed: params_admin.set_tax(db.session, actor_id(), parsed),
        _("The published deadline is saved; it applies at the next duty sync."),
    )
    if errors:
        return _page(
            {f"tax.{k}": v for k, v in errors.items()},
            {f"tax.{k}": v for k, v in data.items()},
            422,
        )
    return redirect(url_for("admin.parameters") + "#tax")


@bp.route("/parameters/tax/delete", methods=["POST"])
def parameters_tax_delete():
    try:
        year, month = int(request.form.get("year", "")), int(request.form.get("month", ""))
    except ValueError:
        year = month = 0
    run(
        lambda: params_admin.delete_tax(db.session, actor_id(), year, month),
        _("The override is removed."),
    )
    return redirect(url_for("admin.parameters") + "#tax")


@bp.route("/parameters/sync", methods=["POST"])
def parameters_sync():
    run(
        lambda: params_admin.sync_now(db.session, actor_id(), local_today()),
        _("The duties are synchronised with the current parameters."),
    )
    return redirect(url_for("admin.parameters"))
