"""Failed deliveries, for the admin console: which outbox rows gave up and why. No e-mail
address or name is shown: the row id, channel, rule, attempts and the recorded reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.duties.models import Duty
from webapp.reminders.models import Notification


@dataclass(frozen=True)
class FailedDelivery:
    id: int
    channel: str
    lead: str
    rule: str | None
    status: str
    attempts: int
    reason: str
    created_at: datetime
    next_attempt_at: datetime | None


def failed_deliveries(
    session: Session, *, include_retrying: bool = True, limit: int = 200
) -> list[FailedDelivery]:
    """Failed rows (and, by default, rows waiting to retry after an error), newest first."""
    statuses = ("failed", "retry") if include_retrying else ("failed",)
    rows = session.execute(
        select(Notification, Duty.rule)
        .outerjoin(Duty, Duty.id == Notification.duty_id)
        .where(Notification.status.in_(statuses))
        .order_by(Notification.id.desc())
        .limit(limit)
    ).all()
    return [
        FailedDelivery(
            id=n.id,
            channel=n.channel,
            lead=n.lead,
            rule=rule,
            status=n.status,
            attempts=n.attempts,
            reason=n.last_error or "",
            created_at=n.created_at,
            next_attempt_at=n.next_attempt_at if n.status == "retry" else None,
        )
        for n, rule in rows
    ]


def failed_count(session: Session) -> int:
    return session.scalar(
        select(func.count()).select_from(Notification).where(Notification.status == "failed")
    )
