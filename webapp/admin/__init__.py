"""The admin console (/admin): rules with a sandbox, catalog, life-cycle parameters, models,
dashboards, audit log and citizen look-up. Admins only: anonymous visitors are sent to log
in, everyone else gets 403."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from webapp.core.extensions import login_manager
from webapp.core.navigation import register_nav

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def _admins_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.role != "admin":
        abort(403)
    return None


@bp.after_request
def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.app_template_global("term")
def _term(value):
    from webapp.admin.labels import term

    return term(value)


@bp.app_template_global("cell")
def _cell(value):
    from webapp.admin.labels import cell

    return cell(value)


@bp.app_template_global("model_note")
def _model_note(note):
    from webapp.admin.labels import model_note

    return model_note(note)


register_nav("admin.index", lambda: str(_l("Admin console")), order=90, roles=("admin",))

from webapp.admin import (  # noqa: E402,F401
    audit_views,
    catalog_views,
    citizens_views,
    dashboards_views,
    deliveries_views,
    eligibility_views,
    enterprise_claims_views,
    holidays_views,
    models_views,
    params_views,
    rules_views,
)
