"""Accounts, sessions and API tokens."""

from __future__ import annotations

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.model_base import Base, utcnow

ROLES = ("citizen", "business", "admin")
LOCALES = ("zh_Hans", "zh_Hant", "en")


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class Account(UserMixin, Base):
    __tablename__ = "account"
    # Ids are never reused (SQLite would otherwise hand a deleted account's id to the next
    # sign-up, and old pseudonyms, tokens and links would point at a new person).
    __table_args__ = {"sqlite_autoincrement": True}
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="citizen")
    locale: Mapped[str | None] = mapped_column(String(8))
    display_name: Mapped[str | None] = mapped_column(String(100))
    # The id Flask-Login keeps in the session: changes on logout and password change,
    # so a cookie copied before then stops working.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    password_changed_at: Mapped[datetime | None]
    # Reminder e-mails go only to a verified address (a mistyped one never gets them).
    email_verified_at: Mapped[datetime | None]

    profile: Mapped[CitizenProfile | None] = relationship(  # noqa: F821
        back_populates="account", uselist=False, cascade="all, delete-orphan"
    )

    def get_id(self) -> str:
        return self.session_token

    def rotate_session_token(self) -> None:
        self.session_token = new_session_token()

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


# E-mail addresses are unique case-insensitively.
Index("uq_account_email_lower", func.lower(Account.email), unique=True)


class ApiToken(Base):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    account: Mapped[Account] = relationship()


class AuthThrottle(Base):
    """Failed password checks per (account, client address), for backoff. ``key`` is a
    keyed hash: the table holds no e-mail address or IP address."""

    __tablename__ = "auth_throttle"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    blocked_until: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
