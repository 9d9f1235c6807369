"""The in-app inbox channel: one InboxItem per delivered notification (unique), and the
read side used by the inbox page, the API and the personal page's widget."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from webapp.core.service_errors import NotFound
from webapp.duties.models import Duty
from webapp.reminders.channels import reminder_texts
from webapp.reminders.models import InboxItem, Notification


def deliver(
    session: Session,
    notification: Notification,
    duty: Duty,
    today: date,
    texts: tuple[dict, dict] | None = None,
) -> InboxItem:
    """Add the inbox item; the caller marks the notification sent in the same transaction.
    ``texts`` are the (title, body) dicts when the caller rendered them already."""
    title, body = texts or reminder_texts(duty, notification.lead, today)
    item = InboxItem(
        account_id=notification.account_id,
        notification_id=notification.id,
        duty_id=duty.id,
        title=title,
        body=body,
    )
    session.add(item)  # flushed with the batch: one multi-row INSERT
    return item


def unread_count(session: Session, account_id: int) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(InboxItem)
            .where(InboxItem.account_id == account_id, InboxItem.read_at.is_(None))
        )
        or 0
    )


def latest(session: Session, account_id: int, n: int = 5) -> list[InboxItem]:
    return list(
        session.scalars(
            select(InboxItem)
            .where(InboxItem.account_id == account_id)
            .order_by(InboxItem.created_at.desc(), InboxItem.id.desc())
            .limit(n)
        )
    )


def items(session: Session, account_id: int, limit: int = 100, offset: int = 0) -> list[InboxItem]:
    return list(
        session.scalars(
            select(InboxItem)
            .where(InboxItem.account_id == account_id)
            .order_by(InboxItem.created_at.desc(), InboxItem.id.desc())
            .limit(limit)
            .offset(offset)
        )
    )


def get_item(session: Session, account_id: int, item_id: int) -> InboxItem:
    item = session.get(InboxItem, item_id)
    if item is None or item.account_id != account_id:
        raise NotFound()
    return item


def mark_read(session: Session, account_id: int, item_id: int, now: datetime) -> InboxItem:
    item = get_item(session, account_id, item_id)
    if item.read_at is None:
        item.read_at = now
    return item


def mark_all_read(session: Session, account_id: int, now: datetime) -> int:
    result = session.execute(
        update(InboxItem)
        .where(InboxItem.account_id == account_id, InboxItem.read_at.is_(None))
        .values(read_at=now)
    )
    return result.rowcount or 0


def service_codes(session: Session, duty_ids: list[int]) -> dict[int, str]:
    if not duty_ids:
        return {}
    rows = session.execute(select(Duty.id, Duty.service_code).where(Duty.id.in_(duty_ids)))
    return dict(rows.all())


def item_dict(item: InboxItem, locale: str) -> dict:
    from webapp.core.i18n import localized

    return {
        "id": item.id,
        "title": localized(item.title, locale),
        "body": localized(item.body, locale),
        "duty_id": item.duty_id,
        "created_at": item.created_at,
        "read": item.read_at is not None,
    }


__all__ = ["Notification", "deliver", "unread_count", "latest", "mark_read", "item_dict"]
