"""Reminders for the family: a mandate holder with the "reminders" scope receives the member's
reminders, and a linked spouse who asked receives those of the other's children.

The list is read live from the duties, so there is one reminder per duty per person who
asked, a revocation takes effect at once, and a duty marked done by anyone (the owner, the
spouse, the mandate holder) is closed for everyone: it is the same duty row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from webapp.accounts.models import Account
from webapp.core import clock
from webapp.core.i18n import localized
from webapp.core.service_errors import NotFound, ServiceError
from webapp.duties.models import Duty
from webapp.family import mandates, notify
from webapp.family.links import person_name
from webapp.family.models import FamilyLink, ReminderShare
from webapp.people.models import HouseholdMember
from webapp.privacy.models import AccessLog

DAYS_AHEAD = 90
DAYS_OVERDUE = 366


@dataclass(frozen=True)
class FamilyReminder:
    duty_id: int
    title: str
    subject_name: str
    due_date: date
    for_account_id: int
    for_name: str
    via: str  # mandate | spouse


def _live(today: date):
    return and_(
        or_(
            Duty.status == "open",
            and_(
                Duty.status == "snoozed",
                or_(Duty.snoozed_until.is_(None), Duty.snoozed_until <= today),
            ),
        ),
        Duty.due_date <= today + timedelta(days=DAYS_AHEAD),
        Duty.due_date >= today - timedelta(days=DAYS_OVERDUE),
    )


def _children_ids(session: Session, owner_id: int) -> list[int]:
    return list(
        session.scalars(
            select(HouseholdMember.id).where(
                HouseholdMember.account_id == owner_id, HouseholdMember.relation == "child"
            )
        )
    )


def spouses_sharing(session: Session, account_id: int) -> list[int]:
    """The spouses whose children's reminders the account asked for (still linked)."""
    return [
        s
        for s in session.scalars(
            select(ReminderShare.spouse_account_id).where(ReminderShare.account_id == account_id)
        )
        if _spouse_linked(session, account_id, s)
    ]


def _spouse_linked(session: Session, a: int, b: int) -> bool:
    return (
        session.scalar(
            select(FamilyLink.member_id)
            .join(HouseholdMember, HouseholdMember.id == FamilyLink.member_id)
            .where(
                HouseholdMember.relation == "spouse",
                or_(
                    (FamilyLink.account_id == a) & (FamilyLink.linked_account_id == b),
                    (FamilyLink.account_id == b) & (FamilyLink.linked_account_id == a),
                ),
            )
            .limit(1)
        )
        is not None
    )


def set_share(session: Session, account: Account, spouse_id: int, on: bool) -> None:
    """Ask (or stop asking) for the reminders of a linked spouse's children."""
    if spouse_id == account.id or not _spouse_linked(session, account.id, spouse_id):
        raise NotFound(_("No linked spouse with this account."))
    row = session.get(ReminderShare, (account.id, spouse_id))
    if on and row is None:
        session.add(ReminderShare(account_id=account.id, spouse_account_id=spouse_id))
    elif not on and row is not None:
        session.delete(row)
        notify.stop_pending(session, account.id, spouse_id)
    session.flush()


def reminders_for(
    session: Session, account: Account, today: date | None = None, locale: str = "zh_Hans"
) -> list[FamilyReminder]:
    today = today or clock.local_today()
    found: dict[int, FamilyReminder] = {}
    for mandate in mandates.subjects_for(session, account.id, "reminders", today):
        name = person_name(session, mandate.grantor_id)
        for duty in session.scalars(
            select(Duty).where(
                Duty.owner_account_id == mandate.grantor_id,
                Duty.subject_kind == "self",
                _live(today),
            )
        ):
            found.setdefault(duty.id, _item(duty, mandate.grantor_id, name, "mandate", locale))
    for spouse_id in spouses_sharing(session, account.id):
        children = _children_ids(session, spouse_id)
        if not children:
            continue
        name = person_name(session, spouse_id)
        for duty in session.scalars(
            select(Duty).where(
                Duty.owner_account_id == spouse_id,
                Duty.subject_kind == "household",
                Duty.subject_id.in_(children),
                _live(today),
            )
        ):
            found.setdefault(duty.id, _item(duty, spouse_id, name, "spouse", locale))
    return sorted(found.values(), key=lambda r: (r.due_date, r.duty_id))


def _item(duty: Duty, owner_id: int, owner_name: str, via: str, locale: str) -> FamilyReminder:
    return FamilyReminder(
        duty_id=duty.id,
        title=localized(duty.title, locale),
        subject_name=duty.subject_name,
        due_date=duty.due_date,
        for_account_id=owner_id,
        for_name=owner_name,
        via=via,
    )


def mark_done(session: Session, account: Account, duty_id: int, today: date | None = None) -> Duty:
    """Close a family reminder for everyone: a spouse sharing the child's reminders, or a
    mandate holder with the "act" scope. The owner's access log and activity show who did it."""
    today = today or clock.local_today()
    duty = session.get(Duty, duty_id)
    if duty is None or duty.owner_account_id is None or duty.status == "retired":
        raise NotFound(_("No such duty."))
    owner_id = duty.owner_account_id
    allowed = False
    mandate = None
    if duty.subject_kind == "self":
        mandate = mandates.active(session, account.id, owner_id, "act", today)
        allowed = mandate is not None
    elif duty.subject_kind == "household" and owner_id in spouses_sharing(session, account.id):
        allowed = duty.subject_id in _children_ids(session, owner_id)
    if not allowed:
        raise NotFound(_("No such duty."))
    if duty.status == "done":
        raise ServiceError("already_done", _("This duty is already done."))
    duty.status = "done"
    duty.snoozed_until = None
    duty.status_changed_at = clock.now()
    detail = localized(duty.title, "zh_Hans")
    if mandate is not None:
        mandates.record_use(session, mandate, "family_done", detail)
    else:
        session.add(
            AccessLog(
                subject_account_id=owner_id,
                actor_account_id=account.id,
                actor_label=_("%(name)s (spouse)", name=person_name(session, account.id))[:120],
                what="family_done",
                purpose=detail,
            )
        )
    session.flush()
    return duty
