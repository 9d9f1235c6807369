"""Reading stored duties and changing their status (never recomputes rules on read).

A citizen sees their own duties, their household members' (while the ``household_data``
consent stands) and the duties of every enterprise they are a member of. A snoozed duty
counts as open again from its ``snoozed_until`` date on. Retired duties (no longer
applicable) are never shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from webapp.accounts.models import Account
from webapp.catalog.models import Service
from webapp.core import clock
from webapp.core.i18n import localized
from webapp.core.service_errors import NotFound, ServiceError
from webapp.duties.models import Duty
from webapp.enterprise.models import Enterprise, Membership
from webapp.privacy import current_consents
from webapp.recommend import Interaction

__all__ = [
    "VISIBLE_STATUSES",
    "effective_status",
    "duties_for_account",
    "duties_for_enterprise",
    "due_soon",
    "get_duty",
    "mark_done",
    "snooze",
    "dismiss",
    "reopen",
    "duty_dict",
    "SubjectGroup",
    "group_by_subject",
    "SUBJECT_KEY",
    "subject_key",
]

# What callers may ask for; "snoozed" means snoozed and still asleep.
VISIBLE_STATUSES = ("open", "snoozed", "done", "dismissed")
SNOOZE_MAX = timedelta(days=366)


def effective_status(duty: Duty, today: date) -> str:
    if duty.status == "snoozed" and (duty.snoozed_until is None or duty.snoozed_until <= today):
        return "open"
    return duty.status


def _status_clause(statuses: Iterable[str], today: date):
    wanted = set(statuses) & set(VISIBLE_STATUSES)
    clauses = []
    if "open" in wanted:
        clauses.append(Duty.status == "open")
        clauses.append(and_(Duty.status == "snoozed", Duty.snoozed_until <= today))
    if "snoozed" in wanted:
        clauses.append(and_(Duty.status == "snoozed", Duty.snoozed_until > today))
    for plain in ("done", "dismissed"):
        if plain in wanted:
            clauses.append(Duty.status == plain)
    return or_(*clauses) if clauses else Duty.id.is_(None)


def _range(stmt, date_from: date | None, date_to: date | None):
    if date_from is not None:
        stmt = stmt.where(Duty.due_date >= date_from)
    if date_to is not None:
        stmt = stmt.where(Duty.due_date <= date_to)
    return stmt


def _member_enterprise_ids(session: Session, account_id: int) -> list[int]:
    return list(
        session.scalars(select(Membership.enterprise_id).where(Membership.account_id == account_id))
    )


def duties_for_account(
    session: Session,
    account: Account,
    date_from: date | None = None,
    date_to: date | None = None,
    statuses: Iterable[str] = ("open",),
    today: date | None = None,
    limit: int | None = None,
) -> list[Duty]:
    """The account's duties (own, household's, its enterprises'), ordered by due date.

    Two indexed queries: by owner (``ix_duty_owner``) and by enterprise
    (``ix_duty_enterprise_id``); ``date_from``/``date_to`` bound the due date.
    """
    today = today or clock.local_today()
    statuses = tuple(statuses)
    order = (Duty.due_date, Duty.window_start, Duty.id)
    own = _range(
        select(Duty).where(Duty.owner_account_id == account.id, _status_clause(statuses, today)),
        date_from,
        date_to,
    )
    if not current_consents(session, account.id).get("household_data"):
        own = own.where(Duty.subject_kind != "household")
    if limit is not None:
        own = own.order_by(*order).limit(limit)
    rows = list(session.scalars(own))
    enterprise_ids = _member_enterprise_ids(session, account.id)
    if enterprise_ids:
        ent = _range(
            select(Duty).where(
                Duty.enterprise_id.in_(enterprise_ids),
                Duty.subject_kind == "enterprise",
                _status_clause(statuses, today),
            ),
            date_from,
            date_to,
        )
        if limit is not None:
            ent = ent.order_by(*order).limit(limit)
        rows.extend(session.scalars(ent))
    rows.sort(key=lambda d: (d.due_date, d.window_start, d.id))
    return rows[:limit] if limit is not None else rows


def duties_for_enterprise(
    session: Session,
    enterprise: Enterprise,
    date_from: date | None = None,
    date_to: date | None = None,
    statuses: Iterable[str] = VISIBLE_STATUSES,
    today: date | None = None,
) -> list[Duty]:
    """An enterprise's duties (the caller must have checked membership)."""
    today = today or clock.local_today()
    stmt = _range(
        select(Duty).where(
            Duty.enterprise_id == enterprise.id,
            Duty.subject_kind == "enterprise",
            _status_clause(statuses, today),
        ),
        date_from,
        date_to,
    ).order_by(Duty.due_date, Duty.window_start, Duty.id)
    return list(session.scalars(stmt))


