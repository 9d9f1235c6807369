"""Family reminders as real notifications: who, besides the owner, is reminded of a duty.

The reminder sweep asks ``reminder_recipients`` for the duties whose lead time has come and
queues one outbox row per duty per person who asked (inbox, and e-mail under that person's
own consent, budget and quiet hours): a mandate holder with the ``reminders`` scope for the
owner's own duties, and a linked spouse who shares the owner's children's reminders. The
dispatcher asks ``may_receive`` again before delivering, so a revocation, an expiry, an
unlink or a share turned off stops pending rows at once; a duty closed by anyone is not
delivered to anybody (it is the same duty row).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from webapp.duties.models import Duty
from webapp.family.models import FamilyLink, Mandate, ReminderShare
from webapp.people.models import HouseholdMember
from webapp.reminders.models import Notification

WAITING = ("pending", "retry")


def _reminder_holders(session: Session, owner_ids: set[int], today: date) -> dict[int, set[int]]:
    """owner → the accounts holding an active mandate with ``reminders`` for them."""
    out: dict[int, set[int]] = defaultdict(set)
    if not owner_ids:
        return out
    rows = session.execute(
        select(Mandate.grantor_id, Mandate.grantee_id, Mandate.scopes).where(
            Mandate.grantor_id.in_(owner_ids),
            Mandate.revoked_at.is_(None),
            or_(Mandate.valid_until.is_(None), Mandate.valid_until >= today),
        )
    )
    for grantor, grantee, scopes in rows:
        if "reminders" in (scopes or []):
            out[grantor].add(grantee)
    return out


def _sharing_spouses(session: Session, owner_ids: set[int]) -> dict[int, set[int]]:
    """owner → the linked spouses who asked for the owner's children's reminders."""
    out: dict[int, set[int]] = defaultdict(set)
    if not owner_ids:
        return out
    asks = session.execute(
        select(ReminderShare.spouse_account_id, ReminderShare.account_id).where(
            ReminderShare.spouse_account_id.in_(owner_ids)
        )
    ).all()
    if not asks:
        return out
    linked = set()
    for a, b in session.execute(
        select(FamilyLink.account_id, FamilyLink.linked_account_id)
        .join(HouseholdMember, HouseholdMember.id == FamilyLink.member_id)
        .where(
            HouseholdMember.relation == "spouse",
            or_(FamilyLink.account_id.in_(owner_ids), FamilyLink.linked_account_id.in_(owner_ids)),
        )
    ):
        linked.update({(a, b), (b, a)})
    for owner, asker in asks:
        if (owner, asker) in linked:
            out[owner].add(asker)
    return out


def _children(session: Session, member_ids: set[int]) -> set[int]:
    if not member_ids:
        return set()
    return set(
        session.scalars(
            select(HouseholdMember.id).where(
                HouseholdMember.id.in_(member_ids), HouseholdMember.relation == "child"
            )
        )
    )


def reminder_recipients(
    session: Session, duties: dict[int, tuple[int | None, str, int]], today: date
) -> dict[int, list[int]]:
    """duty id → the family members to remind besides the owner, for duties given as
    ``{duty_id: (owner_account_id, subject_kind, subject_id)}``."""
    own = {o for o, kind, _s in duties.values() if kind == "self" and o is not None}
    household = {o for o, kind, _s in duties.values() if kind == "household" and o is not None}
    holders = _reminder_holders(session, own, today)
    spouses = _sharing_spouses(session, household)
    children = _children(
        session, {s for o, kind, s in duties.values() if kind == "household" and o in spouses}
    )
    out: dict[int, list[int]] = {}
    for duty_id, (owner, kind, subject_id) in duties.items():
        if kind == "self":
            found = holders.get(owner, set())
        elif kind == "household" and subject_id in children:
            found = spouses.get(owner, set())
        else:
            continue
        found = sorted(a for a in found if a != owner)
        if found:
            out[duty_id] = found
    return out


def may_receive(session: Session, account_id: int, duty: Duty, today: date) -> bool:
    """Whether ``account_id`` may still be reminded of ``duty`` (checked at delivery)."""
    if duty.owner_account_id is None or duty.subject_kind not in ("self", "household"):
        return False
    key = {duty.id: (duty.owner_account_id, duty.subject_kind, duty.subject_id)}
    return account_id in reminder_recipients(session, key, today).get(duty.id, [])


def stop_pending(session: Session, holder_id: int, owner_id: int) -> int:
    """Cancel at once the undelivered family reminders of ``owner``'s duties to ``holder``
    (a mandate revoked, a link ended, a share turned off)."""
    owned = select(Duty.id).where(Duty.owner_account_id == owner_id).scalar_subquery()
    result = session.execute(
        update(Notification)
        .where(
            Notification.account_id == holder_id,
            Notification.status.in_(WAITING),
            Notification.duty_id.in_(owned),
        )
        .values(status="cancelled", last_error="family: no longer asked")
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
