"""Queued reminders follow their duties: moved when a duty's dates move, cancelled when the
reminder no longer concerns anyone (a household member has died)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from webapp.duties.models import Duty
from webapp.reminders import policy
from webapp.reminders.models import Notification

# Rows waiting to be delivered (claimed rows are in flight and finish on their own).
QUEUED = ("pending", "retry")
_N = Notification.__table__


def _chunks(ids: list[int], size: int = 900):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def move_with_duties(session: Session, duty_ids: list[int], today: date) -> int:
    """Queued rows of ``duty_ids`` whose lead now fires after ``today`` wait for that day
    (local midnight); rows whose lead has still come are left as they are."""
    moves = []
    for chunk in _chunks(sorted(set(duty_ids))):
        rows = session.execute(
            select(Notification.id, Notification.lead, Duty.window_start, Duty.due_date)
            .join(Duty, Duty.id == Notification.duty_id)
            .where(Notification.duty_id.in_(chunk), Notification.status.in_(QUEUED))
        )
        for row_id, lead, window_start, due_date in rows:
            fires = policy.fire_date(lead, window_start, due_date)
            if fires > today:
                at = datetime.combine(fires, time(0), policy.LOCAL_TZ).astimezone(UTC)
                moves.append({"_id": row_id, "at": at})
    if moves:
        session.execute(
            update(_N).where(_N.c.id == bindparam("_id")).values(next_attempt_at=bindparam("at")),
            moves,
        )
    return len(moves)


def cancel_queued(session: Session, duty_ids: list[int]) -> int:
    """Cancel the queued rows of ``duty_ids``; returns how many."""
    total = 0
    for chunk in _chunks(sorted(set(duty_ids))):
        result = session.execute(
            update(_N)
            .where(_N.c.duty_id.in_(chunk), _N.c.status.in_(QUEUED))
            .values(status="cancelled")
        )
        total += result.rowcount or 0
    return total


def cancel_for_subject(
    session: Session, kind: str, subject_id: int, keep_rules: tuple[str, ...] = ()
) -> int:
    """Cancel the queued rows of a subject's duties (except ``keep_rules``): nothing more
    is sent about a household member who has died but the survivors' own duties."""
    where = [Duty.subject_kind == kind, Duty.subject_id == subject_id]
    if keep_rules:
        where.append(Duty.rule.not_in(keep_rules))
    duty_ids = list(session.scalars(select(Duty.id).where(*where)))
    return cancel_queued(session, duty_ids)
