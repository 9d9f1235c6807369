"""What people do with services: the recommender's training signal."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.core.model_base import Base, utcnow

INTERACTION_KINDS = ("impression", "view", "pin", "apply", "complete", "dismiss")
INTERACTION_SOURCES = ("page", "search", "recommendation", "catalog", "bundle", "duty", "api")


class Interaction(Base):
    __tablename__ = "interaction"
    __table_args__ = (
        Index("ix_interaction_account", "account_id", "created_at"),
        Index("ix_interaction_created", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    enterprise_id: Mapped[int | None] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE")
    )
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(12))
    source: Mapped[str] = mapped_column(String(16), default="page")
    rule_id: Mapped[int | None]
    model_version: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
