"""Linking a household member to their own account: single-use, expiring invitations.

Until the member accepts, what the citizen typed stays theirs and is shown as not confirmed
by the member ("未经本人确认"); it feeds only the citizen's own page. On acceptance the
household entry refers to the member's account (a ``FamilyLink``). Either side can unlink;
unlinking revokes the mandates between the two. A child under 14 is not invited: the
guardian keeps the entry with the guardian's consent (《个人信息保护法》第三十一条). A minor
aged 14 to 17 may link their own account; the guardian then holds a guardian mandate that
ends on the 18th birthday (see ``mandates.end_guardian_access``).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from webapp.accounts.models import Account
from webapp.core import clock, signals
from webapp.core.service_errors import Conflict, NotFound, ServiceError
from webapp.family import notify
from webapp.family.models import FamilyInvitation, FamilyLink, Mandate
from webapp.people.models import CitizenProfile, HouseholdMember

INVITATION_DAYS = 7
MIN_INVITE_AGE = 14
ADULT_AGE = 18


@dataclass(frozen=True)
class InvitationState:
    member_id: int
    status: str  # none | pending | expired | accepted
    expires_at: datetime | None
    linked_account_id: int | None
    token: str | None = None  # only right after creation


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def eighteenth_birthday(birth: date) -> date:
    try:
        return birth.replace(year=birth.year + ADULT_AGE)
    except ValueError:  # 29 February
        return date(birth.year + ADULT_AGE, 3, 1)


def person_name(session: Session, account_id: int) -> str:
    """How the family sees an account: the profile's name, else the display name."""
    profile = session.get(CitizenProfile, account_id)
    if profile is not None and profile.full_name:
        return profile.full_name
    account = session.get(Account, account_id)
    if account is None:
        return "—"
    return account.display_name or account.email.split("@", 1)[0]


def own_member(session: Session, account: Account, member_id: int) -> HouseholdMember:
    member = session.get(HouseholdMember, member_id)
    if member is None or member.account_id != account.id:
        raise NotFound(_("No such household member."))
    return member


def link_of(session: Session, member_id: int) -> FamilyLink | None:
    return session.get(FamilyLink, member_id)


def _latest(session: Session, member_id: int) -> FamilyInvitation | None:
    return session.scalar(
        select(FamilyInvitation)
        .where(FamilyInvitation.member_id == member_id, FamilyInvitation.revoked_at.is_(None))
        .order_by(FamilyInvitation.id.desc())
        .limit(1)
    )


def invitation_state(session: Session, account: Account, member_id: int) -> InvitationState:
    member = own_member(session, account, member_id)
    link = link_of(session, member.id)
    if link is not None:
        return InvitationState(member.id, "accepted", None, link.linked_account_id)
    invite = _latest(session, member.id)
    if invite is None or invite.accepted_at is not None:
        return InvitationState(member.id, "none", None, None)
    status = "pending" if invite.expires_at > clock.now() else "expired"
    return InvitationState(member.id, status, invite.expires_at, None)


