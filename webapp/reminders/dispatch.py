"""The dispatcher: claim due outbox rows, re-check them, deliver, record the outcome.

Claims: PostgreSQL ``SELECT … FOR UPDATE SKIP LOCKED`` then an update to ``claimed`` with
a lease; SQLite one guarded ``UPDATE … WHERE id IN (SELECT …) AND status IN (…)``. Rows
whose lease ran out (their dispatcher died) are claimable again. Every later transition is
guarded by ``claimed_by`` = this claim's token, so a dispatcher that lost its lease
changes nothing. An inbox item and its "sent" status commit in one transaction.

Outcomes: ``sent``; ``retry`` (temporary failure, exponential backoff) up to
``max_attempts``, then ``failed``; ``failed`` (permanent); ``expired`` (the duty is done,
dismissed, gone or past due); ``cancelled`` (the channel is no longer wanted); e-mails
waiting for the quiet hours to end go back to ``pending``; e-mails held for a digest
(digest mode, or over the weekly budget) go back to ``pending`` marked ``held:…`` and are
sent together as one digest (status ``digested``).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from time import monotonic

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.accounts.models import Account
from webapp.duties.models import Duty
from webapp.reminders import digest, policy
from webapp.reminders.channels import account_locale, reminder_texts
from webapp.reminders.channels import email as email_channel
from webapp.reminders.channels import inbox as inbox_channel
from webapp.reminders.models import Notification
from webapp.reminders.outbox import (  # noqa: F401  (DispatchConfig, CLAIMABLE: used by callers)
    CLAIMABLE,
    HELD,
    DispatchConfig,
    DispatchReport,
    _guarded_many,
    _snooze_end,
    backoff,
    claim,
    due_condition,
    failure_values,
    transition,
    worker_name,
)

log = logging.getLogger(__name__)


@dataclass
class _Mail:
    nid: int
    attempts: int
    mail: email_channel.Mail


def process_batch(
    new_session: Callable[[], Session],
    ids: list[int],
    token: str,
    now: datetime,
    today: date,
    mailer: email_channel.Mailer,
    cfg: DispatchConfig,
    report: DispatchReport,
) -> None:
    """Deliver the claimed rows ``ids``: one transaction decides every row and writes the
    inbox items together with their "sent" status; then each e-mail is sent and its
    outcome committed on its own."""
    mails: list[_Mail] = []
    with new_session() as session:
        rows = list(
            session.scalars(
                select(Notification).where(
                    Notification.id.in_(ids),
                    Notification.status == "claimed",
                    Notification.claimed_by == token,
                )
            )
        )
        report.add("lost", len(ids) - len(rows))
        duty_ids = {n.duty_id for n in rows if n.duty_id is not None}
        duties = (
            {d.id: d for d in session.scalars(select(Duty).where(Duty.id.in_(duty_ids)))}
            if duty_ids
            else {}
        )
        email_accounts = {n.account_id for n in rows if n.channel == "email"}
        prefs = policy.prefs_for(session, email_accounts)
        accounts = (
            {
                a.id: a
                for a in session.scalars(select(Account).where(Account.id.in_(email_accounts)))
            }
            if email_accounts
            else {}
        )
        sent_this_week = _emails_sent_since(session, email_accounts, now - timedelta(days=7))
        expired, cancelled, inbox = [], [], []
        for n in rows:
            try:
                outcome, mail = _decide(
                    session, n, duties, prefs, accounts, sent_this_week, token, now, today
                )
            except Exception as exc:  # a poison message fails alone; the batch goes on
                log.warning("notification %s: cannot be prepared (%s)", n.id, type(exc).__name__)
                values = failure_values(cfg, n.attempts, now, f"render: {reason(exc)}")
                transition(session, n.id, token, **values)
                report.add(values["status"])
                continue
            if outcome == "expired":
                expired.append(n.id)
            elif outcome == "cancelled":
                cancelled.append(n.id)
            elif outcome == "inbox":
                inbox.append((n, duties.get(n.duty_id), mail))
            elif outcome == "email":
                mails.append(_Mail(n.id, n.attempts, mail))
            else:
                report.add(outcome)
        report.add("expired", len(_guarded_many(session, expired, token, status="expired")))
        report.add("cancelled", len(_guarded_many(session, cancelled, token, status="cancelled")))
        owned = set(
            _guarded_many(
                session,
                [n.id for n, _duty, _texts in inbox],
                token,
                status="sent",
                sent_at=now,
                last_error=None,
            )
        )
        for n, duty, texts in inbox:
            if n.id in owned:
                inbox_channel.deliver(session, n, duty, today, texts)
        report.add("sent", len(owned))
        session.commit()  # inbox items and their "sent" status together
    for item in mails:
        report.add(_send_one(new_session, item, token, now, mailer, cfg))


def reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:480]


def _decide(session, n, duties, prefs, accounts, sent_this_week, token, now, today):
    """What to do with one claimed row: ("expired" | "cancelled" | "inbox" | "email" |
    "deferred" | "held", the e-mail to send or None). Deferrals are written here."""
    duty = duties.get(n.duty_id)
    snooze_end = _snooze_end(duty) if duty is not None else None
    if snooze_end is not None and duty.snoozed_until > today and duty.due_date >= today:
        transition(session, n.id, token, status="pending", next_attempt_at=snooze_end)
        return "deferred", None
    if not policy.duty_is_live(duty, today):
        return "expired", None
    if not policy.still_asked(session, n.account_id, duty, today):
        return "cancelled", None  # a family member's mandate or share ended
    if n.channel == "inbox":
        return "inbox", reminder_texts(duty, n.lead, today)
    account = accounts.get(n.account_id)
    p = prefs[n.account_id]
    if account is None or not p.wants_email(duty.rule) or not email_verified(account):
        return "cancelled", None
    if p.digest != "none":
        when, reason = policy.next_digest_at(p, now), "digest"
    elif sent_this_week.get(n.account_id, 0) >= p.weekly_email_budget:
        weekly = policy.Prefs(quiet_end=p.quiet_end, digest="weekly")
        when, reason = policy.next_digest_at(weekly, now), "budget"
    else:
        when = reason = None
    if when is not None:
        transition(
            session, n.id, token, status="pending", next_attempt_at=when, last_error=HELD + reason
        )
        return "held", None
    if policy.in_quiet_hours(p, now):
        transition(
            session, n.id, token, status="pending", next_attempt_at=policy.quiet_end_after(p, now)
        )
        return "deferred", None
    mail = email_channel.reminder_mail(
        account, duty, n.lead, today, account_locale(account.locale), tag=str(n.id)
    )
    email_channel.build_message(mail)  # a message that cannot be built fails here, alone
    sent_this_week[n.account_id] = sent_this_week.get(n.account_id, 0) + 1
    return "email", mail


def email_verified(account) -> bool:
    return getattr(account, "email_verified_at", None) is not None


def _emails_sent_since(session: Session, account_ids: set[int], since: datetime) -> dict:
    if not account_ids:
        return {}
    rows = session.execute(
        select(Notification.account_id, func.count())
        .where(
            Notification.account_id.in_(account_ids),
            Notification.channel == "email",
            Notification.status == "sent",
            Notification.sent_at >= since,
        )
        .group_by(Notification.account_id)
    )
    return dict(rows.all())


def _send_one(
    new_session: Callable[[], Session],
    item: _Mail,
    token: str,
    now: datetime,
    mailer: email_channel.Mailer,
    cfg: DispatchConfig,
) -> str:
    try:
        mailer.send(item.mail)
    except email_channel.PermanentFailure as exc:
        values = {"status": "failed", "attempts": item.attempts + 1, "last_error": str(exc)[:500]}
    except email_channel.TemporaryFailure as exc:
        values = failure_values(cfg, item.attempts, now, str(exc))
    except Exception as exc:  # the message itself is broken: bounded retries, then failed
        log.warning("notification %s: cannot be sent (%s)", item.nid, type(exc).__name__)
        values = failure_values(cfg, item.attempts, now, f"send: {reason(exc)}")
    else:
        values = {
            "status": "sent",
            "sent_at": now,
            "attempts": item.attempts + 1,
            "last_error": None,
        }
    outcome = values["status"]
    with new_session() as session:
        if not transition(session, item.nid, token, **values):
            log.warning("notification %s: lease lost after sending (%s)", item.nid, outcome)
            session.rollback()
            return "lost"
        session.commit()
    if outcome != "sent":
        log.info("notification %s: e-mail %s (%s)", item.nid, outcome, values.get("last_error"))
    return outcome


def dispatch_once(
    new_session: Callable[[], Session],
    now: datetime,
    today: date,
    *,
    worker: str | None = None,
    cfg: DispatchConfig | None = None,
    mailer: email_channel.Mailer | None = None,
    max_batches: int | None = None,
    stop: Callable[[], bool] | None = None,
) -> DispatchReport:
    """Claim and deliver batches until nothing is due (or ``max_batches``)."""
    cfg = cfg or DispatchConfig()
    worker = worker or worker_name()
    report = DispatchReport()
    own_mailer = mailer is None
    mailer = mailer or email_channel.mailer_from_config()
    started = monotonic()
    try:
        for _ in range(max_batches or cfg.max_batches):
            if stop is not None and stop():
                break
            token = f"{worker}:{uuid.uuid4().hex[:10]}"
            # A run can outlast the lease: each batch's lease counts from its own claim, or
            # another dispatcher would re-claim (and e-mail) rows still being delivered.
            claimed_at = now + timedelta(seconds=monotonic() - started)
            with new_session() as session:
                ids = claim(session, token, claimed_at, cfg.batch, cfg.lease_seconds)
                held = _held_ids(session, ids)
            if not ids:
                break
            report.claimed += len(ids)
            rest = [nid for nid in ids if nid not in held]
            try:
                if held:
                    report.merge(
                        digest.send_digests(new_session, held, token, now, today, mailer, cfg)
                    )
                if rest:
                    process_batch(new_session, rest, token, now, today, mailer, cfg, report)
            except Exception as exc:  # never leave a batch claimed: it would crash-loop
                log.exception("dispatch batch failed; its rows are retried later")
                report.add("retry", release_claimed(new_session, token, now, cfg, reason(exc)))
    finally:
        if own_mailer:
            mailer.close()
    if report.claimed:
        log.info("%s", report)
    return report


def release_claimed(
    new_session: Callable[[], Session],
    token: str,
    now: datetime,
    cfg: DispatchConfig,
    error: str,
    account_id: int | None = None,
) -> int:
    """Put every row still claimed by ``token`` (of ``account_id``) back with one more
    attempt: after ``cfg.max_attempts`` it is failed with the reason."""
    where = [Notification.claimed_by == token, Notification.status == "claimed"]
    if account_id is not None:
        where.append(Notification.account_id == account_id)
    with new_session() as session:
        rows = session.execute(select(Notification.id, Notification.attempts).where(*where)).all()
        for nid, attempts in rows:
            transition(session, nid, token, **failure_values(cfg, attempts, now, error))
        session.commit()
    return len(rows)


def _held_ids(session: Session, ids: list[int]) -> dict[int, int]:
    """Of the claimed ids, those held for a digest: id → account id."""
    if not ids:
        return {}
    rows = session.execute(
        select(Notification.id, Notification.account_id).where(
            Notification.id.in_(ids),
            Notification.channel == "email",
            Notification.last_error.like(HELD + "%"),
        )
    )
    return dict(rows.all())


def purge_delivered(session: Session, before: datetime, today: date) -> int:
    """Delete finished outbox rows created before ``before`` whose duty is past due (or
    gone), so the sweep can never recreate them. Inbox items stay (their link is nulled)."""
    from sqlalchemy import delete, exists

    finished = ("sent", "failed", "expired", "cancelled", "digested")
    live_duty = exists().where(Duty.id == Notification.duty_id, Duty.due_date >= today)
    result = session.execute(
        delete(Notification)
        .where(Notification.status.in_(finished), Notification.created_at < before, ~live_duty)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
