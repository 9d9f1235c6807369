"""Consent per purpose, tag choices and the access log citizens can read."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.core.model_base import Base, utcnow

PURPOSES = ("personalized_recommendations", "email_reminders", "household_data", "training_data")


class Consent(Base):
    """One row per decision: the latest row per purpose is the current state."""

    __tablename__ = "consent"
    __table_args__ = (Index("ix_consent_account_purpose", "account_id", "purpose", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(40))
    granted: Mapped[bool]
    version: Mapped[str] = mapped_column(String(16), default="1")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TagPreference(Base):
    __tablename__ = "tag_preference"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), primary_key=True
    )
    tag_key: Mapped[str] = mapped_column(String(60), primary_key=True)
    enabled: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AccessLog(Base):
    """Who read a citizen's personal data, when, and for what purpose."""

    __tablename__ = "access_log"
    __table_args__ = (Index("ix_access_log_subject", "subject_account_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    actor_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL")
    )
    actor_label: Mapped[str] = mapped_column(String(120))
    what: Mapped[str] = mapped_column(String(60))
    purpose: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