def invite(
    session: Session, account: Account, member_id: int, today: date | None = None
) -> InvitationState:
    """A new invitation for the member (replacing an earlier unused one); the token is
    returned once and stored only as a hash."""
    today = today or clock.local_today()
    member = own_member(session, account, member_id)
    if member.deceased_on is not None:
        raise ServiceError("deceased", _("This member's death has been recorded."))
    if age_on(member.birth_date, today) < MIN_INVITE_AGE:
        raise ServiceError(
            "too_young",
            _("A child under 14 is not invited: you keep the entry as their guardian."),
        )
    if link_of(session, member.id) is not None:
        raise Conflict("already_linked", _("This member's own account is already linked."))
    now = clock.now()
    for old in session.scalars(
        select(FamilyInvitation).where(
            FamilyInvitation.member_id == member.id,
            FamilyInvitation.accepted_at.is_(None),
            FamilyInvitation.revoked_at.is_(None),
        )
    ):
        old.revoked_at = now
    token = secrets.token_urlsafe(24)
    row = FamilyInvitation(
        account_id=account.id,
        member_id=member.id,
        token_hash=hash_token(token),
        created_at=now,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    session.add(row)
    session.flush()
    return InvitationState(member.id, "pending", row.expires_at, None, token)


def accept(session: Session, account: Account, token: str, today: date | None = None) -> FamilyLink:
    """The member accepts with their own account. An unknown, used, revoked or expired token
    is a 404 (it reveals nothing about other invitations)."""
    today = today or clock.local_today()
    row = session.scalar(
        select(FamilyInvitation).where(FamilyInvitation.token_hash == hash_token(token))
    )
    if (
        row is None
        or row.accepted_at is not None
        or row.revoked_at is not None
        or row.expires_at <= clock.now()
    ):
        raise NotFound(_("This invitation is not valid: it was used, withdrawn or has expired."))
    if row.account_id == account.id:
        raise ServiceError("own_invitation", _("You cannot accept your own invitation."))
    if account.role != "citizen":
        raise ServiceError("not_citizen", _("Only a citizen account can be linked."))
    member = session.get(HouseholdMember, row.member_id)
    if member is None or link_of(session, member.id) is not None:
        raise NotFound(_("This invitation is not valid: it was used, withdrawn or has expired."))
    row.accepted_at = clock.now()
    row.accepted_by = account.id
    link = FamilyLink(member_id=member.id, account_id=row.account_id, linked_account_id=account.id)
    session.add(link)
    if age_on(member.birth_date, today) < ADULT_AGE:
        # The guardian's access to the linked minor ends on the 18th birthday.
        session.add(
            Mandate(
                grantor_id=account.id,
                grantee_id=row.account_id,
                scopes=["view", "reminders", "act"],
                kind="guardian",
                valid_until=eighteenth_birthday(member.birth_date) - timedelta(days=1),
                purpose="guardian",
                seen_at=clock.now(),
            )
        )
    session.flush()
    from webapp.family import in_person  # in_person imports this module

    in_person.attach_member(session, member.id, account.id)
    # The typed copy stops producing duties: the member's own account has them.
    signals.subject_changed(session, "household", member.id)
    return link


def links_for(session: Session, account_id: int) -> list[FamilyLink]:
    """Links where the account is either the citizen or the linked member."""
    return list(
        session.scalars(
            select(FamilyLink)
            .where(
                or_(FamilyLink.account_id == account_id, FamilyLink.linked_account_id == account_id)
            )
            .order_by(FamilyLink.linked_at)
        )
    )


def are_linked(session: Session, a: int, b: int) -> bool:
    return (
        session.scalar(
            select(FamilyLink.member_id)
            .where(
                or_(
                    (FamilyLink.account_id == a) & (FamilyLink.linked_account_id == b),
                    (FamilyLink.account_id == b) & (FamilyLink.linked_account_id == a),
                )
            )
            .limit(1)
        )
        is not None
    )


def unlink(session: Session, account: Account, member_id: int) -> None:
    """Either side ends the link; the mandates between the two are revoked with it."""
    link = link_of(session, member_id)
    if link is None or account.id not in (link.account_id, link.linked_account_id):
        raise NotFound(_("No such link."))
    now = clock.now()
    pair = {link.account_id, link.linked_account_id}
    for mandate in session.scalars(
        select(Mandate).where(
            Mandate.grantor_id.in_(pair), Mandate.grantee_id.in_(pair), Mandate.revoked_at.is_(None)
        )
    ):
        mandate.revoked_at = now
        mandate.revoked_by = account.id
    for holder, owner in (
        (link.account_id, link.linked_account_id),
        (link.linked_account_id, link.account_id),
    ):
        notify.stop_pending(session, holder, owner)
    session.delete(link)
    session.flush()
    # The typed copy is the citizen's again and produces duties.
    signals.subject_changed(session, "household", member_id)
