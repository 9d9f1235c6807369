"""Digests: one e-mail listing every reminder held for an account (digest mode, or over
the weekly budget), instead of one e-mail per duty. Rows are claimed like any other, so
two dispatchers never send the same digest; they end as ``digested``."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.accounts.models import Account
from webapp.duties.models import Duty
from webapp.reminders import policy
from webapp.reminders.channels import account_locale, reminder_text
from webapp.reminders.channels import email as email_channel
from webapp.reminders.models import Notification

log = logging.getLogger(__name__)


def send_digests(
    new_session: Callable[[], Session],
    held: dict[int, int],
    token: str,
    now: datetime,
    today: date,
    mailer: email_channel.Mailer,
    cfg,
):
    from webapp.reminders.dispatch import DispatchReport, reason, release_claimed

    report = DispatchReport()
    for account_id in sorted(set(held.values())):
        try:
            outcome, count = send_digest(new_session, account_id, token, now, today, mailer, cfg)
        except Exception as exc:  # one broken digest does not stop the others
            log.warning("digest for one account cannot be sent (%s)", type(exc).__name__)
            error = f"digest: {reason(exc)}"
            outcome = "retry"
            count = release_claimed(new_session, token, now, cfg, error, account_id=account_id)
        report.add(outcome, count)
    return report


def send_digest(
    new_session: Callable[[], Session],
    account_id: int,
    token: str,
    now: datetime,
    today: date,
    mailer: email_channel.Mailer,
    cfg,
) -> tuple[str, int]:
    """Send one account's digest. Returns (outcome, number of reminders it covered)."""
    from webapp.reminders.dispatch import HELD, claim, failure_values, transition

    with new_session() as session:
        # Take every other held row of this account that is due, so one digest covers all.
        claim(session, token, now, 10_000, cfg.lease_seconds, account_id=account_id, held_only=True)
        rows = list(
            session.scalars(
                select(Notification)
                .where(
                    Notification.account_id == account_id,
                    Notification.claimed_by == token,
                    Notification.status == "claimed",
                    Notification.channel == "email",
                    Notification.last_error.like(HELD + "%"),
                )
                .order_by(Notification.id)
            )
        )
        if not rows:
            return "lost", 0
        prefs = policy.prefs_for(session, [account_id])[account_id]
        account = session.get(Account, account_id)
        locale = account_locale(account.locale)
        keep: list[Notification] = []
        entries: list[dict] = []
        for n in rows:
            duty = session.get(Duty, n.duty_id) if n.duty_id is not None else None
            if not policy.duty_is_live(duty, today):
                transition(session, n.id, token, status="expired")
            elif (
                not prefs.wants_email(duty.rule)
                or account.email_verified_at is None
                or not policy.still_asked(session, account_id, duty, today)
            ):
                transition(session, n.id, token, status="cancelled")
            else:
                keep.append(n)
                title, body = reminder_text(duty, n.lead, today, locale)
                entries.append(
                    {
                        "title": title,
                        "body": body,
                        "due_date": duty.due_date,
                        "service_url": email_channel.public_url(f"/services/{duty.service_code}"),
                    }
                )
        if not keep:
            session.commit()
            return "expired", len(rows)
        if policy.in_quiet_hours(prefs, now):
            for n in keep:
                transition(
                    session,
                    n.id,
                    token,
                    status="pending",
                    next_attempt_at=policy.quiet_end_after(prefs, now),
                    last_error=n.last_error,
                )
            session.commit()
            return "deferred", len(keep)
        entries.sort(key=lambda e: e["due_date"])
        tag = ",".join(str(n.id) for n in keep)
        mail = email_channel.digest_mail(account, entries, locale, tag=tag)
        email_channel.build_message(mail)  # a digest that cannot be built fails here
        attempts = {n.id: n.attempts for n in keep}
        reasons = {n.id: (n.last_error or HELD).split(";")[0] for n in keep}
        session.commit()
    try:
        mailer.send(mail)
    except email_channel.PermanentFailure as exc:
        outcome, error = "failed", str(exc)
    except email_channel.TemporaryFailure as exc:
        outcome, error = "retry", str(exc)
    else:
        outcome, error = "digested", None
    with new_session() as session:
        for nid, tries in attempts.items():
            if outcome == "digested":
                values = {"status": "digested", "sent_at": now, "attempts": tries + 1}
            elif outcome == "failed":
                values = {"status": "failed", "attempts": tries + 1, "last_error": error[:500]}
            else:
                values = failure_values(cfg, tries, now, error, keep=reasons[nid] + "; ")
            transition(session, nid, token, **values)
        if outcome == "digested":
            settings = policy.get_settings(session, account_id, create=True)
            settings.last_digest_at = now
        session.commit()
    return outcome, len(attempts)
