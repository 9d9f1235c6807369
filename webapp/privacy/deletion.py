"""Deleting an account: the password confirms it, the personal rows go, the audit trail
keeps only pseudonyms."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from webapp import accounts, people, reminders
from webapp.accounts.models import Account, ApiToken
from webapp.catalog.models import BundleStepDone
from webapp.core import signals
from webapp.core.clock import now
from webapp.core.models import AuditEntry
from webapp.core.service_errors import ServiceError
from webapp.duties.models import Duty
from webapp.enterprise.models import Membership
from webapp.entitlements.models import ProfileFact
from webapp.page.models import HiddenService, PageLayout, PinnedService
from webapp.people.models import CitizenProfile, HouseholdMember
from webapp.privacy.models import AccessLog, Consent, TagPreference
from webapp.privacy.services import _value, access_log, actor_pseudonym, pseudonym
from webapp.recommend import Interaction
from webapp.recommend.models import RuleVersion
from webapp.reminders.models import (
    InboxItem,
    Notification,
    NotificationSettings,
    ReminderLeadChoice,
)

# --- delete ---------------------------------------------------------------------------------


def _scrub(value: Any, secrets_: list[str], pseudo: str) -> Any:
    if isinstance(value, str):
        for s in secrets_:
            value = value.replace(s, pseudo)
        return value
    if isinstance(value, list):
        return [_scrub(v, secrets_, pseudo) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, secrets_, pseudo) for k, v in value.items()}
    return value


def delete_account(session: Session, account: Account, password: str, *, address: str) -> str:
    """Erase the account and its personal data after checking the password.

    Returns the pseudonym the audit trail keeps. Everything happens in the caller's
    transaction: a failure leaves nothing half-deleted.
    """
    if not accounts.confirm_password(account, password, address=address, purpose="delete"):
        raise ServiceError("wrong_password", _("The password is wrong."), "password", 403)
    aid = account.id
    pseudo = pseudonym(aid)
    profile = session.get(CitizenProfile, aid)
    members = list(
        session.scalars(select(HouseholdMember).where(HouseholdMember.account_id == aid))
    )
    # Strings that identify the person, longest first so a name inside an e-mail goes whole.
    secrets_ = sorted(
        {
            s
            for s in (
                account.email,
                account.display_name,
                profile.full_name if profile else None,
                people.masked_id_number(profile),
                people.id_number(profile),
                *(m.name for m in members),
            )
            if s and len(s) >= 2
        },
        key=len,
        reverse=True,
    )

    # 1. The audit trail stays, pseudonymous.
    for row in access_log(session, aid):
        session.add(
            AuditEntry(
                actor=actor_pseudonym(row.actor_account_id)
                if row.actor_account_id
                else _scrub(row.actor_label, secrets_, pseudo)[:80],
                action="personal_data.read",
                target_type="citizen",
                target_id=pseudo,
                after={
                    "what": row.what,
                    "purpose": _scrub(row.purpose, secrets_, pseudo),
                    "read_at": _value(row.created_at),
                },
                created_at=row.created_at,
            )
        )
    concerning = list(
        session.scalars(
            select(AuditEntry).where(
                or_(
                    AuditEntry.target_id == str(aid),
                    AuditEntry.actor.in_(secrets_ or [""]),
                )
            )
        )
    )
    for entry in concerning:
        if entry.target_type in ("citizen", "account") and entry.target_id == str(aid):
            entry.target_id = pseudo
        if entry.actor in secrets_:
            entry.actor = pseudo
        if entry.target_id == pseudo or entry.actor == pseudo:
            entry.before = _scrub(entry.before, secrets_, pseudo)
            entry.after = _scrub(entry.after, secrets_, pseudo)
    # Reads this account made as an admin keep a pseudonymous actor.
    session.execute(
        update(AccessLog)
        .where(AccessLog.actor_account_id == aid)
        .values(actor_account_id=None, actor_label=actor_pseudonym(aid))
    )
    session.execute(
        update(RuleVersion).where(RuleVersion.published_by == aid).values(published_by=None)
    )

    # 2. Duties of self and household go (subscribers clean up after them too).
    for member in members:
        signals.subject_removed(session, "household", member.id)
    signals.subject_removed(session, "self", aid)
    session.execute(delete(Notification).where(Notification.account_id == aid))
    session.execute(delete(InboxItem).where(InboxItem.account_id == aid))
    session.execute(delete(Duty).where(Duty.owner_account_id == aid))

    # 3. Everything else personal, then the account itself. Facts about the person and
    # the household go; enterprise facts they told us stay with the enterprise, unsigned.
    session.execute(
        delete(ProfileFact).where(
            or_(
                ProfileFact.account_id == aid,
                ProfileFact.member_id.in_([m.id for m in members] or [-1]),
            )
        )
    )
    session.execute(
        update(ProfileFact).where(ProfileFact.recorded_by == aid).values(recorded_by=None)
    )
    for model in (
        Interaction,
        TagPreference,
        Consent,
        PinnedService,
        HiddenService,
        BundleStepDone,
        PageLayout,
        NotificationSettings,
        ReminderLeadChoice,
        ApiToken,
        Membership,
        HouseholdMember,
        CitizenProfile,
        AccessLog,
    ):
        column = model.subject_account_id if model is AccessLog else model.account_id
        session.execute(delete(model).where(column == aid))
    session.add(
        AuditEntry(
            actor=pseudo,
            action="account.deleted",
            target_type="account",
            target_id=pseudo,
            after={"kind": account.role},
            created_at=now(),
        )
    )
    session.flush()
    session.expunge_all()
    session.execute(delete(Account).where(Account.id == aid))
    session.flush()
    # 4. Copies of e-mails to the address kept by the development mail log.
    reminders.forget_recipient(account.email)
    return pseudo
