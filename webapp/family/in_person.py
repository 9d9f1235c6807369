"""Mandates given in person at a service counter, by an elderly parent who may not have an
account yet.

An admin records the mandate with the evidence seen and the purpose (an audit entry): the
parent is either a citizen account, or a person named by name + e-mail, or the holder's
own household entry for them. A mandate for a person without an account has no grantor
yet; it is attached to the account that signs up with that e-mail once the address is
verified (or that links the household entry by invitation), and shown to them on their
first sign-in, where they confirm or revoke it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.accounts.models import Account
from webapp.core import audit, clock
from webapp.core.service_errors import NotFound, ServiceError
from webapp.family.mandates import check_scopes, check_until
from webapp.family.models import FamilyLink, Mandate
from webapp.people.models import HouseholdMember


@dataclass(frozen=True)
class Grantor:
    """Who gave the mandate: exactly one of an account, name + e-mail, or a household entry."""

    account_id: int | None = None
    name: str | None = None
    email: str | None = None
    member_id: int | None = None


def _citizen(session: Session, account_id: int | None) -> Account | None:
    account = session.get(Account, account_id) if account_id else None
    return account if account is not None and account.role == "citizen" else None


def _resolve(session: Session, grantor: Grantor, grantee: Account) -> tuple:
    """(grantor account id or None, name, e-mail, member id) after the checks."""
    # An e-mail may go with a household entry (either way finds the parent later).
    given = [grantor.account_id is not None, bool(grantor.email) or grantor.member_id is not None]
    if sum(given) != 1:
        raise ServiceError(
            "grantor_required",
            _("Identify the person by their account, by name and e-mail, or by a household entry."),
        )
    if grantor.account_id is not None:
        account = _citizen(session, grantor.account_id)
        if account is None or account.id == grantee.id:
            raise NotFound(_("No such citizen."))
        return account.id, None, None, None
    if grantor.member_id is not None:
        member = session.get(HouseholdMember, grantor.member_id)
        if member is None or member.account_id != grantee.id:
            raise NotFound(_("No such household member."))
        link = session.get(FamilyLink, member.id)
        if link is not None:  # the entry already refers to the member's own account
            return link.linked_account_id, None, None, None
        email = (grantor.email or "").strip().lower() or None
        if email is not None and "@" not in email:
            raise ServiceError("grantor_required", _("Give the person's name and e-mail address."))
        return None, member.name, email, member.id
    name = (grantor.name or "").strip()
    email = (grantor.email or "").strip().lower()
    if not name or "@" not in email:
        raise ServiceError("grantor_required", _("Give the person's name and e-mail address."))
    return None, name[:120], email[:254], None


def record(
    session: Session,
    admin: Account,
    grantor: Grantor,
    grantee_id: int,
    scopes: list[str],
    evidence: str,
    purpose: str,
    valid_until: date | None = None,
    elder_mode: bool = True,
    today: date | None = None,
) -> Mandate:
    """Record a mandate given in person; the evidence, the purpose and an audit entry are
    kept. Bad input raises before anything is written."""
    today = today or clock.local_today()
    grantee = _citizen(session, grantee_id)
    if grantee is None:
        raise NotFound(_("No such citizen."))
    if not evidence.strip() or not purpose.strip():
        raise ServiceError("evidence_required", _("State the evidence seen and the purpose."))
    grantor_id, name, email, member_id = _resolve(session, grantor, grantee)
    chosen = check_scopes(scopes)
    check_until(valid_until, today)
    row = Mandate(
        grantor_id=grantor_id,
        grantee_id=grantee.id,
        grantor_name=name,
        grantor_email=email,
        member_id=member_id,
        scopes=chosen,
        kind="in_person",
        valid_until=valid_until,
        elder_mode=elder_mode,
        purpose=purpose.strip(),
        evidence=evidence.strip(),
        recorded_by=admin.id,
    )
    session.add(row)
    session.flush()
    target = str(grantor_id) if grantor_id is not None else f"pending:{row.id}"
    audit.record(
        session,
        admin.id,
        "create",
        "citizen",
        target,
        after={
            "mandate": row.id,
            "grantee": grantee.id,
            "grantor_name": name,
            "grantor_email": email,
            "member": member_id,
            "scopes": chosen,
            "valid_until": valid_until,
            "evidence": row.evidence,
            "purpose": row.purpose,
        },
    )
    return row


def attach(session: Session, account: Account) -> int:
    """Give the account the mandates recorded for its verified e-mail address (never for an
    unverified one: anybody can type an address); they are then shown to it, unconfirmed."""
    if account.role != "citizen" or account.email_verified_at is None:
        return 0
    rows = list(
        session.scalars(
            select(Mandate).where(
                Mandate.grantor_id.is_(None),
                Mandate.revoked_at.is_(None),
                func.lower(Mandate.grantor_email) == account.email.lower(),
                Mandate.grantee_id != account.id,
            )
        )
    )
    for row in rows:
        row.grantor_id = account.id
        row.seen_at = None
    session.flush()
    return len(rows)


def unseen_or_attach(session: Session, account: Account) -> bool:
    """Whether the account has a mandate to be shown (unseen), attaching in the same query
    those recorded for its verified e-mail address (the personal page's one check)."""
    mine = Mandate.grantor_id == account.id
    if account.role == "citizen" and account.email_verified_at is not None:
        mine = mine | (
            Mandate.grantor_id.is_(None)
            & Mandate.revoked_at.is_(None)
            & (func.lower(Mandate.grantor_email) == account.email.lower())
            & (Mandate.grantee_id != account.id)
        )
    rows = list(session.scalars(select(Mandate).where(mine, Mandate.seen_at.is_(None))))
    for row in rows:
        if row.grantor_id is None:
            row.grantor_id = account.id
    session.flush()
    return bool(rows)


def attach_member(session: Session, member_id: int, account_id: int) -> int:
    """The household entry was linked to the member's account: mandates recorded in person
    for that entry are now theirs (shown unconfirmed)."""
    rows = list(
        session.scalars(
            select(Mandate).where(
                Mandate.grantor_id.is_(None),
                Mandate.member_id == member_id,
                Mandate.revoked_at.is_(None),
            )
        )
    )
    for row in rows:
        row.grantor_id = account_id
        row.seen_at = None
    session.flush()
    return len(rows)


def to_confirm(session: Session, account_id: int) -> list[Mandate]:
    """Mandates recorded before the member had an account, not yet confirmed or revoked."""
    return list(
        session.scalars(
            select(Mandate).where(
                Mandate.grantor_id == account_id,
                Mandate.seen_at.is_(None),
                Mandate.revoked_at.is_(None),
                (Mandate.grantor_email.is_not(None)) | (Mandate.member_id.is_not(None)),
            )
        )
    )


def confirm(session: Session, account: Account, mandate_id: int) -> Mandate:
    """The member confirms a mandate recorded for them in person."""
    row = session.get(Mandate, mandate_id)
    if row is None or row.grantor_id != account.id or row.revoked_at is not None:
        raise NotFound(_("No such mandate."))
    if row.seen_at is None:
        row.seen_at = clock.now()
    session.flush()
    return row
