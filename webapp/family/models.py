"""Family links, invitations and mandates: acting for a family member with their consent."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.core.model_base import Base, utcnow

# What a mandate may allow. "view": the member's page, duties and entitlements; "reminders":
# receive the member's reminders; "act": mark duties done, snooze, reminder settings, profile.
SCOPES = ("view", "reminders", "act")
# How a mandate came to be: granted by the member, recorded by an admin in person, or the
# guardian's access to a linked minor (it ends on the 18th birthday).
KINDS = ("granted", "in_person", "guardian")
# At most one mandate granted by a member to one holder that is not revoked (active or
# expired): granting again updates or extends it (``mandates.grant``).
GRANTED_OPEN = "kind = 'granted' AND revoked_at IS NULL"


class FamilyInvitation(Base):
    """A single-use, expiring invitation for a household member to link their own account."""

    __tablename__ = "family_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("household_member.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    accepted_by: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None]


class FamilyLink(Base):
    """A household entry that refers to the member's own account (after an invitation)."""

    __tablename__ = "family_link"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("household_member.id", ondelete="CASCADE"), primary_key=True
    )
    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    linked_account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    linked_at: Mapped[datetime] = mapped_column(default=utcnow)


class Mandate(Base):
    """The member (grantor) lets another account (grantee) view or act for them."""

    __tablename__ = "family_mandate"
    __table_args__ = (
        Index("ix_family_mandate_pair", "grantee_id", "grantor_id"),
        Index(
            "uq_family_mandate_granted_open",
            "grantor_id",
            "grantee_id",
            unique=True,
            sqlite_where=text(GRANTED_OPEN),
            postgresql_where=text(GRANTED_OPEN),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # None for a person without an account (recorded in person): they are named by
    # ``grantor_name`` + ``grantor_email`` (or the holder's household entry ``member_id``)
    # and become the grantor when they sign up with that verified e-mail.
    grantor_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    grantee_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    grantor_name: Mapped[str | None] = mapped_column(String(120))
    grantor_email: Mapped[str | None] = mapped_column(String(254), index=True)
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("household_member.id", ondelete="SET NULL")
    )
    scopes: Mapped[list]
    kind: Mapped[str] = mapped_column(String(12), default="granted")
    valid_until: Mapped[date | None]
    elder_mode: Mapped[bool] = mapped_column(default=False)
    purpose: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    revoked_by: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    # The grantor saw it (an in-person mandate is shown to them on first sign-in).
    seen_at: Mapped[datetime | None]
    # The end was notified to both (a guardian's access at the minor's 18th birthday).
    ended_notice_at: Mapped[datetime | None]


class ReminderShare(Base):
    """A linked spouse asked to receive the reminders of the other's children's duties."""

    __tablename__ = "family_reminder_share"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), primary_key=True
    )
    spouse_account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
