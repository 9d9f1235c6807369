"""Roles inside an enterprise, members and invitations.

Staff read; a manager also edits permits and tax settings and invites staff and managers;
a legal representative also changes roles, removes members and manages every invitation.
Members can leave; the last legal representative can neither leave nor be removed or
demoted. An invitation is single-use (accepting is one conditional UPDATE), expires, and
is valid only while its inviter is still a legal representative or manager.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from webapp.accounts.models import Account
from webapp.core import signals
from webapp.core.model_base import utcnow
from webapp.core.schemas import CONTROL_CHARACTERS
from webapp.core.service_errors import Conflict, NotFound, ServiceError
from webapp.enterprise import claims
from webapp.enterprise.models import MEMBER_ROLES, Enterprise, Invitation, Membership

PERMISSIONS = {
    "read": frozenset(MEMBER_ROLES),
    "edit": frozenset({"legal_representative", "manager"}),
    "invite": frozenset({"legal_representative", "manager"}),
    "manage_members": frozenset({"legal_representative"}),
}
# The roles each role may hand out in an invitation.
GRANTABLE = {
    "legal_representative": MEMBER_ROLES,
    "manager": ("manager", "staff"),
    "staff": (),
}
INVITATION_TTL = timedelta(days=3)


@dataclass(frozen=True)
class NewInvitation:
    invitation: Invitation
    code: str  # shown once; only its hash is stored


def mask_email(email: str) -> str:
    local, _sep, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def can(membership: Membership | None, permission: str) -> bool:
    return membership is not None and membership.role in PERMISSIONS[permission]


def require(
    session: Session, account: Account, credit_code: str, permission: str
) -> tuple[Enterprise, Membership]:
    """The enterprise and the caller's membership if the role allows ``permission``;
    NotFound for non-members (never reveal that it exists), 403 for a weaker role."""
    row = session.execute(
        select(Enterprise, Membership)
        .join(Membership, Membership.enterprise_id == Enterprise.id)
        .where(
            Enterprise.credit_code == (credit_code or "").strip().upper(),
            Membership.account_id == account.id,
        )
    ).first()
    if row is None:
        raise NotFound(_("No such enterprise."))
    if not can(row[1], permission):
        raise ServiceError(
            "forbidden", _("Your role in this enterprise does not allow this."), None, 403
        )
    return row[0], row[1]


def _code_hash(code: str) -> str:
    return hashlib.sha256((code or "").strip().encode()).hexdigest()


def _valid_role(role: str) -> str:
    if role not in MEMBER_ROLES:
        raise ServiceError("invalid_role", _("Choose one of the offered values."), "role")
    return role


# ------------------------------------------------------------------ invitations


def invite(
    session: Session, account: Account, credit_code: str, role: str, note: str | None = None
) -> NewInvitation:
    enterprise, me = require(session, account, credit_code, "invite")
    if _valid_role(role) not in GRANTABLE[me.role]:
        raise ServiceError(
            "forbidden", _("Your role in this enterprise cannot grant this role."), "role", 403
        )
    if CONTROL_CHARACTERS.search(note or ""):  # the form's way in (the API: SingleLine)
        raise ServiceError(
            "control_characters",
            _("Enter this on one line, without line breaks, tabs or control characters."),
            "note",
            422,
        )
    code = secrets.token_urlsafe(24)
    now = utcnow()
    row = Invitation(
        enterprise_id=enterprise.id,
        code_hash=_code_hash(code),
        role=role,
        created_by_account_id=account.id,
        note=(note or "").strip()[:100] or None,
        created_at=now,
        expires_at=now + INVITATION_TTL,
    )
    session.add(row)
    session.flush()
    return NewInvitation(row, code)


def invitations(session: Session, account: Account, credit_code: str) -> list[Invitation]:
    """Open and past invitations: all for a legal representative, own for a manager."""
    enterprise, me = require(session, account, credit_code, "invite")
    stmt = select(Invitation).where(Invitation.enterprise_id == enterprise.id)
    if not can(me, "manage_members"):
        stmt = stmt.where(Invitation.created_by_account_id == account.id)
    return list(session.scalars(stmt.order_by(Invitation.created_at.desc(), Invitation.id.desc())))


def revoke(session: Session, account: Account, credit_code: str, invitation_id: int) -> None:
    enterprise, me = require(session, account, credit_code, "invite")
    row = session.get(Invitation, invitation_id)
    if row is None or row.enterprise_id != enterprise.id:
        raise NotFound(_("No such invitation."))
    if not can(me, "manage_members") and row.created_by_account_id != account.id:
        raise NotFound(_("No such invitation."))
    if row.accepted_at is None and row.revoked_at is None:
        row.revoked_at = utcnow()
        session.flush()


def invitation_state(row: Invitation, now: datetime) -> str:
    if row.accepted_at is not None:
        return "accepted"
    if row.revoked_at is not None:
        return "revoked"
    if row.expires_at <= now:
        return "expired"
    return "open"


def invitation_dict(row: Invitation, now: datetime) -> dict:
    return {
        "id": row.id,
        "role": row.role,
        "note": row.note,
        "created_at": row.created_at,
        "expires_at": row.expires_at,
        "state": invitation_state(row, now),
    }


def _gone() -> ServiceError:
    return ServiceError(
        "invitation_invalid",
        _("This invitation is not valid: it was used, revoked or has expired."),
        "code",
        410,
    )


def accept(session: Session, account: Account, code: str) -> Membership:
    """Join the invitation's enterprise with its role. Single use: a second acceptance,
    a revoked or an expired invitation, or one whose inviter lost the right, answers 410."""
    row = session.scalar(select(Invitation).where(Invitation.code_hash == _code_hash(code)))
    if row is None:
        raise NotFound(_("No such invitation."))
    now = utcnow()
    inviter = session.scalar(
        select(Membership).where(
            Membership.enterprise_id == row.enterprise_id,
            Membership.account_id == row.created_by_account_id,
        )
    )
    if inviter is None or row.role not in GRANTABLE[inviter.role]:
        raise _gone()
    if session.scalar(
        select(Membership).where(
            Membership.enterprise_id == row.enterprise_id, Membership.account_id == account.id
        )
    ):
        raise Conflict("already_member", _("You are already a member of this enterprise."))
    taken = session.execute(
        update(Invitation)
        .where(
            Invitation.id == row.id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
        )
        .values(accepted_at=now, accepted_by_account_id=account.id)
    )
    if taken.rowcount != 1:
        raise _gone()
    membership = Membership(
        account_id=account.id,
        enterprise_id=row.enterprise_id,
        role=row.role,
        verified_via="invitation",
        created_at=now,
    )
    session.add(membership)
    session.flush()
    enterprise = session.get(Enterprise, row.enterprise_id)
    claims.close_for_member(session, account.id, enterprise.credit_code, f"invitation #{row.id}")
    signals.subject_changed(session, "enterprise", enterprise.id)
    return membership


# ------------------------------------------------------------------ members


def members(
    session: Session, account: Account, credit_code: str
) -> list[tuple[Membership, Account]]:
    enterprise, _me = require(session, account, credit_code, "read")
    rows = session.execute(
        select(Membership, Account)
        .join(Account, Account.id == Membership.account_id)
        .where(Membership.enterprise_id == enterprise.id)
        .order_by(Membership.role, Account.id)
    ).all()
    return [(m, a) for m, a in rows]


def member_dict(membership: Membership, account: Account, me: Account) -> dict:
    return {
        "id": membership.id,
        "name": account.display_name or mask_email(account.email),
        "role": membership.role,
        "you": account.id == me.id,
        "since": membership.created_at,
    }


def _legal_representatives(session: Session, enterprise_id: int) -> int:
    return session.scalar(
        select(func.count(Membership.id)).where(
            Membership.enterprise_id == enterprise_id,
            Membership.role == "legal_representative",
        )
    )


def _target(session: Session, enterprise: Enterprise, membership_id: int) -> Membership:
    row = session.get(Membership, membership_id, with_for_update=True)
    if row is None or row.enterprise_id != enterprise.id:
        raise NotFound(_("No such member."))
    return row


def _keep_a_legal_representative(session: Session, row: Membership) -> None:
    if (
        row.role == "legal_representative"
        and _legal_representatives(session, row.enterprise_id) <= 1
    ):
        raise Conflict(
            "last_legal_representative",
            _("An enterprise keeps at least one legal representative. Appoint another first."),
        )


def _lock_members(session: Session, enterprise_id: int) -> None:
    """Serialise role changes of one enterprise (PostgreSQL row lock; SQLite locks the file)."""
    session.execute(
        select(Enterprise.id).where(Enterprise.id == enterprise_id).with_for_update()
    ).all()


def change_role(
    session: Session, account: Account, credit_code: str, membership_id: int, role: str
) -> Membership:
    enterprise, _me = require(session, account, credit_code, "manage_members")
    _lock_members(session, enterprise.id)
    row = _target(session, enterprise, membership_id)
    if _valid_role(role) != row.role:
        _keep_a_legal_representative(session, row)
        row.role = role
        session.flush()
    return row


def remove(session: Session, account: Account, credit_code: str, membership_id: int) -> None:
    enterprise, me = require(session, account, credit_code, "read")
    _lock_members(session, enterprise.id)
    row = _target(session, enterprise, membership_id)
    if row.id != me.id and not can(me, "manage_members"):
        raise ServiceError(
            "forbidden", _("Your role in this enterprise does not allow this."), None, 403
        )
    _keep_a_legal_representative(session, row)
    session.delete(row)
    session.flush()
    signals.subject_changed(session, "enterprise", enterprise.id)


def leave(session: Session, account: Account, credit_code: str) -> None:
    _enterprise, me = require(session, account, credit_code, "read")
    remove(session, account, credit_code, me.id)
