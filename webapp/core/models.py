"""Operational records: the admin audit trail, the scheduler heartbeat, the job table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.core.model_base import Base, utcnow


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


class Heartbeat(Base):
    __tablename__ = "heartbeat"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    beat_at: Mapped[datetime] = mapped_column(default=utcnow)
    info: Mapped[dict] = mapped_column(default=dict)


# The job table: work that must not run in a web request (model training, …). A job row
# is claimed by exactly one worker with a lease (core/queue.py); at most one queued or
# running job per kind.
JOB_ACTIVE = "status IN ('queued', 'running')"


class BackgroundJob(Base):
    __tablename__ = "background_job"
    __table_args__ = (
        Index(
            "uq_background_job_active_kind",
            "kind",
            unique=True,
            sqlite_where=text(JOB_ACTIVE),
            postgresql_where=text(JOB_ACTIVE),
        ),
        Index("ix_background_job_status", "status", "lease_until"),
        Index("ix_background_job_created", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    # queued → running → done | failed; an expired running lease is claimed again
    status: Mapped[str] = mapped_column(String(20), default="queued")
    payload: Mapped[dict] = mapped_column(default=dict)
    result: Mapped[dict | None]
    note: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=3)
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    lease_until: Mapped[datetime | None]
    # pseudonymous like the audit trail: no foreign key, survives the account's deletion
    requested_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
