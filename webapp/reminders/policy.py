"""Reminder policy as data: lead times per rule, per-user channels, quiet hours, digest, budget.

A lead is ``"window"`` (the day the duty's window opens) or a whole number of days before
the due date. Default leads come from ``lifecycle.rules.RULES``; a ``reminder_policy`` row
overrides them (``enabled=False`` silences a rule). Everything takes ``now``/``today`` as
arguments; nothing here reads the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from lifecycle.entitlements import ENTITLEMENT_KEYS
from lifecycle.rules import DEFAULT_LEADS, RULES
from webapp import family
from webapp.duties.models import Duty
from webapp.privacy.models import Consent
from webapp.reminders.models import NotificationSettings, ReminderPolicy

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
DIGESTS = ("none", "daily", "weekly")
# Duties whose lead fell due while no sweep ran are still reminded this many days late.
CATCHUP_DAYS = 3
# A duty whose window opened before it was stored (e.g. created by the duty sync today)
# still gets its "window open" reminder when the window opened at most this long ago.
WINDOW_CATCHUP_DAYS = 120


def valid_lead(lead: str) -> bool:
    return lead == "window" or (lead.isdigit() and 0 <= int(lead) <= 366)


def fire_date(lead: str, window_start: date, due_date: date) -> date:
    """The local day a lead fires: the window start, or N days before the due date."""
    if lead == "window":
        return window_start
    return due_date - timedelta(days=int(lead))


def lead_table(session: Session) -> dict[str, tuple[str, ...]]:
    """rule → leads, the lifecycle defaults overridden by ``reminder_policy`` rows."""
    table = {key: tuple(info.default_leads) for key, info in RULES.items()}
    # entitlement reminders (webapp.entitlements): on the day it becomes available
    table.update({f"entitlement_{key}": ("window",) for key in ENTITLEMENT_KEYS})
    for row in session.scalars(select(ReminderPolicy)):
        if not row.enabled:
            table[row.rule] = ()
        else:
            table[row.rule] = tuple(str(lead) for lead in row.leads if valid_lead(str(lead)))
    return table


def leads_for(table: dict[str, tuple[str, ...]], rule: str) -> tuple[str, ...]:
    return table.get(rule, DEFAULT_LEADS)


def set_policy(session: Session, rule: str, leads: list[str], enabled: bool = True) -> None:
    bad = [lead for lead in leads if not valid_lead(str(lead))]
    if bad:
        raise ValueError(f"invalid leads: {bad}")
    row = session.get(ReminderPolicy, rule)
    if row is None:
        row = ReminderPolicy(rule=rule, leads=[str(x) for x in leads], enabled=enabled)
        session.add(row)
    else:
        row.leads = [str(x) for x in leads]
        row.enabled = enabled
    session.flush()


def still_asked(session: Session, account_id: int, duty: Duty, today: date) -> bool:
    """The recipient of a reminder of someone else's own or household duty is a family
    member who asked for it: checked again at delivery (a mandate or share may have ended)."""
    if duty.subject_kind not in ("self", "household") or account_id == duty.owner_account_id:
        return True
    return family.may_receive(session, account_id, duty, today)


def duty_is_live(duty: Duty | None, today: date) -> bool:
    """Open, or snoozed until a day that has come; and not past its due date."""
    if duty is None or duty.due_date < today:
        return False
    if duty.status == "open":
        return True
    return duty.status == "snoozed" and (duty.snoozed_until is None or duty.snoozed_until <= today)


@dataclass(frozen=True)
class Prefs:
    """What a user wants, as plain values (defaults for users who never saved settings)."""

    email_enabled: bool = False
    email_consent: bool = False
    quiet_start: time = time(22, 0)
    quiet_end: time = time(8, 0)
    digest: str = "none"
    weekly_email_budget: int = 7
    muted_rules: tuple[str, ...] = ()

    def wants_email(self, rule: str) -> bool:
        return self.email_enabled and self.email_consent and rule not in self.muted_rules


def get_settings(session: Session, account_id: int, create: bool = False):
    row = session.get(NotificationSettings, account_id)
    if row is None and create:
        row = NotificationSettings(
            account_id=account_id,
            email_enabled=False,
            quiet_start=time(22, 0),
            quiet_end=time(8, 0),
            digest="none",
            weekly_email_budget=7,
            muted_rules=[],
        )
        session.add(row)
        session.flush()
    return row


def prefs_for(session: Session, account_ids: set[int] | list[int]) -> dict[int, Prefs]:
    """Preferences of many accounts in two queries (settings and e-mail consent)."""
    ids = sorted(set(account_ids))
    out: dict[int, Prefs] = {}
    if not ids:
        return out
    from webapp.reminders.sqlutil import id_chunks, in_ids

    consent: dict[int, bool] = {}
    settings: dict[int, NotificationSettings] = {}
    for chunk in id_chunks(session, ids):
        for account_id, granted in session.execute(
            select(Consent.account_id, Consent.granted)
            .where(in_ids(session, Consent.account_id, chunk), Consent.purpose == "email_reminders")
            .order_by(Consent.id)
        ):
            consent[account_id] = granted
        for row in session.scalars(
            select(NotificationSettings).where(
                in_ids(session, NotificationSettings.account_id, chunk)
            )
        ):
            settings[row.account_id] = row
    for account_id in ids:
        row = settings.get(account_id)
        if row is None:
            out[account_id] = Prefs(email_consent=consent.get(account_id, False))
        else:
            out[account_id] = Prefs(
                email_enabled=row.email_enabled,
                email_consent=consent.get(account_id, False),
                quiet_start=row.quiet_start,
                quiet_end=row.quiet_end,
                digest=row.digest if row.digest in DIGESTS else "none",
                weekly_email_budget=row.weekly_email_budget,
                muted_rules=tuple(row.muted_rules or ()),
            )
    return out


def in_quiet_hours(prefs: Prefs, now: datetime) -> bool:
    local = now.astimezone(LOCAL_TZ).time()
    start, end = prefs.quiet_start, prefs.quiet_end
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end


def quiet_end_after(prefs: Prefs, now: datetime) -> datetime:
    """The first moment at or after ``now`` outside the quiet hours (UTC)."""
    if not in_quiet_hours(prefs, now):
        return now
    local = now.astimezone(LOCAL_TZ)
    candidate = datetime.combine(local.date(), prefs.quiet_end, tzinfo=LOCAL_TZ)
    if candidate <= local:
        candidate += timedelta(days=1)
    return candidate.astimezone(UTC)


def next_digest_at(prefs: Prefs, now: datetime) -> datetime:
    """When held e-mails go out as one digest: daily at the end of the quiet hours, weekly
    (and for budget overflow) on Monday at the end of the quiet hours, local time."""
    local = now.astimezone(LOCAL_TZ)
    at = datetime.combine(local.date(), prefs.quiet_end, tzinfo=LOCAL_TZ)
    if prefs.digest == "daily":
        if at <= local:
            at += timedelta(days=1)
        return at.astimezone(UTC)
    days_ahead = (7 - at.weekday()) % 7
    at += timedelta(days=days_ahead)
    if at <= local:
        at += timedelta(days=7)
    return at.astimezone(UTC)


def settings_dict(session: Session, account_id: int) -> dict:
    row = get_settings(session, account_id)
    prefs = prefs_for(session, [account_id])[account_id]
    return {
        "email_enabled": row.email_enabled if row else False,
        "email_consent": prefs.email_consent,
        "quiet_start": prefs.quiet_start.strftime("%H:%M"),
        "quiet_end": prefs.quiet_end.strftime("%H:%M"),
        "digest": prefs.digest,
        "weekly_email_budget": prefs.weekly_email_budget,
        "muted_rules": list(prefs.muted_rules),
    }


def update_settings(session: Session, account_id: int, data) -> dict:
    """Save the settings (``data`` is a validated NotificationSettingsIn). Turning e-mail
    on is the user's explicit consent to reminder e-mails, recorded as such."""
    from webapp.privacy import set_consents

    row = get_settings(session, account_id, create=True)
    row.email_enabled = data.email_enabled
    row.quiet_start = data.quiet_start
    row.quiet_end = data.quiet_end
    row.digest = data.digest
    row.weekly_email_budget = data.weekly_email_budget
    row.muted_rules = list(data.muted_rules)
    if data.email_enabled:
        set_consents(session, account_id, {"email_reminders": True})
    session.flush()
    return settings_dict(session, account_id)


def unsubscribe(session: Session, account_id: int, rule: str) -> None:
    """The one-click link: mute one rule's e-mails, or (rule "*") all reminder e-mails."""
    row = get_settings(session, account_id, create=True)
    if rule == "*":
        row.email_enabled = False
    elif rule not in (row.muted_rules or []):
        row.muted_rules = sorted({*(row.muted_rules or []), rule})
    session.flush()
