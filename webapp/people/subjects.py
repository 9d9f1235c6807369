"""Build the lifecycle's plain subjects (Person, Enterprise) from database rows.

One builder for every area (page assembly, duty sync): the rows in, frozen dataclasses out.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from lifecycle.subjects import Document, Person
from lifecycle.subjects import Enterprise as EnterpriseSubject
from lifecycle.subjects import Permit as PermitSubject
from webapp.accounts.models import Account
from webapp.enterprise.models import Enterprise
from webapp.family.models import FamilyLink
from webapp.people.models import CitizenProfile, HouseholdMember


def _doc(issued, expires=None) -> Document | None:
    if issued is None and expires is None:
        return None
    return Document(issued_on=issued, expires_on=expires)


def person_from_rows(
    account: Account, profile: CitizenProfile | None, fallback_name: str | None = None
) -> Person:
    """The citizen as a lifecycle Person; ``fallback_name`` names someone without a name
    (the duty sync passes a stand-in it later words as "本人"/"you")."""
    name = (
        (profile.full_name if profile else None)
        or account.display_name
        or fallback_name
        or account.email.split("@")[0]
    )
    if profile is None:
        return Person(key=f"self:{account.id}", name=name, relation="self")
    return Person(
        key=f"self:{account.id}",
        name=name,
        relation="self",
        birth_date=profile.birth_date,
        gender=profile.gender,
        region_code=profile.region_code,
        employment=profile.employment,
        retirement_category=profile.retirement_category,
        marital_status=profile.marital_status,
        id_card=_doc(profile.id_card_issued_on),
        driver_license=_doc(profile.driver_license_issued_on, profile.driver_license_expires_on),
        passport=_doc(profile.passport_issued_on, profile.passport_expires_on),
    )


def member_person(
    member: HouseholdMember, region_code: str | None = None, name: str | None = None
) -> Person:
    """``name``: the member's own name when the entry is linked (``linked_names``)."""
    return Person(
        key=f"household:{member.id}",
        name=name or member.name,
        relation=member.relation,
        birth_date=member.birth_date,
        gender=member.gender,
        region_code=region_code,
        deceased_on=member.deceased_on,
        id_card=_doc(member.id_card_issued_on),
    )


def person_for_account(session: Session, account: Account) -> Person:
    return person_from_rows(account, session.get(CitizenProfile, account.id))


def household_rows(session: Session, account: Account) -> list[HouseholdMember]:
    return list(
        session.scalars(
            select(HouseholdMember)
            .where(HouseholdMember.account_id == account.id)
            .order_by(HouseholdMember.birth_date, HouseholdMember.id)
        )
    )


def household_persons(
    session: Session, account: Account, region_code: str | None = None
) -> list[Person]:
    """Household members as Persons; they share the account holder's region by default."""
    if region_code is None:
        profile = session.get(CitizenProfile, account.id)
        region_code = profile.region_code if profile else None
    return [member_person(m, region_code) for m in household_rows(session, account)]


def enterprise_subject(enterprise: Enterprise, permits=None) -> EnterpriseSubject:
    """The enterprise as a lifecycle Enterprise; ``permits`` when loaded in bulk."""
    return EnterpriseSubject(
        key=f"enterprise:{enterprise.id}",
        credit_code=enterprise.credit_code,
        name=enterprise.name,
        established_on=enterprise.established_on,
        industry=enterprise.industry,
        size=enterprise.size,
        region_code=enterprise.region_code,
        taxpayer_period=enterprise.taxpayer_period or "monthly",
        permits=tuple(
            PermitSubject(p.kind, p.number, p.issued_on, p.expires_on)
            for p in (enterprise.permits if permits is None else permits)
        ),
        deregistered_on=enterprise.deregistered_on,
    )


def linked_names(session: Session, members: list[HouseholdMember]) -> dict[int, str]:
    """The names of household entries linked to the member's own account (a family
    invitation accepted): the member's profile name, else their account's display name.
    Entries not linked (or whose account has no name) are absent: show what was typed."""
    ids = [m.id for m in members]
    if not ids:
        return {}
    rows = session.execute(
        select(FamilyLink.member_id, CitizenProfile.full_name, Account.display_name)
        .join(Account, Account.id == FamilyLink.linked_account_id)
        .outerjoin(CitizenProfile, CitizenProfile.account_id == FamilyLink.linked_account_id)
        .where(FamilyLink.member_id.in_(ids))
    )
    return {member_id: full or shown for member_id, full, shown in rows if full or shown}
