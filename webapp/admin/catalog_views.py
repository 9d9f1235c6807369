"""Catalog editing: services, departments, life events, bundles; import and export."""

from __future__ import annotations

from flask import Response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from webapp.admin import bp, catalog_admin, catalog_io
from webapp.admin.common import actor_id, checked, split_codes, split_lines
from webapp.admin.rules_views import LIFE_EVENTS
from webapp.admin.schemas import (
    BundleIn,
    DepartmentIn,
    NamedIn,
    ServiceCreateIn,
    ServiceEditIn,
)
from webapp.core.clock import local_today
from webapp.core.db import db
from webapp.core.forms import commit, service_error_dict
from webapp.core.service_errors import ServiceError

TEXT_FIELDS = [
    f"{p}_{loc}"
    for p in ("name", "description", "office", "fee")
    for loc in ("zh_Hans", "zh_Hant", "en")
]
SERVICE_SCALARS = [
    "department",
    "audience",
    "online_level",
    "statutory_days",
    "promised_days",
    "legal_basis",
    "url",
    "channel",
    "apply_url",
]


def _service_data(form, with_code: bool = False) -> dict:
    data = {
        k: form.get(k, "").strip()
        for k in TEXT_FIELDS + SERVICE_SCALARS + (["code"] if with_code else [])
    }
    data = {k: v for k, v in data.items() if v != ""}
    data["life_events"] = form.getlist("life_events")
    for locale in ("zh_Hans", "zh_Hant", "en"):
        data[f"aliases_{locale}"] = split_lines(form.get(f"aliases_{locale}"))
    data["themes"] = split_codes(form.get("themes"))
    data["materials"] = split_codes(form.get("materials"))
    data["active"] = checked(form, "active")
    return data


def _service_values(form) -> dict:
    values = {k: form.get(k, "") for k in form}
    values["life_events"] = form.getlist("life_events")
    values["active"] = "on" if checked(form, "active") else ""
    return values


@bp.route("/catalog")
def catalog():
    session = db.session
    q = request.args.get("q", "").strip()
    return render_template(
        "admin/catalog.html",
        q=q,
        services=catalog_admin.list_services(session, q or None),
        departments=catalog_admin.list_departments(session),
        life_events=catalog_admin.list_life_events(session),
        bundles=catalog_admin.list_bundles(session),
        errors={},
    )


def _service_form(service, values, errors, status=200):
    return render_template(
        "admin/service_form.html",
        service=service,
        values=values,
        errors=errors,
        departments=catalog_admin.list_departments(db.session),
        life_events=LIFE_EVENTS,
    ), status


@bp.route("/catalog/services/new", methods=["GET", "POST"])
def catalog_service_new():
    if request.method == "POST":
        row, errors = commit(
            lambda parsed: catalog_admin.create_service(db.session, actor_id(), parsed),
            _("The service is created."),
            schema=ServiceCreateIn,
            data=_service_data(request.form, with_code=True),
        )
        if row is not None:
            return redirect(url_for("admin.catalog_service", code=row.code))
        return _service_form(None, _service_values(request.form), errors, 422)
    return _service_form(
        None, {"active": "on", "online_level": "3", "audience": "citizen", "life_events": []}, {}
    )


@bp.route("/catalog/services/<code>", methods=["GET", "POST"])
def catalog_service(code: str):
    service = catalog_admin.get_service(db.session, code)
    if request.method == "POST":
        row, errors = commit(
            lambda parsed: catalog_admin.update_service(db.session, actor_id(), code, parsed),
            _("The service is saved."),
            schema=ServiceEditIn,
            data=_service_data(request.form),
        )
        if row is not None:
            return redirect(url_for("admin.catalog_service", code=code))
        return _service_form(service, _service_values(request.form), errors, 422)
    return _service_form(service, catalog_admin.service_form_values(service), {})


@bp.route("/catalog/departments", methods=["POST"])
def catalog_department():
    data = {
        k: request.form.get(f"department.{k}", "").strip()
        for k in ["code", "name_zh_Hans", "name_zh_Hant", "name_en"]
    }
    _row, errors = commit(
        lambda parsed: catalog_admin.save_department(db.session, actor_id(), parsed),
        _("The department is saved."),
        schema=DepartmentIn,
        data={k: v for k, v in data.items() if v},
    )
    if errors:
        return _catalog_with_errors({f"department.{k}": v for k, v in errors.items()})
    return redirect(url_for("admin.catalog") + "#departments")