def due_soon(
    session: Session, account: Account, today: date | None = None, days: int = 90, limit: int = 5
) -> list[Duty]:
    """Open duties due within ``days`` (overdue ones included), soonest first: the selection
    of the personal page's "due soon" widget (which applies it to rows the page already read)."""
    today = today or clock.local_today()
    return duties_for_account(
        session,
        account,
        date_from=today - timedelta(days=366),
        date_to=today + timedelta(days=days),
        statuses=("open",),
        today=today,
        limit=limit,
    )


def get_duty(session: Session, account: Account, duty_id: int) -> Duty:
    """A duty the account may see; otherwise NotFound (never reveal that it exists)."""
    duty = session.get(Duty, duty_id)
    if duty is None or duty.status == "retired":
        raise NotFound(_("No such duty."))
    if duty.subject_kind == "enterprise":
        member = session.scalar(
            select(Membership.id).where(
                Membership.account_id == account.id,
                Membership.enterprise_id == duty.enterprise_id,
            )
        )
        if member is None:
            raise NotFound(_("No such duty."))
    elif duty.owner_account_id != account.id or (
        duty.subject_kind == "household"
        and not current_consents(session, account.id).get("household_data")
    ):
        raise NotFound(_("No such duty."))
    return duty


def _set_status(duty: Duty, status: str, snoozed_until: date | None = None) -> Duty:
    duty.status = status
    duty.snoozed_until = snoozed_until
    duty.status_changed_at = clock.now()
    return duty


def mark_done(session: Session, account: Account, duty_id: int) -> Duty:
    """Mark a duty done and record a "complete" interaction for the recommender."""
    duty = get_duty(session, account, duty_id)
    if duty.status != "done":
        _set_status(duty, "done")
        service_id = session.scalar(select(Service.id).where(Service.code == duty.service_code))
        if service_id is not None:
            session.add(
                Interaction(
                    account_id=account.id,
                    enterprise_id=duty.enterprise_id,
                    service_id=service_id,
                    kind="complete",
                    source="duty",
                )
            )
    session.flush()
    return duty


def snooze(
    session: Session, account: Account, duty_id: int, until: date, today: date | None = None
) -> Duty:
    """Hide a duty until ``until`` (after today, within a year after the due date)."""
    today = today or clock.local_today()
    duty = get_duty(session, account, duty_id)
    if until is None or until <= today:
        raise ServiceError("invalid_date", _("Choose a date after today."), "until")
    if until > duty.due_date + SNOOZE_MAX:
        raise ServiceError(
            "invalid_date",
            _("Choose a date no later than one year after the due date."),
            "until",
        )
    _set_status(duty, "snoozed", until)
    session.flush()
    return duty


def dismiss(session: Session, account: Account, duty_id: int) -> Duty:
    duty = get_duty(session, account, duty_id)
    _set_status(duty, "dismissed")
    session.flush()
    return duty


def reopen(session: Session, account: Account, duty_id: int) -> Duty:
    duty = get_duty(session, account, duty_id)
    _set_status(duty, "open")
    session.flush()
    return duty


def subject_label(duty: Duty) -> str:
    if duty.subject_kind == "self":
        return duty.subject_name or _("Me")
    return duty.subject_name


def duty_dict(duty: Duty, today: date, locale: str | None = None) -> dict:
    """The API's view of a duty (title and explanation in ``locale``)."""
    return {
        "id": duty.id,
        "rule": duty.rule,
        "occurrence": duty.occurrence,
        "subject": {
            "kind": duty.subject_kind,
            "id": duty.subject_id,
            "name": subject_label(duty),
        },
        "service_code": duty.service_code,
        "title": localized(duty.title, locale),
        "window_start": duty.window_start,
        "due_date": duty.due_date,
        "status": effective_status(duty, today),
        "snoozed_until": duty.snoozed_until if effective_status(duty, today) == "snoozed" else None,
        "legal_basis": duty.legal_basis,
        "explanation": localized(duty.explanation, locale),
        "provisional": duty.provisional,
        "advisory": duty.advisory,
        "required": not duty.advisory,
        "computed_expiry": duty.computed_expiry,
        "life_event": duty.life_event,
    }


@dataclass
class SubjectGroup:
    kind: str
    subject_id: int
    name: str
    duties: list[Duty]


#: ``self-3``, ``household-7``, ``enterprise-2``: whose duty it is, for filters.
SUBJECT_KEY = re.compile(r"(self|household|enterprise)-[0-9]{1,12}")


def subject_key(duty: Duty) -> str:
    return f"{duty.subject_kind}-{duty.subject_id}"


def group_by_subject(duties: list[Duty]) -> list[SubjectGroup]:
    """Me first, then household members, then enterprises; each group by due date."""
    groups: dict[tuple[str, int], SubjectGroup] = {}
    for duty in duties:
        key = (duty.subject_kind, duty.subject_id)
        if key not in groups:
            groups[key] = SubjectGroup(duty.subject_kind, duty.subject_id, subject_label(duty), [])
        groups[key].duties.append(duty)
    order = {"self": 0, "household": 1, "enterprise": 2}
    return sorted(groups.values(), key=lambda g: (order.get(g.kind, 3), g.name, g.subject_id))
