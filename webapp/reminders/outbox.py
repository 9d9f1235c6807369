"""The outbox's mechanics: claiming due rows with a lease, guarded transitions, backoff.

PostgreSQL claims with SELECT … FOR UPDATE SKIP LOCKED; SQLite with one guarded
UPDATE … WHERE id IN (SELECT …) AND status IN (…). Every transition after the claim is
guarded by the claim's token (see webapp.reminders.dispatch)."""

from __future__ import annotations

import os
import socket
import threading
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from webapp.duties.models import Duty
from webapp.reminders import policy
from webapp.reminders.models import Notification

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
        if n:
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


def _snooze_end(duty: Duty) -> datetime | None:
    if duty.status == "snoozed" and duty.snoozed_until is not None:
        return datetime.combine(duty.snoozed_until, time(8, 0), tzinfo=policy.LOCAL_TZ)
    return None


def _guarded_many(session: Session, ids: list[int], token: str, **values) -> list[int]:
    """Apply ``values`` to the rows of ``ids`` this claim still holds; returns those ids."""
    if not ids:
        return []
    values.setdefault("claimed_by", None)
    values.setdefault("lease_until", None)
    result = session.execute(
        update(Notification)
        .where(
            Notification.id.in_(ids),
            Notification.status == "claimed",
            Notification.claimed_by == token,
        )
        .values(**values)
        .returning(Notification.id)
        .execution_options(synchronize_session=False)
    )
    return list(result.scalars())