def _catalog_with_errors(errors: dict):
    session = db.session
    return render_template(
        "admin/catalog.html",
        q="",
        services=catalog_admin.list_services(session),
        departments=catalog_admin.list_departments(session),
        life_events=catalog_admin.list_life_events(session),
        bundles=catalog_admin.list_bundles(session),
        errors=errors,
    ), 422


def _named_values(row) -> dict:
    values = {
        **catalog_admin.text_fields("name", row.name),
        **catalog_admin.text_fields("description", row.description),
    }
    return values


@bp.route("/catalog/life-events/<key>", methods=["GET", "POST"])
def catalog_life_event(key: str):
    session = db.session
    row = next((e for e in catalog_admin.list_life_events(session) if e.key == key), None)
    if row is None:
        from flask import abort

        abort(404)
    errors: dict = {}
    values = _named_values(row)
    if request.method == "POST":
        data = {k: request.form.get(k, "").strip() for k in TEXT_FIELDS}
        values = data
        saved, errors = commit(
            lambda parsed: catalog_admin.save_life_event(session, actor_id(), key, parsed),
            _("The life event is saved."),
            schema=NamedIn,
            data={k: v for k, v in data.items() if v},
        )
        if saved is not None:
            return redirect(url_for("admin.catalog") + "#life-events")
    return render_template(
        "admin/named_form.html", title=key, values=values, errors=errors, bundle=None
    ), (422 if errors else 200)


@bp.route("/catalog/bundles/<code>", methods=["GET", "POST"])
def catalog_bundle(code: str):
    session = db.session
    row = catalog_admin.get_bundle(session, code)
    errors: dict = {}
    values = _named_values(row)
    d = catalog_admin.bundle_dict(row)
    values.update({"life_event": d["life_event"] or "", "services": ", ".join(d["services"])})
    if request.method == "POST":
        data = {k: request.form.get(k, "").strip() for k in TEXT_FIELDS + ["life_event"]}
        values = {**data, "services": request.form.get("services", "")}
        data = {k: v for k, v in data.items() if v}
        data["services"] = split_codes(request.form.get("services"))
        saved, errors = commit(
            lambda parsed: catalog_admin.save_bundle(session, actor_id(), code, parsed),
            _("The bundle is saved."),
            schema=BundleIn,
            data=data,
        )
        if saved is not None:
            return redirect(url_for("admin.catalog") + "#bundles")
    return render_template(
        "admin/named_form.html",
        title=code,
        values=values,
        errors=errors,
        bundle=row,
        life_events=LIFE_EVENTS,
    ), (422 if errors else 200)


@bp.route("/catalog/export.zip")
def catalog_export():
    data = catalog_io.export_zip(db.session)
    return Response(
        data,
        mimetype="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="catalog-{local_today().isoformat()}.zip"'
        },
    )


@bp.route("/catalog/import", methods=["POST"])
def catalog_import():
    session = db.session
    upload = request.files.get("import.file")
    path = request.form.get("import.path", "").strip()
    try:
        if upload is not None and upload.filename:
            report = catalog_io.import_zip(
                session, actor_id(), upload.read(catalog_io.MAX_ZIP_BYTES + 1), upload.filename
            )
        elif path:
            report = catalog_io.import_directory(session, actor_id(), path)
        else:
            raise ServiceError(
                "missing", _("Choose a .zip file or enter a directory path."), "file"
            )
        session.commit()
    except ServiceError as exc:
        session.rollback()
        errs = service_error_dict(exc)
        return _catalog_with_errors(
            {f"import.{k}" if k != "__root__" else k: v for k, v in errs.items()}
        )
    from flask import flash

    flash(
        _(
            "Catalog imported: %(s)s services, %(d)s departments, %(b)s bundles.",
            s=report["services"],
            d=report["departments"],
            b=report["bundles"],
        )
    )
    return redirect(url_for("admin.catalog"))
