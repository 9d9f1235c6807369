"""Pages: what you can claim (您可以享受), and the short optional questionnaire of facts."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lifecycle.eligibility.facts import FACTS
from webapp.core.clock import local_today
from webapp.core.db import db
from webapp.core.navigation import register_nav
from webapp.core.service_errors import ServiceError
from webapp.entitlements import facts as fact_store
from webapp.entitlements import queries, words
from webapp.entitlements.present import amount_text

bp = Blueprint("entitlements", __name__, template_folder="templates")

register_nav("entitlements.mine", lambda: _("What you can claim"), order=35, roles=("citizen",))


def _me():
    return db.session.merge(current_user._get_current_object())


def _form_value(key: str):
    info = FACTS[key]
    raw = request.form.get("value", "")
    if info.kind == "bool":
        if raw not in ("true", "false"):
            raise ServiceError("invalid_fact", _("Choose yes or no."), field=key)
        return raw == "true"
    if info.kind == "int":
        if not raw.strip().isdigit():
            raise ServiceError("invalid_fact", _("Enter a whole number."), field=key)
        return int(raw.strip())
    if info.kind == "set":
        return request.form.getlist("value")
    return raw


def _names(view) -> dict[str, str]:
    if view.household is None:
        return {}
    return {p.key: p.name for p in view.household.people}


@bp.route("/entitlements")
@login_required
def mine():
    view = queries.account_view(db.session, _me(), local_today())
    return render_template(
        "entitlements/page.html",
        view=view,
        words=words,
        amount_text=amount_text,
        names=_names(view),
    )


@bp.route("/entitlements/facts", methods=["GET", "POST"])
@login_required
def questionnaire():
    account = _me()
    today = local_today()
    if request.method == "POST":
        key = request.form.get("key", "")
        try:
            subject = queries.owned_subject(db.session, account, request.form.get("subject", ""))
            if key not in fact_store.PERSON_FACTS:
                abort(400)
            if request.form.get("action") == "clear":
                queries.clear_fact(db.session, subject, key)
                flash(_("Cleared: %(fact)s.", fact=words.fact(key)))
            else:
                queries.save_fact(db.session, account, subject, key, _form_value(key), today)
                flash(_("Saved: %(fact)s.", fact=words.fact(key)))
            db.session.commit()
        except ServiceError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        return redirect(url_for("entitlements.questionnaire"))
    view = queries.account_view(db.session, account, today)
    asked = queries.asked_facts(db.session, account, view, today)
    focus = request.args.get("fact")
    if focus in fact_store.PERSON_FACTS and (f"self:{account.id}", focus) not in asked:
        asked.insert(0, (f"self:{account.id}", focus))
    return render_template(
        "entitlements/facts.html",
        view=view,
        asked=asked,
        stored=[f for per in view.facts.values() for f in per.values()],
        names=_names(view),
        facts=FACTS,
        words=words,
    )


@bp.route("/enterprises/<credit_code>/entitlements", methods=["GET", "POST"])
@login_required
def enterprise(credit_code: str):
    account = _me()
    today = local_today()
    if request.method == "POST":
        key = request.form.get("key", "")
        try:
            subject = queries.enterprise_key(db.session, account, credit_code)
            if key not in fact_store.ENTERPRISE_FACTS:
                abort(400)
            if request.form.get("action") == "clear":
                queries.clear_fact(db.session, subject, key)
            else:
                queries.save_fact(db.session, account, subject, key, _form_value(key), today)
            flash(_("Saved: %(fact)s.", fact=words.fact(key)))
            db.session.commit()
        except ServiceError as exc:
            db.session.rollback()
            if exc.status == 404:
                abort(404)
            flash(exc.message, "error")
        return redirect(url_for("entitlements.enterprise", credit_code=credit_code))
    try:
        view = queries.enterprise_view(db.session, account, credit_code, today)
    except ServiceError:
        abort(404)
    return render_template(
        "entitlements/enterprise.html",
        view=view,
        credit_code=credit_code,
        facts=FACTS,
        ask=fact_store.ENTERPRISE_FACTS,
        words=words,
        amount_text=amount_text,
    )
