"""Reminder policy, the notification outbox, the in-app inbox and delivery settings."""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from webapp.core.model_base import Base, utcnow

CHANNELS = ("inbox", "email")
OUTBOX_STATUSES = (
    "pending",
    "claimed",
    "sent",
    "retry",
    "failed",
    "expired",
    "cancelled",
    "digested",
)


class ReminderPolicy(Base):
    """Lead times per duty rule, editable without a code change."""

    __tablename__ = "reminder_policy"

    rule: Mapped[str] = mapped_column(String(40), primary_key=True)
    # e.g. ["window", "30", "7", "1"]: when the window opens, and N days before the due date.
    leads: Mapped[list]
    enabled: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class NotificationSettings(Base):
    __tablename__ = "notification_settings"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), primary_key=True
    )
    email_enabled: Mapped[bool] = mapped_column(default=False)
    quiet_start: Mapped[time] = mapped_column(default=time(22, 0))
    quiet_end: Mapped[time] = mapped_column(default=time(8, 0))
    digest: Mapped[str] = mapped_column(String(8), default="none")  # none | daily | weekly
    weekly_email_budget: Mapped[int] = mapped_column(default=7)
    # Rules whose e-mails the user unsubscribed from with the one-click link.
    muted_rules: Mapped[list] = mapped_column(default=list)
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    last_digest_at: Mapped[datetime | None]


class Notification(Base):
    """The outbox: one row per (duty, recipient, channel, lead), delivered by dispatchers.
    The recipient is the duty's owner (an enterprise's responsible member), or a family
    member who asked for the owner's reminders (``webapp.family.reminder_recipients``)."""

    __tablename__ = "notification"
    __table_args__ = (
        UniqueConstraint(
            "duty_id", "account_id", "channel", "lead", name="uq_notification_duty_account_lead"
        ),
        Index("ix_notification_due", "status", "next_attempt_at"),
        Index("ix_notification_account", "account_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    duty_id: Mapped[int | None] = mapped_column(ForeignKey("duty.id", ondelete="SET NULL"))
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(8))
    lead: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    lease_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class InboxItem(Base):
    __tablename__ = "inbox_item"
    __table_args__ = (Index("ix_inbox_account", "account_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    notification_id: Mapped[int | None] = mapped_column(
        ForeignKey("notification.id", ondelete="SET NULL"), unique=True
    )
    duty_id: Mapped[int | None] = mapped_column(ForeignKey("duty.id", ondelete="SET NULL"))
    title: Mapped[dict]
    body: Mapped[dict]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]


class ReminderLeadChoice(Base):
    """A citizen's own lead time for one category of duty (``lifecycle`` rule family):
    ``days`` is the first reminder, that many days before the due date (1–90); ``None``
    switches the category's reminders off. Without a row the administrators' defaults apply."""

    __tablename__ = "reminder_lead_choice"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), primary_key=True
    )
    category: Mapped[str] = mapped_column(String(16), primary_key=True)
    days: Mapped[int | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
