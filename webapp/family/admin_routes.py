"""The admin form for a mandate given in person at a service counter (/family/admin/mandates).

The parent is a citizen account (its id), or a person without an account named by name +
e-mail, or the holder's household entry for them; the evidence seen and the purpose are
required and an audit entry is written (``in_person.record``)."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.core.db import db
from webapp.core.service_errors import ServiceError
from webapp.core.view_helpers import signed_in_account
from webapp.family import in_person
from webapp.family.models import SCOPES
from webapp.family.routes import SCOPE_LABELS, bp, login_required


def _int(name: str) -> int | None:
    raw = request.form.get(name, "").strip()
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise ServiceError("invalid", _("Enter a number."), name) from None
    if not 1 <= value <= 2**31 - 1:
        raise ServiceError("invalid", _("Enter a number."), name)
    return value


def _date(name: str) -> date | None:
    raw = request.form.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ServiceError("invalid_date", _("Enter a date as YYYY-MM-DD."), name) from None


@bp.route("/admin/mandates", methods=["GET", "POST"])
@login_required
def admin_mandate():
    if current_user.role != "admin":
        abort(403)
    error = None
    if request.method == "POST":
        try:
            grantee = _int("grantee")
            if grantee is None:
                raise ServiceError("invalid", _("Enter the account of the family member."))
            row = in_person.record(
                db.session,
                signed_in_account(),
                in_person.Grantor(
                    _int("grantor_account"),
                    request.form.get("grantor_name", "")[:120] or None,
                    request.form.get("grantor_email", "")[:254] or None,
                    _int("grantor_member"),
                ),
                grantee,
                request.form.getlist("scopes"),
                request.form.get("evidence", "")[:500],
                request.form.get("purpose", "")[:500],
                _date("valid_until"),
                request.form.get("elder_mode", "1") == "1",
            )
        except ServiceError as exc:
            db.session.rollback()
            error = exc.message
        else:
            db.session.commit()
            flash(_("The mandate given in person is recorded (no. %(id)s).", id=row.id))
            return redirect(url_for("family.admin_mandate"))
    return (
        render_template(
            "family/admin_mandate.html",
            error=error,
            values=request.form,
            scopes=SCOPES,
            SCOPE_LABELS=SCOPE_LABELS,
        ),
        422 if error else 200,
    )
