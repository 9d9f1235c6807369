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
import os
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from ...models import Account, Duty, Notification
from . import digest, policy
from .channels import account_locale
from .channels import email as email_channel
from .channels import inbox as inbox_channel

log = logging.getLogger(__name__)
HELD = "held:"
CLAIMABLE = ("pending", "retry")


@dataclass(frozen=True)
class DispatchConfig:
    batch: int = 100
    lease_seconds: int = 300
    backoff_base_seconds: int = 60
    backoff_max_seconds: int = 6 * 3600
    max_attempts: int = 8
    max_batches: int = 1000


@dataclass
class DispatchReport:
    claimed: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)

    def add(self, outcome: str, n: int = 1) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + n

    def merge(self, other: DispatchReport) -> None:
        self.claimed += other.claimed
        for k, v in other.outcomes.items():
            self.add(k, v)

    def __str__(self) -> str:
        parts = ", ".join(f"{k} {v}" for k, v in sorted(self.outcomes.items())) or "nothing"
        return f"dispatch: claimed {self.claimed}; {parts}"


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident() % 100000}"


def due_condition(now: datetime):
    return or_(
        and_(Notification.status.in_(CLAIMABLE), Notification.next_attempt_at <= now),
        and_(Notification.status == "claimed", Notification.lease_until < now),
    )


def claim(
    session: Session,
    token: str,
    now: datetime,
    batch: int,
    lease_seconds: int,
    *,
    account_id: int | None = None,
    held_only: bool = False,
) -> list[int]:
    """Claim up to ``batch`` due rows for ``token``; returns their ids. Commits."""
    where = [due_condition(now)]
    if account_id is not None:
        where.append(Notification.account_id == account_id)
    if held_only:
        where.append(Notification.last_error.like(HELD + "%"))
    values = {
        "status": "claimed",
        "claimed_by": token,
        "lease_until": now + timedelta(seconds=lease_seconds),
    }
    pick = select(Notification.id).where(*where).order_by(Notification.next_attempt_at)
    if session.get_bind().dialect.name == "postgresql":
        ids = list(session.scalars(pick.limit(batch).with_for_update(skip_locked=True)))
        if ids:
            session.execute(update(Notification).where(Notification.id.in_(ids)).values(values))
    else:
        # One statement, so SQLite takes the write lock once; the guard repeats the
        # condition so a row another dispatcher claimed first is left alone.
        session.execute(
            update(Notification)
            .where(Notification.id.in_(pick.limit(batch).scalar_subquery()), *where)
            .values(values)
            .execution_options(synchronize_session=False)
        )
        ids = list(
            session.scalars(
                select(Notification.id).where(
                    Notification.claimed_by == token, Notification.status == "claimed"
                )
            )
        )
    session.commit()
    return ids


def _guard(nid: int, token: str):
    return and_(
        Notification.id == nid, Notification.status == "claimed", Notification.claimed_by == token
    )


def transition(session: Session, nid: int, token: str, **values) -> bool:
    """Move a claimed row on; False (nothing changed) if this claim lost its lease."""
    values.setdefault("claimed_by", None)
    values.setdefault("lease_until", None)
    result = session.execute(
        update(Notification)
        .where(_guard(nid, token))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def backoff(cfg: DispatchConfig, attempts: int) -> timedelta:
    seconds = cfg.backoff_base_seconds * (2 ** max(attempts - 1, 0))
    return timedelta(seconds=min(seconds, cfg.backoff_max_seconds))


def failure_values(cfg: DispatchConfig, attempts: int, now: datetime, error: str, keep: str = ""):
    attempts += 1
    if attempts >= cfg.max_attempts:
        return {"status": "failed", "attempts": attempts, "last_error": keep + error[:500]}
    return {
        "status": "retry",
        "attempts": attempts,
        "next_attempt_at": now + backoff(cfg, attempts),
        "last_error": keep + error[:500],
    }


def emails_sent_since(session: Session, account_id: int, since: datetime) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(
                Notification.account_id == account_id,
                Notification.channel == "email",
                Notification.status == "sent",
                Notification.sent_at >= since,
            )
        )
        or 0
    )


