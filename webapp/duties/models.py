"""Stored duties: what is due, for which subject, by which rule and law."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from webapp.core.model_base import Base, utcnow

SUBJECT_KINDS = ("self", "household", "enterprise")
DUTY_STATUSES = ("open", "done", "snoozed", "dismissed", "retired")
# Still to do: reminded, shown as due, counted as open. A snooze only delays reminders.
OPEN_STATUSES = ("open", "snoozed")


class Duty(Base):
    __tablename__ = "duty"
    __table_args__ = (
        UniqueConstraint(
            "subject_kind", "subject_id", "rule", "occurrence", name="uq_duty_subject"
        ),
        Index("ix_duty_due_status", "due_date", "status"),
        Index("ix_duty_window_status", "window_start", "status"),
        Index("ix_duty_owner", "owner_account_id", "due_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_kind: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[int]
    # The account the duty is shown to: the citizen for "self" and "household";
    # null for enterprise duties (shown to every member).
    owner_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE")
    )
    enterprise_id: Mapped[int | None] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), index=True
    )
    subject_name: Mapped[str] = mapped_column(String(200), default="")
    rule: Mapped[str] = mapped_column(String(40))
    occurrence: Mapped[str] = mapped_column(String(40))
    life_event: Mapped[str | None] = mapped_column(String(40))
    service_code: Mapped[str] = mapped_column(String(60))
    title: Mapped[dict]
    explanation: Mapped[dict]
    legal_basis: Mapped[str] = mapped_column(Text)
    window_start: Mapped[date]
    due_date: Mapped[date]
    provisional: Mapped[bool] = mapped_column(default=False)
    advisory: Mapped[bool] = mapped_column(default=False)
    # The due date rests on a document expiry computed from the law (not entered).
    computed_expiry: Mapped[bool] = mapped_column(default=False, server_default=false())
    status: Mapped[str] = mapped_column(String(16), default="open")
    snoozed_until: Mapped[date | None]
    status_changed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class TaxDeadlineOverride(Base):
    """The tax authority's published declaration deadline for a month."""

    __tablename__ = "tax_deadline_override"
    __table_args__ = (UniqueConstraint("year", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    month: Mapped[int]
    due_date: Mapped[date]
    note: Mapped[str | None] = mapped_column(String(200))


class LocalWindow(Base):
    """A local yearly window (school registration, resident medical insurance) per region."""

    __tablename__ = "local_window"
    __table_args__ = (UniqueConstraint("kind", "region_prefix"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))  # school_registration | medical_insurance
    region_prefix: Mapped[str] = mapped_column(String(6), default="")
    start_month: Mapped[int]
    start_day: Mapped[int]
    end_month: Mapped[int]
    end_day: Mapped[int]


class PublishedHolidays(Base):
    """A year's holiday arrangement as published by the State Council (entered by an admin
    or loaded from the catalog data); it wins over the calendar package and the fallback."""

    __tablename__ = "holiday_calendar"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(String(300))
    holidays: Mapped[list]  # ISO dates
    workdays: Mapped[list]  # ISO dates
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
