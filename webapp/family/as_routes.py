"""Acting for a member in the browser (the ``act`` scope): mark their duties done, snooze
them, fill their profile and manage their reminder settings from the acting-as view.

Every form is a plain CSRF-protected POST (no script needed). Each action is checked
against a valid mandate on the request, and recorded in the member's access log with both
names before it is committed; the member's /family page lists what was done for them
("由 李明 代为标记完成").
"""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from webapp import duties, people, reminders
from webapp.accounts.models import Account
from webapp.core.db import db
from webapp.core.forms import form_to_dict, service_error_dict, validate
from webapp.core.i18n import localized
from webapp.core.service_errors import NotFound, ServiceError
from webapp.core.view_helpers import signed_in_account
from webapp.duties.models import Duty
from webapp.family import links, mandates
from webapp.family.models import Mandate
from webapp.family.routes import bp, login_required
from webapp.people.models import CitizenProfile

OPEN = ("open", "snoozed")
SETTINGS_FIELDS = ("quiet_start", "quiet_end", "digest", "weekly_email_budget")


def _acting(account_id: int, scope: str = "act") -> tuple[Mandate, Account]:
    """The mandate and the member, or 404 (no mandate, expired, revoked or narrower)."""
    me = signed_in_account()
    mandate = mandates.active(db.session, me.id, account_id, scope)
    subject = db.session.get(Account, account_id) if mandate else None
    if subject is None:
        abort(404)
    return mandate, subject


def open_duties(subject_id: int, limit: int = 30) -> list[Duty]:
    """The member's own open or snoozed duties, soonest first (for the act forms)."""
    return list(
        db.session.scalars(
            select(Duty)
            .where(
                Duty.owner_account_id == subject_id,
                Duty.subject_kind == "self",
                Duty.status.in_(OPEN),
            )
            .order_by(Duty.due_date, Duty.id)
            .limit(limit)
        )
    )


def _banner(subject: Account) -> dict:
    return {
        "subject_id": subject.id,
        "subject_name": links.person_name(db.session, subject.id),
        "actor_name": links.person_name(db.session, signed_in_account().id),
    }


@bp.route("/as/<int:account_id>/duties/<int:duty_id>/done", methods=["POST"])
@login_required
def as_done(account_id: int, duty_id: int):
    mandate, subject = _acting(account_id)
    try:
        duty = duties.mark_done(db.session, subject, duty_id)
    except NotFound:
        abort(404)
    mandates.record_use(db.session, mandate, "family_done", localized(duty.title, "zh_Hans"))
    db.session.commit()
    flash(_("Marked as done for %(name)s.", name=links.person_name(db.session, subject.id)))
    return redirect(url_for("family.act_as", account_id=account_id) + "#act")


@bp.route("/as/<int:account_id>/duties/<int:duty_id>/snooze", methods=["POST"])
@login_required
def as_snooze(account_id: int, duty_id: int):
    mandate, subject = _acting(account_id)
    try:
        until = date.fromisoformat(request.form.get("until", "").strip())
        duty = duties.snooze(db.session, subject, duty_id, until)
    except NotFound:
        abort(404)
    except ValueError:
        flash(_("Enter a date as YYYY-MM-DD."), "error")
        return redirect(url_for("family.act_as", account_id=account_id) + "#act")
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("family.act_as", account_id=account_id) + "#act")
    detail = f"{localized(duty.title, 'zh_Hans')} → {until.isoformat()}"
    mandates.record_use(db.session, mandate, "family_snooze", detail)
    db.session.commit()
    flash(_("Snoozed until %(date)s.", date=until.isoformat()))
    return redirect(url_for("family.act_as", account_id=account_id) + "#act")


@bp.route("/as/<int:account_id>/profile", methods=["GET", "POST"])
@login_required
def as_profile(account_id: int):
    mandate, subject = _acting(account_id)
    errors: dict[str, str] = {}
    if request.method == "POST":
        data = form_to_dict(request.form, people.PROFILE_FIELDS, people.PROFILE_NESTED)
        parsed, errors = validate(people.ProfileIn, data)
        if parsed is not None:
            try:
                people.replace_profile(db.session, subject, parsed)
            except ServiceError as exc:
                db.session.rollback()
                errors = service_error_dict(exc)
            else:
                mandates.record_use(db.session, mandate, "family_profile", request.path)
                db.session.commit()
                flash(_("The profile is saved."))
                return redirect(url_for("family.act_as", account_id=account_id))
        values = request.form
    else:
        values = people.flatten_profile(
            people.profile_dict(db.session.get(CitizenProfile, subject.id))
        )
    return (
        render_template("family/as_profile.html", values=values, errors=errors, **_banner(subject)),
        422 if errors else 200,
    )


@bp.route("/as/<int:account_id>/notification-settings", methods=["GET", "POST"])
@login_required
def as_settings(account_id: int):
    mandate, subject = _acting(account_id)
    errors: dict[str, str] = {}
    current = reminders.settings_dict(db.session, subject.id)
    if request.method == "POST":
        data = {k: request.form.get(k, "").strip() for k in SETTINGS_FIELDS}
        data = {k: v for k, v in data.items() if v != ""}
        data["email_enabled"] = request.form.get("email_enabled") == "on"
        data["muted_rules"] = request.form.getlist("muted_rules")
        parsed, errors = validate(reminders.NotificationSettingsIn, data)
        if parsed is not None and parsed.email_enabled and not current["email_enabled"]:
            # E-mail reminders need the member's own consent (《个人信息保护法》第十四条).
            errors = {
                "email_enabled": _(
                    "Only the member can turn on e-mail reminders: it records their consent."
                )
            }
        elif parsed is not None:
            reminders.update_settings(db.session, subject.id, parsed)
            mandates.record_use(db.session, mandate, "family_settings", request.path)
            db.session.commit()
            flash(_("The reminder settings are saved."))
            return redirect(url_for("family.act_as", account_id=account_id))
        values = dict(request.form)
        values["email_enabled"] = data["email_enabled"]
        values["muted_rules"] = data["muted_rules"]
    else:
        values = current
    return (
        render_template(
            "family/as_settings.html",
            values=values,
            errors=errors,
            rules=reminders.rule_options(),
            **_banner(subject),
        ),
        422 if errors else 200,
    )