def _snooze_end(duty: Duty) -> datetime | None:
    if duty.status == "snoozed" and duty.snoozed_until is not None:
        return datetime.combine(duty.snoozed_until, time(8, 0), tzinfo=policy.LOCAL_TZ)
    return None


def process(
    new_session: Callable[[], Session],
    nid: int,
    token: str,
    now: datetime,
    today: date,
    mailer: email_channel.Mailer,
    cfg: DispatchConfig,
) -> str:
    """Deliver one claimed row; returns the outcome."""
    with new_session() as session:
        n = session.get(Notification, nid)
        if n is None or n.status != "claimed" or n.claimed_by != token:
            return "lost"
        duty = session.get(Duty, n.duty_id) if n.duty_id is not None else None
        if duty is not None and duty.due_date >= today:
            snooze_end = _snooze_end(duty)
            if snooze_end is not None and duty.snoozed_until > today:
                transition(session, nid, token, status="pending", next_attempt_at=snooze_end)
                session.commit()
                return "deferred"
        if not policy.duty_is_live(duty, today):
            transition(session, nid, token, status="expired")
            session.commit()
            return "expired"
        if n.channel == "inbox":
            inbox_channel.deliver(session, n, duty, today)
            if not transition(session, nid, token, status="sent", sent_at=now, last_error=None):
                session.rollback()
                return "lost"
            session.commit()
            return "sent"
        # E-mail: re-check the user's wishes, then hold, defer or send.
        prefs = policy.prefs_for(session, [n.account_id])[n.account_id]
        if not prefs.wants_email(duty.rule):
            transition(session, nid, token, status="cancelled")
            session.commit()
            return "cancelled"
        if prefs.digest != "none":
            transition(
                session,
                nid,
                token,
                status="pending",
                next_attempt_at=policy.next_digest_at(prefs, now),
                last_error=HELD + "digest",
            )
            session.commit()
            return "held"
        budget = prefs.weekly_email_budget
        if emails_sent_since(session, n.account_id, now - timedelta(days=7)) >= budget:
            transition(
                session,
                nid,
                token,
                status="pending",
                next_attempt_at=policy.next_digest_at(
                    policy.Prefs(quiet_end=prefs.quiet_end, digest="weekly"), now
                ),
                last_error=HELD + "budget",
            )
            session.commit()
            return "held"
        if policy.in_quiet_hours(prefs, now):
            transition(
                session,
                nid,
                token,
                status="pending",
                next_attempt_at=policy.quiet_end_after(prefs, now),
            )
            session.commit()
            return "deferred"
        account = session.get(Account, n.account_id)
        mail = email_channel.reminder_mail(
            account, duty, n.lead, today, account_locale(account.locale), tag=str(nid)
        )
        attempts = n.attempts
        session.rollback()  # no transaction (nor SQLite lock) held while talking SMTP
    try:
        mailer.send(mail)
    except email_channel.PermanentFailure as exc:
        values = {"status": "failed", "attempts": attempts + 1, "last_error": str(exc)[:500]}
        outcome = "failed"
    except email_channel.TemporaryFailure as exc:
        values = failure_values(cfg, attempts, now, str(exc))
        outcome = values["status"]
    else:
        values = {"status": "sent", "sent_at": now, "attempts": attempts + 1, "last_error": None}
        outcome = "sent"
    with new_session() as session:
        if not transition(session, nid, token, **values):
            log.warning("notification %s: lease lost after sending (outcome %s)", nid, outcome)
            session.rollback()
            return "lost"
        session.commit()
    if outcome != "sent":
        log.info("notification %s: e-mail %s (%s)", nid, outcome, values.get("last_error"))
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
    try:
        for _ in range(max_batches or cfg.max_batches):
            if stop is not None and stop():
                break
            token = f"{worker}:{uuid.uuid4().hex[:10]}"
            with new_session() as session:
                ids = claim(session, token, now, cfg.batch, cfg.lease_seconds)
                held = _held_ids(session, ids)
            if not ids:
                break
            report.claimed += len(ids)
            if held:
                report.merge(digest.send_digests(new_session, held, token, now, today, mailer, cfg))
            for nid in ids:
                if nid in held:
                    continue
                report.add(process(new_session, nid, token, now, today, mailer, cfg))
    finally:
        if own_mailer:
            mailer.close()
    if report.claimed:
        log.info("%s", report)
    return report


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
