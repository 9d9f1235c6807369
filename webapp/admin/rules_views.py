"""Recommendation rules: drafts, blend parameters, publish, diff, roll back, sandbox."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _

from webapp.admin import bp, rules_admin, sandbox
from webapp.admin.common import actor_id, checked, me, run, save, split_codes
from webapp.admin.schemas import BlendParamsIn, RuleIn
from webapp.core.clock import local_today
from webapp.core.db import db
from webapp.core.service_errors import ServiceError
from webapp.enterprise import INDUSTRIES

LIFE_EVENTS = (
    "birth", "education", "work", "marriage", "childbirth", "housing", "travel", "healthcare",
    "retirement", "death", "establishment", "licensing", "operation", "change", "investment",
    "deregistration",
)  # fmt: skip
EMPLOYMENT = ("employed", "self_employed", "unemployed", "retired", "student")
SIZES = ("micro", "small", "medium", "large")
SCALAR_SEGMENT = (
    "audience",
    "age_min",
    "age_max",
    "gender",
    "region_prefix",
    "child_age_min",
    "child_age_max",
)


def rule_form_data(form) -> dict:
    """The rule form as the API's rule shape (empty fields left out)."""
    data: dict = {"name": form.get("name", "").strip(), "enabled": checked(form, "enabled")}
    for key in ("action", "weight", "position", "priority", "valid_from", "valid_to"):
        value = form.get(key, "").strip()
        if value:
            data[key] = value
    data["targets"] = {
        "services": split_codes(form.get("targets.services")),
        "themes": split_codes(form.get("targets.themes")),
        "departments": split_codes(form.get("targets.departments")),
        "life_events": form.getlist("targets.life_events"),
    }
    segment: dict = {}
    for key in SCALAR_SEGMENT:
        value = form.get(f"segment.{key}", "").strip()
        if value:
            segment[key] = value
    for key in ("life_stages", "employment", "industries", "sizes"):
        values = form.getlist(f"segment.{key}")
        if values:
            segment[key] = values
    data["segment"] = segment
    return data


def rule_form_values(rule: dict) -> dict:
    """A stored rule as form values (lists of codes as comma-separated text)."""
    values = {
        k: ("" if rule.get(k) is None else str(rule.get(k)))
        for k in ("name", "action", "weight", "position", "priority", "valid_from", "valid_to")
    }  # noqa: E501
    values["enabled"] = "on" if rule.get("enabled", True) else ""
    t, s = rule.get("targets") or {}, rule.get("segment") or {}
    for key in ("services", "themes", "departments"):
        values[f"targets.{key}"] = ", ".join(t.get(key, []))
    values["lists"] = {
        "targets.life_events": list(t.get("life_events", [])),
        "segment.life_stages": list(s.get("life_stages", [])),
        "segment.employment": list(s.get("employment", [])),
        "segment.industries": list(s.get("industries", [])),
        "segment.sizes": list(s.get("sizes", [])),
    }
    for key in SCALAR_SEGMENT:
        values[f"segment.{key}"] = "" if s.get(key) is None else str(s.get(key))
    return values


def _form_values(form) -> dict:
    values = {k: form.get(k, "") for k in form}
    values["enabled"] = "on" if checked(form, "enabled") else ""
    values["lists"] = {
        k: form.getlist(k)
        for k in (
            "targets.life_events",
            "segment.life_stages",
            "segment.employment",
            "segment.industries",
            "segment.sizes",
        )  # noqa: E501
    }
    return values


def _choices() -> dict:
    return {
        "life_events": LIFE_EVENTS,
        "employment": EMPLOYMENT,
        "sizes": SIZES,
        "industries": INDUSTRIES,
    }


@bp.route("/")
def index():
    return render_template("admin/index.html")


@bp.route("/rules")
def rules():
    session = db.session
    versions = rules_admin.versions(session)
    return render_template(
        "admin/rules.html",
        drafts=[rules_admin.rule_dict(r) for r in rules_admin.list_drafts(session)],
        params=rules_admin.draft_params(session),
        versions=versions,
        current=rules_admin.current_version(session),
        pending=rules_admin.pending_changes(session),
        errors={},
    )


@bp.route("/rules/new", methods=["GET", "POST"])
def rule_new():
    errors: dict = {}
    values: dict = {
        "enabled": "on",
        "action": "boost",
        "weight": "1.0",
        "priority": "0",
        "lists": {},
    }
    if request.method == "POST":
        values = _form_values(request.form)
        row, errors = save(
            RuleIn,
            rule_form_data(request.form),
            lambda parsed: rules_admin.create_draft(db.session, actor_id(), parsed),
            _("The draft rule is saved. Preview it in the sandbox, then publish."),
        )
        if row is not None:
            return redirect(url_for("admin.rules"))
    return render_template(
        "admin/rule_form.html", rule=None, values=values, errors=errors, **_choices()
    ), (422 if errors else 200)


