"""Admin-tuned recommendation rules, their published versions, and trained models."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.core.model_base import Base, utcnow

RULE_ACTIONS = ("boost", "bury", "pin", "hide")


class RecRule(Base):
    """A draft rule; publishing snapshots all drafts into a RuleVersion."""

    __tablename__ = "rec_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    enabled: Mapped[bool] = mapped_column(default=True)
    action: Mapped[str] = mapped_column(String(8))
    weight: Mapped[float] = mapped_column(default=0.0)
    position: Mapped[int | None]
    targets: Mapped[dict]
    segment: Mapped[dict]
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]
    priority: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class RuleVersion(Base):
    __tablename__ = "rule_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(unique=True)
    rules: Mapped[list]
    blend_params: Mapped[dict]
    note: Mapped[str | None] = mapped_column(Text)
    is_current: Mapped[bool] = mapped_column(default=False)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))


class ModelVersion(Base):
    __tablename__ = "model_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(40), unique=True)
    path: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(16), default="training")
    active: Mapped[bool] = mapped_column(default=False)
    metrics: Mapped[dict] = mapped_column(default=dict)
    baselines: Mapped[dict] = mapped_column(default=dict)
    metadata_: Mapped[dict] = mapped_column("metadata", default=dict)
    note: Mapped[str | None] = mapped_column(Text)
    progress: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]


class Setting(Base):
    """Small key/value settings editable by admins (blend parameters, etc.)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[dict]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
