"""The person's own choices for their page: widgets, pins, hides."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.core.model_base import Base, utcnow

THEMES = ("standard", "elder", "dark")


class PageLayout(Base):
    __tablename__ = "page_layout"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), primary_key=True
    )
    # [{"key": "due_soon", "visible": true, "settings": {...}}, ...] in the user's order.
    widgets: Mapped[list]
    theme: Mapped[str] = mapped_column(String(12), default="standard")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Optimistic concurrency: every UPDATE says WHERE version = the version read, so of
    # two concurrent saves the second fails (409) instead of silently undoing the first.
    version: Mapped[int] = mapped_column(server_default="1")

    __mapper_args__ = {"version_id_col": version}


class PinnedService(Base):
    __tablename__ = "pinned_service"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), primary_key=True
    )
    service_id: Mapped[int] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class HiddenService(Base):
    """A recommended service the user marked "not relevant": never recommended again."""

    __tablename__ = "hidden_service"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), primary_key=True
    )
    service_id: Mapped[int] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
