"""Facts a person (or an enterprise member) told us, each with its source and date.

A fact row belongs to exactly one subject: the account holder, one household member or
one enterprise; it is deleted with it. The fact keys and their vocabularies are
``lifecycle.eligibility.facts.FACTS`` (one definition of each fact).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from webapp.core.model_base import Base, utcnow


class ProfileFact(Base):
    __tablename__ = "profile_fact"
    __table_args__ = (UniqueConstraint("subject", "key", name="subject_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # "self:<account id>" | "household:<member id>" | "enterprise:<enterprise id>"
    subject: Mapped[str] = mapped_column(String(40), index=True)
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("household_member.id", ondelete="CASCADE"), index=True
    )
    enterprise_id: Mapped[int | None] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(40))
    value: Mapped[object] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(16), default="questionnaire")
    recorded_on: Mapped[date]
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
