"""A citizen's profile and household: read, replace, validate against each other."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from lifecycle.identifiers import mask_id_number
from webapp import reminders
from webapp.accounts.models import Account
from webapp.core import signals
from webapp.core.clock import local_today
from webapp.core.model_base import utcnow
from webapp.core.security.crypto import decrypt, encrypt
from webapp.core.service_errors import NotFound, ServiceError, check_version
from webapp.people.household_schemas import HouseholdIn
from webapp.people.models import CitizenProfile, HouseholdMember
from webapp.people.schemas import ProfileIn

# After a death: the 身后一件事 bundle, and the duties of the survivors that stay reminded.
AFTER_DEATH_BUNDLE = "bundle_death"
AFTER_DEATH_RULES = ("death_registration",)


def get_profile(session: Session, account: Account) -> CitizenProfile:
    profile = session.get(CitizenProfile, account.id)
    if profile is None:
        profile = CitizenProfile(account_id=account.id)
        session.add(profile)
    return profile


def id_number(profile: CitizenProfile | None) -> str | None:
    """The decrypted resident ID number (None without one or with no fitting key)."""
    if profile is None or not profile.id_number_encrypted:
        return None
    return decrypt(profile.id_number_encrypted)


def masked_id_number(profile: CitizenProfile | None) -> str | None:
    """The ID number masked so that it shows nothing the profile does not show already."""
    number = id_number(profile)
    if number is None:
        return None
    return mask_id_number(number, profile.region_code, profile.birth_date)


def _passport(profile: CitizenProfile) -> dict | None:
    from lifecycle.rules.identity import passport_expiry  # 《护照法》第七条

    issued, expires = profile.passport_issued_on, profile.passport_expires_on
    if issued is None and expires is None:
        return None
    if expires is None and issued is not None and profile.birth_date is not None:
        return {
            "issued_on": issued,
            "expires_on": passport_expiry(profile.birth_date, issued),
            "expiry_computed": True,
        }
    return {"issued_on": issued, "expires_on": expires}


def profile_dict(profile: CitizenProfile | None) -> dict:
    if profile is None:
        return {}

    def doc(issued, expires):
        return (
            None
            if issued is None and expires is None
            else {"issued_on": issued, "expires_on": expires}
        )

    from lifecycle.rules.identity import id_card_expiry  # validity by 《居民身份证法》第五条

    id_card = None
    if profile.id_card_issued_on:
        expiry = (
            id_card_expiry(profile.birth_date, profile.id_card_issued_on)
            if profile.birth_date
            else None
        )
        id_card = {
            "issued_on": profile.id_card_issued_on,
            "expires_on": expiry,
            "expiry_computed": expiry is not None,
        }
    return {
        "full_name": profile.full_name,
        "id_number_masked": masked_id_number(profile),
        "birth_date": profile.birth_date,
        "gender": profile.gender,
        "region_code": profile.region_code,
        "id_card": id_card,
        "driver_license": doc(profile.driver_license_issued_on, profile.driver_license_expires_on),
        "passport": _passport(profile),
        "employment": profile.employment,
        "retirement_category": profile.retirement_category,
        "marital_status": profile.marital_status,
        "version": profile.version,
    }


def _check_household_ages(session: Session, account_id: int, birth_date) -> None:
    if birth_date is None:
        return
    for member in session.scalars(
        select(HouseholdMember).where(HouseholdMember.account_id == account_id)
    ):
        if member.relation == "child" and member.birth_date <= birth_date:
            raise ServiceError(
                "impossible_date",
                _("%(name)s cannot be older than you.", name=member.name),
                "birth_date",
            )
        if member.relation == "parent" and member.birth_date >= birth_date:
            raise ServiceError(
                "impossible_date",
                _("%(name)s cannot be younger than you.", name=member.name),
                "birth_date",
            )


def replace_profile(
    session: Session, account: Account, data: ProfileIn, expected_version: int | None = None
) -> CitizenProfile:
    """Replace the profile with ``data`` (PUT semantics: absent fields are cleared).
    ``expected_version`` (a form's version, If-Match) must be the stored one (0: none yet);
    of two concurrent saves the second fails with a conflict instead of undoing the first."""
    _check_household_ages(session, account.id, data.birth_date)
    profile = get_profile(session, account)
    check_version(
        profile.version or 0,
        expected_version,
        lambda: _("Your profile was changed elsewhere in the meantime. Reload it and try again."),
    )
    if data.id_number:
        profile.id_number_encrypted = encrypt(data.id_number)
    profile.full_name = data.full_name
    profile.birth_date = data.birth_date
    profile.gender = data.gender
    profile.region_code = data.region_code
    profile.id_card_issued_on = data.id_card.issued_on if data.id_card else None
    profile.driver_license_issued_on = (
        data.driver_license.issued_on if data.driver_license else None
    )
    profile.driver_license_expires_on = (
        data.driver_license.expires_on if data.driver_license else None
    )
    profile.passport_issued_on = data.passport.issued_on if data.passport else None
    profile.passport_expires_on = data.passport.expires_on if data.passport else None
    profile.employment = data.employment
    profile.retirement_category = data.retirement_category
    profile.marital_status = data.marital_status
    profile.updated_at = utcnow()
    session.flush()
    signals.subject_changed(session, "self", account.id)
    return profile


def get_member(session: Session, account: Account, member_id: int) -> HouseholdMember:
    member = session.get(HouseholdMember, member_id)
    if member is None or member.account_id != account.id:
        raise NotFound(_("No such household member."))
    return member


def _age(birth, today) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _validate_member(session: Session, account: Account, data: HouseholdIn) -> None:
    profile = session.get(CitizenProfile, account.id)
    own = profile.birth_date if profile else None
    if own and data.relation == "child" and data.birth_date <= own:
        raise ServiceError(
            "impossible_date", _("A child cannot be older than the parent."), "birth_date"
        )
    if own and data.relation == "parent" and data.birth_date >= own:
        raise ServiceError(
            "impossible_date", _("A parent cannot be younger than you."), "birth_date"
        )
    if (
        data.relation == "child"
        and _age(data.birth_date, local_today()) < 14
        and not data.guardian_consent
    ):
        raise ServiceError(
            "guardian_consent_required",
            _(
                "For a child under 14, the guardian's consent is required "
                "(Personal Information Protection Law, art. 31)."
            ),
            "guardian_consent",
        )


def add_member(session: Session, account: Account, data: HouseholdIn) -> HouseholdMember:
    _validate_member(session, account, data)
    member = HouseholdMember(
        account_id=account.id,
        relation=data.relation,
        name=data.name,
        birth_date=data.birth_date,
        gender=data.gender,
        id_card_issued_on=data.id_card_issued_on,
        guardian_consent_at=utcnow() if data.guardian_consent else None,
    )
    session.add(member)
    session.flush()
    signals.subject_changed(session, "household", member.id)
    return member


def update_member(
    session: Session, account: Account, member_id: int, data: HouseholdIn
) -> HouseholdMember:
    member = get_member(session, account, member_id)
    _validate_member(session, account, data)
    member.relation = data.relation
    member.name = data.name
    member.birth_date = data.birth_date
    member.gender = data.gender
    member.id_card_issued_on = data.id_card_issued_on
    if data.guardian_consent and member.guardian_consent_at is None:
        member.guardian_consent_at = utcnow()
    elif not data.guardian_consent:
        member.guardian_consent_at = None
    member.updated_at = utcnow()
    session.flush()
    signals.subject_changed(session, "household", member.id)
    return member


def remove_member(session: Session, account: Account, member_id: int) -> None:
    member = get_member(session, account, member_id)
    session.delete(member)
    session.flush()
    signals.subject_removed(session, "household", member_id)


def record_death(
    session: Session, account: Account, member_id: int, deceased_on: date, today: date
) -> HouseholdMember:
    """Record that a household member has died (《户口登记条例》第八条: the family registers
    the death). The member stays in the household for the family's history; their own
    duties close, the death registration appears, and reminders queued about them stop."""
    member = get_member(session, account, member_id)
    if deceased_on > today:
        raise ServiceError(
            "future_date", _("The date of death cannot be in the future."), "deceased_on"
        )
    if deceased_on < member.birth_date:
        raise ServiceError(
            "impossible_date",
            _("The date of death cannot be before the birth date."),
            "deceased_on",
        )
    member.deceased_on = deceased_on
    member.updated_at = utcnow()
    session.flush()
    signals.subject_changed(session, "household", member.id)
    reminders.cancel_for_subject(session, "household", member.id, keep_rules=AFTER_DEATH_RULES)
    return member


def clear_death(session: Session, account: Account, member_id: int) -> HouseholdMember:
    """Undo a death recorded by mistake: the member's duties come back."""
    member = get_member(session, account, member_id)
    if member.deceased_on is not None:
        member.deceased_on = None
        member.updated_at = utcnow()
        session.flush()
        signals.subject_changed(session, "household", member.id)
    return member


def member_dict(member: HouseholdMember, linked_name: str | None = None) -> dict:
    """``linked_name``: the member's own name when the entry is linked to their account
    (``subjects.linked_names``); ``display_name`` is what to show, ``name`` what was typed."""
    return {
        "id": member.id,
        "relation": member.relation,
        "name": member.name,
        "display_name": linked_name or member.name,
        "birth_date": member.birth_date,
        "gender": member.gender,
        "guardian_consent": member.guardian_consent_at is not None,
        "id_card_issued_on": member.id_card_issued_on,
        "deceased_on": member.deceased_on,
        "bundle": AFTER_DEATH_BUNDLE if member.deceased_on is not None else None,
    }
