"""Citizen look-up: search by e-mail; reading data needs a purpose and is logged."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _

from webapp.admin import bp, citizen_lookup
from webapp.admin.common import me
from webapp.core.db import db
from webapp.core.service_errors import ServiceError


@bp.route("/citizens")
def citizens():
    email = request.args.get("email", "").strip()
    found = citizen_lookup.search(db.session, email) if email else []
    return render_template("admin/citizens.html", email=email, found=found)


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
    options = [("profile", _("Profile")), ("household", _("Household")), ("duties", _("Duties"))]
    return render_template(
        "admin/citizen.html",
        account=account,
        data=data,
        values=values,
        errors=errors,
        options=options,
    ), (422 if errors else 200)