@bp.route("/rules/<int:rule_id>", methods=["GET", "POST"])
def rule_edit(rule_id: int):
    row = rules_admin.get_draft(db.session, rule_id)
    errors: dict = {}
    if request.method == "POST":
        values = _form_values(request.form)
        saved, errors = save(
            RuleIn,
            rule_form_data(request.form),
            lambda parsed: rules_admin.update_draft(db.session, actor_id(), rule_id, parsed),
            _("The draft rule is saved."),
        )
        if saved is not None:
            return redirect(url_for("admin.rules"))
    else:
        values = rule_form_values(rules_admin.rule_dict(row))
    return render_template(
        "admin/rule_form.html", rule=row, values=values, errors=errors, **_choices()
    ), (422 if errors else 200)


@bp.route("/rules/<int:rule_id>/toggle", methods=["POST"])
def rule_toggle(rule_id: int):
    enable = request.form.get("enabled") == "1"
    run(
        lambda: rules_admin.set_enabled(db.session, actor_id(), rule_id, enable),
        _("The rule is enabled.") if enable else _("The rule is disabled."),
    )
    return redirect(url_for("admin.rules"))


@bp.route("/rules/<int:rule_id>/delete", methods=["POST"])
def rule_delete(rule_id: int):
    run(
        lambda: rules_admin.delete_draft(db.session, actor_id(), rule_id),
        _("The draft rule is deleted."),
    )
    return redirect(url_for("admin.rules"))


@bp.route("/rules/params", methods=["POST"])
def rule_params():
    data = {k: request.form.get(k, "").strip() for k in rules_admin.BLEND_FIELDS}
    data = {k: v for k, v in data.items() if v != ""}
    _saved, errors = save(
        BlendParamsIn,
        data,
        lambda parsed: rules_admin.set_params(db.session, actor_id(), parsed),
        _("The draft blend parameters are saved; publish to apply them."),
    )
    if errors:
        session = db.session
        return render_template(
            "admin/rules.html",
            drafts=[rules_admin.rule_dict(r) for r in rules_admin.list_drafts(session)],
            params={**rules_admin.draft_params(session), **data},
            versions=rules_admin.versions(session),
            current=rules_admin.current_version(session),
            pending=rules_admin.pending_changes(session),
            errors=errors,
        ), 422
    return redirect(url_for("admin.rules"))


@bp.route("/rules/publish", methods=["POST"])
def rules_publish():
    note = request.form.get("note", "").strip()[:500] or None
    row, _err = run(
        lambda: rules_admin.publish(db.session, actor_id(), note), _("Published as a new version.")
    )
    return redirect(url_for("admin.rules"))


@bp.route("/rules/rollback", methods=["POST"])
def rules_rollback():
    try:
        version = int(request.form.get("version", ""))
    except ValueError:
        version = 0
    run(
        lambda: rules_admin.rollback(db.session, actor_id(), version),
        _("Version %(v)s is current again; the drafts are restored from it.", v=version),
    )
    return redirect(url_for("admin.rules"))


@bp.route("/rules/diff")
def rules_diff():
    session = db.session
    versions = rules_admin.versions(session)
    a, b = request.args.get("a", type=int), request.args.get("b", type=int)
    result = error = None
    if a and b:
        try:
            result = rules_admin.diff(session, a, b)
        except ServiceError as exc:
            error = exc.message
    return render_template(
        "admin/diff.html", versions=versions, a=a, b=b, diff=result, error=error
    ), (404 if error else 200)


@bp.route("/rules/sandbox", methods=["GET", "POST"])
def rules_sandbox():
    session = db.session
    errors: dict = {}
    result = None
    values = {"sample_size": "5", "email": "", "purpose": ""}
    if request.method == "POST":
        values = {
            "sample_size": request.form.get("sample_size", "5"),
            "email": request.form.get("email", "").strip(),
            "purpose": request.form.get("purpose", "")[:500],
        }
        try:
            size = int(values["sample_size"] or 0)
            if not 0 <= size <= 50:
                raise ValueError
        except ValueError:
            errors["sample_size"] = _("Enter a whole number from 0 to 50.")
            size = 0
        account = None
        who = values["email"]
        if who and not errors:
            try:
                from webapp.admin import citizen_lookup

                citizen_lookup.require_purpose(values["purpose"])
            except ServiceError as exc:
                errors["purpose"] = exc.message
        if who and not errors:
            try:
                if who.isdigit():
                    account = sandbox.find_account(session, user_id=int(who))
                else:
                    account = sandbox.find_account(session, email=who)
            except ServiceError:
                errors["email"] = _("No user with this e-mail address or id.")
        if not errors:
            drafts = rules_admin.to_rules(
                [rules_admin.rule_dict(r) for r in rules_admin.list_drafts(session)]
            )
            params = rules_admin.blend_params_of(rules_admin.draft_params(session))
            result = sandbox.preview(session, drafts, params, local_today(), account, size)
            _log_preview(session, account, result, values["purpose"])
    return render_template(
        "admin/sandbox.html", result=result, values=values, errors=errors,
        pending=rules_admin.pending_changes(session),
    ), (422 if errors else 200)  # fmt: skip


def _log_preview(session, account, result, purpose: str) -> None:
    """Record in the citizens' access logs whose recommendations the preview showed."""
    from webapp.admin import citizen_lookup

    admin = me()
    if account is not None:
        citizen_lookup.log_preview(session, admin, account, purpose.strip())
    sampled = [s.user_id for s in result.samples if account is None or s.user_id != account.id]
    if sampled:
        citizen_lookup.log_preview_samples(session, admin, sampled)
    session.commit()
