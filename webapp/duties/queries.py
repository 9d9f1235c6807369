"""The duty queries other features need, written once: open duties of a subject, and the
open duties an account sees (its own, its household's, its enterprises')."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, union_all
from sqlalchemy.orm import Session

from webapp.duties.models import OPEN_STATUSES, Duty
from webapp.enterprise.models import Membership

ORDER = (Duty.due_date, Duty.window_start, Duty.id)


def open_duties(
    session: Session,
    *,
    owner_account_id: int | None = None,
    enterprise_id: int | None = None,
    due_from: date | None = None,
    limit: int | None = None,
) -> list[Duty]:
    """Open or snoozed duties of one owner (citizen and household) or one enterprise,
    due on or after ``due_from``, soonest first."""
    if (owner_account_id is None) == (enterprise_id is None):
        raise ValueError("name one owner account or one enterprise")
    stmt = select(Duty).where(Duty.status.in_(OPEN_STATUSES))
    if owner_account_id is not None:
        stmt = stmt.where(Duty.owner_account_id == owner_account_id)
    else:
        stmt = stmt.where(Duty.enterprise_id == enterprise_id)
    if due_from is not None:
        stmt = stmt.where(Duty.due_date >= due_from)
    stmt = stmt.order_by(*ORDER)
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.scalars(stmt))


def account_open_duties(
    session: Session, account_id: int, due_from: date, household: bool
) -> list[Duty]:
    """Open or snoozed duties the account sees, due on or after ``due_from``: its own,
    its household's (``household``: with that consent) and its enterprises'."""
    live = (Duty.status.in_(OPEN_STATUSES), Duty.due_date >= due_from)
    own = select(Duty.id).where(Duty.owner_account_id == account_id, *live)
    if not household:
        own = own.where(Duty.subject_kind != "household")
    # Two indexed branches (ix_duty_owner, ix_duty_enterprise_id) in one statement: an
    # OR with a membership subquery made PostgreSQL read every enterprise duty.
    theirs = (
        select(Duty.id)
        .join(Membership, Membership.enterprise_id == Duty.enterprise_id)
        .where(Membership.account_id == account_id, Duty.subject_kind == "enterprise", *live)
    )
    return list(
        session.scalars(select(Duty).where(Duty.id.in_(union_all(own, theirs))).order_by(*ORDER))
    )
