"""Operational records: the admin audit trail, lifecycle parameters, scheduler heartbeat."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class AuditEntry(Base):
    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_created", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # A pseudonymous actor id survives the actor's account deletion.
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(60))
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[str | None] = mapped_column(String(80))
    before: Mapped[dict | None]
    after: Mapped[dict | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


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


class Heartbeat(Base):
    __tablename__ = "heartbeat"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    beat_at: Mapped[datetime] = mapped_column(default=utcnow)
    info: Mapped[dict] = mapped_column(default=dict)
