"""Reminders: policy (lead times, user preferences), the sweep (duties → outbox), the
dispatcher (outbox → inbox / e-mail), digests and the calendar feed.

Other areas call :func:`unread_count` and :func:`latest` (the personal page's inbox
widget); the scheduler (``webapp/jobs.py``) and the CLI call :func:`run_sweep`,
:func:`run_dispatch` and :func:`run_purge`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import current_app

from webapp.core.db import db
from webapp.reminders import lead_choices, policy
from webapp.reminders.channels.email import forget_recipient, send_mail_now
from webapp.reminders.channels.inbox import latest, unread_count
from webapp.reminders.dispatch import (
    DispatchConfig,
    DispatchReport,
    dispatch_once,
    purge_delivered,
)
from webapp.reminders.failures import FailedDelivery, failed_count, failed_deliveries
from webapp.reminders.policy import settings_dict, update_settings
from webapp.reminders.requeue import cancel_for_subject, cancel_queued, move_with_duties
from webapp.reminders.schemas import NotificationSettingsIn
from webapp.reminders.sweep import SweepReport, status_counts, sweep


def reminder_times(session, account_id: int, rules) -> dict[str, str]:
    """rule → when this person is reminded of it, in words (their own choice or the defaults)."""
    table = policy.lead_table(session)
    choices = lead_choices.choices_for(session, [account_id])
    return {
        rule: lead_choices.describe_leads(
            lead_choices.leads_for_account(table, choices, account_id, rule)
        )
        for rule in set(rules)
    }


__all__ = [
    "DispatchConfig",
    "DispatchReport",
    "NotificationSettingsIn",
    "FailedDelivery",
    "SweepReport",
    "cancel_for_subject",
    "cancel_queued",
    "dispatch_once",
    "failed_count",
    "failed_deliveries",
    "forget_recipient",
    "latest",
    "move_with_duties",
    "purge_delivered",
    "reminder_times",
    "run_dispatch",
    "run_purge",
    "rule_options",
    "run_sweep",
    "settings_dict",
    "send_mail_now",
    "status_counts",
    "sweep",
    "unread_count",
    "update_settings",
]


def rule_options() -> list[tuple[str, str]]:
    """(rule, service name) for the "no e-mails about" choices of the settings form."""
    from webapp.reminders.routes import _rule_options

    return _rule_options()


def config_from_app() -> DispatchConfig:
    c = current_app.config
    return DispatchConfig(
        batch=int(c.get("REMINDER_BATCH", 100)),
        lease_seconds=int(c.get("REMINDER_LEASE_SECONDS", 300)),
        backoff_base_seconds=int(c.get("REMINDER_BACKOFF_SECONDS", 60)),
        max_attempts=int(c.get("REMINDER_MAX_ATTEMPTS", 8)),
    )


def run_sweep(now: datetime, today: date) -> SweepReport:
    """One sweep in its own transaction (needs an app context)."""
    with db.transaction() as session:
        return sweep(session, today, now)


def run_dispatch(now: datetime, today: date, **kwargs) -> DispatchReport:
    """Deliver everything due now (needs an app context)."""
    kwargs.setdefault("cfg", config_from_app())
    return dispatch_once(db.new_session, now, today, **kwargs)


def run_purge(now: datetime, today: date, days: int | None = None) -> int:
    days = days if days is not None else int(current_app.config.get("REMINDER_RETENTION_DAYS", 90))
    with db.transaction() as session:
        return purge_delivered(session, now - timedelta(days=days), today)
