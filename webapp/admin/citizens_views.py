"""Citizen look-up: search by e-mail; reading data needs a purpose and is logged."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _

from webapp.admin import bp, citizen_lookup
from webapp.admin.common import me
from webapp.core.db import db
from webapp.core.service_errors import ServiceError


@bp.route("/citizens", methods=["GET", "POST"])
def citizens():
    """Search by e-mail address: a POST with a purpose (a hit is logged for the citizen)."""
    email = request.form.get("email", "").strip()[:254]
    purpose = request.form.get("purpose", "")[:500]
    found: list = []
    errors: dict = {}
    searched = request.method == "POST"
    if searched:
        try:
            found = citizen_lookup.search(db.session, me(), email, purpose)
            db.session.commit()
        except ServiceError as exc:
            db.session.rollback()
            errors = {exc.field or "__root__": exc.message}
    values = {"email": email, "purpose": purpose}
    return render_template(
        "admin/citizens.html",
        values=values,
        searched=searched and not errors,
        found=found,
        errors=errors,
    ), (422 if errors else 200)


@bp.route("/citizens/<int:account_id>", methods=["GET", "POST"])
def citizen(account_id: int):
    session = db.session
    account = citizen_lookup.get_citizen(session, account_id)
    errors: dict = {}
    data = None
    values = {
        "what": request.form.get("what", "profile"),
        "purpose": request.form.get("purpose", ""),
    }
    if request.method == "POST":
        try:
            data = citizen_lookup.view(session, me(), account_id, values["what"], values["purpose"])
            session.commit()
        except ServiceError as exc:
            session.rollback()
            errors = {exc.field or "__root__": exc.message}
    options = [
        ("account", _("Account (e-mail address, name, language)")),
        ("profile", _("Profile")),
        ("household", _("Household")),
        ("duties", _("Duties")),
    ]
    return render_template(
        "admin/citizen.html",
        account=account,
        data=data,
        values=values,
        errors=errors,
        options=options,
    ), (422 if errors else 200)
