"""Enterprises, memberships and permits."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.model_base import Base, utcnow

# Roles inside an enterprise, most powerful first: staff read; a manager also edits permits
# and tax settings and invites staff and managers; a legal representative also manages
# members and every invitation.
MEMBER_ROLES = ("legal_representative", "manager", "staff")
# How a membership was verified.
VERIFIED_VIA = ("review", "invitation", "demo")
# A claim is open while pending; a reviewer approves or rejects it; its owner may withdraw it.
CLAIM_STATUSES = ("pending", "approved", "rejected", "withdrawn")
SIZES = ("micro", "small", "medium", "large")
TAXPAYER_PERIODS = ("monthly", "quarterly")


class Enterprise(Base):
    __tablename__ = "enterprise"

    id: Mapped[int] = mapped_column(primary_key=True)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    established_on: Mapped[date]
    industry: Mapped[str | None] = mapped_column(String(40))
    size: Mapped[str | None] = mapped_column(String(16))
    region_code: Mapped[str | None] = mapped_column(String(6))
    taxpayer_period: Mapped[str] = mapped_column(String(16), default="monthly")
    deregistered_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="enterprise", cascade="all, delete-orphan"
    )
    permits: Mapped[list[Permit]] = relationship(
        back_populates="enterprise", cascade="all, delete-orphan", order_by="Permit.id"
    )


class Membership(Base):
    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("account_id", "enterprise_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(24), default="staff")
    verified_via: Mapped[str] = mapped_column(String(16), default="review", server_default="review")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    enterprise: Mapped[Enterprise] = relationship(back_populates="memberships")
    account: Mapped[Account] = relationship()  # noqa: F821


class Permit(Base):
    __tablename__ = "permit"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    number: Mapped[str] = mapped_column(String(60))
    issued_on: Mapped[date | None]
    expires_on: Mapped[date | None]

    enterprise: Mapped[Enterprise] = relationship(back_populates="permits")


class EnterpriseClaim(Base):
    """A request to act for an enterprise. Until a reviewer approves it, it grants nothing
    and shows nothing of the enterprise's stored data. The details are the claimant's own
    words; the enterprise row is created from them only on approval of a new code."""

    __tablename__ = "enterprise_claim"
    __table_args__ = (
        # One open claim per account and code (a repeated link answers with the same claim).
        Index(
            "uq_enterprise_claim_open",
            "account_id",
            "credit_code",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    credit_code: Mapped[str] = mapped_column(String(18), index=True)
    name: Mapped[str] = mapped_column(String(200))
    established_on: Mapped[date]
    industry: Mapped[str | None] = mapped_column(String(40))
    size: Mapped[str | None] = mapped_column(String(16))
    region_code: Mapped[str | None] = mapped_column(String(6))
    taxpayer_period: Mapped[str] = mapped_column(String(16), default="monthly")
    role: Mapped[str] = mapped_column(String(24), default="legal_representative")
    status: Mapped[str] = mapped_column(String(16), default="pending")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    reviewer_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL")
    )
    evidence: Mapped[str | None] = mapped_column(Text)
    purpose: Mapped[str | None] = mapped_column(Text)


class ClaimFailure(Base):
    """A claim with details that do not match the registered enterprise (for throttling)."""

    __tablename__ = "enterprise_claim_failure"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    credit_code: Mapped[str] = mapped_column(String(18), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class Invitation(Base):
    """A single-use, expiring invitation to join an enterprise with a role the inviter chose.
    Only a hash of the code is stored; the code is shown once to the inviter."""

    __tablename__ = "enterprise_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(24))
    created_by_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL")
    )
    note: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    accepted_by_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL")
    )
    revoked_at: Mapped[datetime | None]
