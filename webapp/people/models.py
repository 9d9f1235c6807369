"""A citizen's profile and household."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.model_base import Base, utcnow

GENDERS = ("male", "female")
EMPLOYMENT = ("employed", "self_employed", "unemployed", "retired", "student")
RETIREMENT_CATEGORIES = ("male", "female_cadre", "female_worker")
MARITAL_STATUSES = ("single", "married", "divorced", "widowed")
RELATIONS = ("child", "parent", "spouse")


class CitizenProfile(Base):
    __tablename__ = "citizen_profile"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), primary_key=True
    )
    full_name: Mapped[str | None] = mapped_column(String(100))
    # Fernet (core.security.crypto). Nothing else on the row holds any part of the number
    # beyond the region and birth date the profile shows anyway; the masked display is
    # computed from the decrypted value (services.masked_id_number).
    id_number_encrypted: Mapped[str | None] = mapped_column(String(255))
    birth_date: Mapped[date | None]
    gender: Mapped[str | None] = mapped_column(String(8))
    region_code: Mapped[str | None] = mapped_column(String(6))
    id_card_issued_on: Mapped[date | None]
    driver_license_issued_on: Mapped[date | None]
    driver_license_expires_on: Mapped[date | None]
    passport_issued_on: Mapped[date | None]
    passport_expires_on: Mapped[date | None]
    employment: Mapped[str | None] = mapped_column(String(16))
    retirement_category: Mapped[str | None] = mapped_column(String(16))
    marital_status: Mapped[str | None] = mapped_column(String(16))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Optimistic concurrency (see PageLayout.version): forms and If-Match carry it.
    version: Mapped[int] = mapped_column(server_default="1")

    account: Mapped[Account] = relationship(back_populates="profile")  # noqa: F821
    __mapper_args__ = {"version_id_col": version}


class HouseholdMember(Base):
    __tablename__ = "household_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    relation: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(100))
    birth_date: Mapped[date]
    gender: Mapped[str | None] = mapped_column(String(8))
    # 《个人信息保护法》第三十一条: a child under 14 needs the guardian's consent.
    guardian_consent_at: Mapped[datetime | None]
    deceased_on: Mapped[date | None]
    # The expiry follows from the law (《居民身份证法》第五条), like the account holder's.
    id_card_issued_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
