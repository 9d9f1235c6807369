"""The reviewer queue of enterprise claims: approve or reject, recording the evidence
checked and the purpose (an audit entry)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from webapp import enterprise
from webapp.admin import bp
from webapp.admin.common import me
from webapp.core.db import db
from webapp.core.service_errors import ServiceError


@bp.route("/enterprise-claims", methods=["GET", "POST"])
def enterprise_claims():
    errors: dict = {}
    values: dict = {}
    if request.method == "POST":
        values = request.form
        try:
            claim_id = int(request.form.get("claim_id", ""))
        except ValueError:
            claim_id = 0
        try:
            enterprise.decide(
                db.session,
                me(),
                claim_id,
                request.form.get("decision", ""),
                request.form.get("evidence", "")[:2000],
                request.form.get("purpose", "")[:500],
                request.form.get("role") or None,
            )
            db.session.commit()
        except ServiceError as exc:
            db.session.rollback()
            errors = {"claim_id": claim_id, (exc.field or "__root__"): exc.message}
        else:
            flash(_("The decision is recorded."))
            return redirect(url_for("admin.enterprise_claims"))
    return render_template(
        "admin/enterprise_claims.html",
        queue=enterprise.review_queue(db.session),
        errors=errors,
        values=values,
    ), (422 if errors else 200)
