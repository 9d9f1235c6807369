"""Inbox, notification settings, the calendar feed and the one-click unsubscribe link."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.core import clock
from webapp.core.db import db
from webapp.core.extensions import csrf
from webapp.core.forms import validate
from webapp.core.i18n import current_locale, localized
from webapp.core.navigation import register_nav, register_settings
from webapp.core.service_errors import ServiceError
from webapp.reminders import calendar, lead_choices, policy
from webapp.reminders.channels import email as email_channel
from webapp.reminders.channels import inbox
from webapp.reminders.schemas import NotificationSettingsIn

bp = Blueprint("inbox", __name__)

SETTINGS_FIELDS = ("quiet_start", "quiet_end", "digest", "weekly_email_budget")


def _unread_badge() -> int:
    return inbox.unread_count(db.session, current_user.id)


register_nav(
    "inbox.index", lambda: _("Inbox"), order=30, roles=("citizen", "business"), badge=_unread_badge
)
register_settings("inbox.settings", lambda: _("Reminders and calendar"), order=40)


def calendar_url(token: str) -> str:
    """The feed's address under PUBLIC_URL (never the request's Host header)."""
    return email_channel.public_url(url_for("inbox.calendar_feed", token=token))


@bp.route("/inbox")
@login_required
def index():
    rows = inbox.items(db.session, current_user.id)
    services = inbox.service_codes(db.session, [r.duty_id for r in rows if r.duty_id])
    locale = current_locale()
    entries = [
        {
            "id": r.id,
            "title": localized(r.title, locale),
            "body": localized(r.body, locale),
            "created_at": r.created_at,
            "read": r.read_at is not None,
            "service_code": services.get(r.duty_id),
            "duty_id": r.duty_id,
        }
        for r in rows
    ]
    unread = sum(1 for e in entries if not e["read"])
    return render_template("inbox/index.html", entries=entries, unread=unread)


@bp.post("/inbox/<int:item_id>/read")
@login_required
def mark_read(item_id: int):
    inbox.mark_read(db.session, current_user.id, item_id, clock.now())
    db.session.commit()
    return redirect(url_for("inbox.index"))


@bp.post("/inbox/read-all")
@login_required
def mark_all_read():
    inbox.mark_all_read(db.session, current_user.id, clock.now())
    db.session.commit()
    flash(_("All messages are marked as read."))
    return redirect(url_for("inbox.index"))


def _form_data(form) -> dict:
    data = {name: form.get(name, "").strip() for name in SETTINGS_FIELDS}
    data = {k: v for k, v in data.items() if v != ""}
    data["email_enabled"] = form.get("email_enabled") == "on"
    data["muted_rules"] = form.getlist("muted_rules")
    return data


def _rule_labels() -> dict[str, str]:
    """Rule key → the name of the service it leads to, in the current language."""
    from sqlalchemy import select

    from lifecycle.rules import RULES
    from webapp.catalog.models import Service

    codes = {key: info.service_code for key, info in RULES.items()}
    names = dict(
        db.session.execute(
            select(Service.code, Service.name).where(Service.code.in_(set(codes.values())))
        ).all()
    )
    # A rule whose service is not in the catalog is named by its own summary, never its key.
    return {
        key: localized(names.get(code)) or localized(RULES[key].summary) or key
        for key, code in codes.items()
    }


def _rule_options() -> list[tuple[str, str]]:
    return sorted(_rule_labels().items(), key=lambda item: item[0])


def _rule_label(key: str) -> str:
    return _rule_labels().get(key, key)


@bp.route("/settings/notifications", methods=["GET", "POST"])
@login_required
def settings():
    errors: dict[str, str] = {}
    account_id = current_user.id
    if request.method == "POST":
        data = _form_data(request.form)
        parsed, errors = validate(NotificationSettingsIn, data)
        if parsed is not None:
            policy.update_settings(db.session, account_id, parsed)
            db.session.commit()
            flash(_("Your reminder settings are saved."))
            return redirect(url_for("inbox.settings"))
        values = dict(request.form)
        values["email_enabled"] = data["email_enabled"]
        values["muted_rules"] = data["muted_rules"]
    else:
        values = policy.settings_dict(db.session, account_id)
    token = calendar.get_or_create_token(db.session, account_id)
    db.session.commit()
    return (
        render_template(
            "notifications/settings.html",
            values=values,
            errors=errors,
            rules=_rule_options(),
            calendar_url=calendar_url(token),
            lead_choices=lead_choices.list_choices(db.session, account_id),
            day_options=lead_choices.DAY_OPTIONS,
            describe_leads=lead_choices.describe_leads,
        ),
        422 if errors else 200,
    )


@bp.post("/settings/notifications/leads")
@login_required
def save_leads():
    """One select per category: "default", "off" or a number of days (1–90)."""
    choices = []
    for category in lead_choices.CATEGORIES:
        value = request.form.get(f"lead-{category}", "default")
        if value in ("default", "off"):
            choices.append((category, value, None))
        elif value.isdigit():
            choices.append((category, "days", int(value)))
        else:
            choices.append((category, "days", None))  # refused below, nothing saved
    try:
        for category, mode, days in choices:
            lead_choices.set_choice(db.session, current_user.id, category, mode, days)
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("inbox.settings") + "#leads")
    db.session.commit()
    flash(_("Your reminder times are saved; the next reminder sweep uses them."))
    return redirect(url_for("inbox.settings") + "#leads")


@bp.post("/settings/notifications/calendar/rotate")
@login_required
def rotate_calendar():
    calendar.rotate_token(db.session, current_user.id)
    db.session.commit()
    flash(_("Your calendar address is replaced; the old one no longer works."))
    return redirect(url_for("inbox.settings") + "#calendar")


@bp.get("/calendar/<token>.ics")
def calendar_feed(token: str):
    account = calendar.account_for_token(db.session, token)
    if account is None:
        abort(404)
    body = calendar.feed(db.session, account, clock.now(), email_channel.public_url("/"))
    return Response(
        body,
        mimetype="text/calendar",
        headers={
            "Content-Disposition": 'inline; filename="lifepage.ics"',
            "Cache-Control": "private, max-age=300",
        },
    )


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str):
    """GET shows a confirmation button; POST (also RFC 8058 one-click) unsubscribes."""
    found = email_channel.read_unsubscribe_token(token)
    if found is None:
        abort(404)
    account_id, rule = found
    from webapp.accounts.models import Account

    account = db.session.get(Account, account_id)
    if account is None or not email_channel.unsubscribe_token_fits(token, account):
        abort(404)  # the account is gone, or the id now belongs to someone else
    if request.method == "POST":
        policy.unsubscribe(db.session, account_id, rule)
        db.session.commit()
        return render_template("notifications/unsubscribed.html", rule=rule, done=True)
    label = _rule_label(rule) if rule != "*" else None
    return render_template("notifications/unsubscribed.html", rule=rule, label=label, done=False)
