"""The calendar feed: a per-user secret URL serving every open duty of the user, their
household and their enterprises as all-day events with alarms at the reminder leads."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from webapp.accounts.models import Account
from webapp.duties import OPEN_STATUSES
from webapp.duties.models import Duty
from webapp.enterprise.models import Membership
from webapp.reminders import lead_choices, policy
from webapp.reminders.channels import person_name
from webapp.reminders.models import NotificationSettings

PRODID = "-//Lifepage//Reminders//EN"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def get_or_create_token(session: Session, account_id: int) -> str:
    settings = policy.get_settings(session, account_id, create=True)
    if not settings.calendar_token:
        settings.calendar_token = new_token()
        session.flush()
    return settings.calendar_token


def rotate_token(session: Session, account_id: int) -> str:
    """Replace the secret: the old URL stops working at once."""
    settings = policy.get_settings(session, account_id, create=True)
    settings.calendar_token = new_token()
    session.flush()
    return settings.calendar_token


def account_for_token(session: Session, token: str) -> Account | None:
    if not token or len(token) > 64:
        return None
    settings = session.scalar(
        select(NotificationSettings).where(NotificationSettings.calendar_token == token)
    )
    if settings is None:
        return None
    return session.get(Account, settings.account_id)


def visible_duties(session: Session, account_id: int) -> list[Duty]:
    """Open duties the account sees: its own and its household's (owner), and those of
    every enterprise it is a member of — the same visibility as the duty list."""
    enterprises = select(Membership.enterprise_id).where(Membership.account_id == account_id)
    stmt = (
        select(Duty)
        .where(
            or_(Duty.owner_account_id == account_id, Duty.enterprise_id.in_(enterprises)),
            Duty.status.in_(OPEN_STATUSES),
        )
        .order_by(Duty.due_date, Duty.id)
    )
    return list(session.scalars(stmt))


def feed(session: Session, account: Account, now: datetime, public_url: str) -> bytes:
    from icalendar import Alarm, Calendar, Event

    from webapp.core.i18n import citation_text, localized
    from webapp.reminders.channels import account_locale

    locale = account_locale(account.locale)
    table = policy.lead_table(session)
    choices = lead_choices.choices_for(session, [account.id])
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    with force_locale(locale):
        cal.add("x-wr-calname", _("Lifepage"))
    cal.add("x-wr-timezone", "Asia/Shanghai")
    base = public_url.rstrip("/")
    for duty in visible_duties(session, account.id):
        title = event_title(duty.subject_name, localized(duty.title, locale), locale)
        event = Event()
        event.add("uid", f"duty-{duty.id}@lifepage")
        event.add("dtstamp", now)
        event.add("summary", title)
        event.add("dtstart", duty.due_date)
        event.add("dtend", duty.due_date + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        description = "\n".join(
            part
            for part in (
                localized(duty.explanation, locale),
                citation_text(duty.legal_basis, locale),
                f"{base}/services/{duty.service_code}",
            )
            if part
        )
        event.add("description", description)
        event.add("url", f"{base}/services/{duty.service_code}")
        event.add("categories", [duty.rule])
        for lead in lead_choices.leads_for_account(table, choices, account.id, duty.rule):
            days = _lead_days(lead, duty.window_start, duty.due_date)
            if days is None:
                continue
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", title)
            # 09:00 on the day the lead fires (the event starts at midnight of the due day).
            alarm.add("trigger", timedelta(days=-days, hours=9))
            event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()


def event_title(name: str | None, title: str, locale: str) -> str:
    """A short event title for a phone: the name once (not when the title already starts with
    it), with the locale's separator ("王小明：护照换发" / "Wang: Renew your passport")."""
    name = person_name(name, locale)
    if not name or name in title:
        return title
    with force_locale(locale):
        return _("%(who)s: %(sentence)s", who=name, sentence=title)


def _lead_days(lead: str, window_start: date, due_date: date) -> int | None:
    if lead == "window":
        days = (due_date - window_start).days
        return days if days > 0 else None
    return int(lead) if lead.isdigit() else None
