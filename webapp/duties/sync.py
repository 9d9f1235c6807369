"""Profile → duties: compute each subject's duties with ``lifecycle.rules`` and store them.

The ``duty`` table is unique on (subject_kind, subject_id, rule, occurrence). A sync

* inserts the duties the rules produce that are not stored yet;
* updates dates, title, explanation and legal basis of stored ones, keeping the user's
  status (done, snoozed, dismissed); a retired duty that the rules produce again is
  reopened;
* retires stored open or snoozed duties the rules no longer produce (the data changed).
  An open duty that is merely overdue (its due date has passed, so a recurring rule no
  longer lists it) stays open as long as the rules, evaluated as of
  ``today - params.history_days``, still produce it.

Syncing twice changes nothing. Subjects: "self" (account id; the citizen profile),
"household" (household member id; needs the ``household_data`` consent, otherwise the
member's duties are retired) and "enterprise" (enterprise id; the duties are shown to every
member). Profile, household and enterprise changes resync their subject in the same
transaction through ``services.signals``; ``sync_all`` runs daily to extend the horizon of
recurring duties and by hand (``flask --app webapp duties sync --all``).

Reads never recompute rules: pages and the reminder sweep query the stored rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from lifecycle import subjects
from lifecycle.params import LocalParams
from lifecycle.rules import enterprise_duties, person_duties
from webapp.accounts.models import Account
from webapp.core import clock, signals
from webapp.duties.params import current_params
from webapp.duties.sync_diff import (  # noqa: F401  (person_from_*, enterprise_subject: public)
    _T,
    SyncReport,
    _apply,
    _expire_loaded_duties,
    _load_existing,
    _Target,
    enterprise_subject,
    person_from_member,
    person_from_profile,
)
from webapp.enterprise.models import Enterprise, Permit
from webapp.family.models import FamilyLink
from webapp.people.models import CitizenProfile, HouseholdMember
from webapp.privacy.models import Consent

__all__ = [
    "SyncReport",
    "sync_account",
    "sync_member",
    "sync_enterprise",
    "sync_all",
    "person_from_profile",
    "person_from_member",
    "enterprise_subject",
]

# --- targets -------------------------------------------------------------------------------


def _household_consents(session: Session, account_ids: list[int]) -> dict[int, bool]:
    """The latest household_data decision per account (no decision = not granted).

    No ORDER BY in SQL: SQLite would rather walk the whole table in id order than use the
    (account_id, purpose, id) index; the latest row is picked here.
    """
    latest: dict[int, tuple[int, bool]] = {}
    rows = session.execute(
        select(Consent.account_id, Consent.id, Consent.granted).where(
            Consent.account_id.in_(account_ids), Consent.purpose == "household_data"
        )
    )
    for account_id, row_id, granted in rows:
        if account_id not in latest or row_id > latest[account_id][0]:
            latest[account_id] = (row_id, granted)
    return {account_id: granted for account_id, (_id, granted) in latest.items()}


def _linked_members(session: Session, member_ids: list[int]) -> set[int]:
    """Household entries linked to the member's own account: the member's own profile and
    duties count, so the typed copy produces none (unlinking restores it)."""
    if not member_ids:
        return set()
    return set(
        session.scalars(select(FamilyLink.member_id).where(FamilyLink.member_id.in_(member_ids)))
    )


def _person_compute(person: subjects.Person, params: LocalParams, guardian=None):
    return lambda day: person_duties(person, day, params, guardian=guardian)


def _account_targets(
    session: Session, account_ids: list[int], params: LocalParams
) -> list[_Target]:
    accounts = {
        a.id: a for a in session.scalars(select(Account).where(Account.id.in_(account_ids)))
    }
    profiles = {
        p.account_id: p
        for p in session.scalars(
            select(CitizenProfile).where(CitizenProfile.account_id.in_(account_ids))
        )
    }
    members: dict[int, list[HouseholdMember]] = defaultdict(list)
    # Sorted here, not by SQL (an ORDER BY id would make SQLite scan the table).
    for m in sorted(
        session.scalars(select(HouseholdMember).where(HouseholdMember.account_id.in_(account_ids))),
        key=lambda m: m.id,
    ):
        members[m.account_id].append(m)
    consents = _household_consents(session, account_ids) if members else {}
    linked = _linked_members(session, [m.id for ms in members.values() for m in ms])
    targets: list[_Target] = []
    for account_id in account_ids:
        account = accounts.get(account_id)
        if account is None:
            continue
        profile = profiles.get(account_id)
        me = person_from_profile(profile, account) if profile is not None else None
        name = (profile.full_name if profile else None) or account.display_name or ""
        targets.append(
            _Target(
                "self",
                account_id,
                account_id,
                None,
                name,
                _person_compute(me, params) if me is not None else None,
            )
        )
        allowed = consents.get(account_id, False)
        region = profile.region_code if profile is not None else None
        for m in members.get(account_id, ()):
            person = person_from_member(m, region)
            targets.append(
                _Target(
                    "household",
                    m.id,
                    account_id,
                    None,
                    m.name,
                    _person_compute(person, params, me) if allowed and m.id not in linked else None,
                )
            )
    return targets


def _enterprise_targets(
    session: Session, enterprise_ids: list[int], params: LocalParams
) -> list[_Target]:
    permits: dict[int, list[Permit]] = defaultdict(list)
    for p in sorted(
        session.scalars(select(Permit).where(Permit.enterprise_id.in_(enterprise_ids))),
        key=lambda p: p.id,
    ):
        permits[p.enterprise_id].append(p)
    targets = []
    for ent in sorted(
        session.scalars(select(Enterprise).where(Enterprise.id.in_(enterprise_ids))),
        key=lambda e: e.id,
    ):
        subject = enterprise_subject(ent, permits.get(ent.id, ()))
        targets.append(
            _Target(
                "enterprise",
                ent.id,
                None,
                ent.id,
                ent.name,
                lambda day, s=subject: enterprise_duties(s, day, params),
            )
        )
    return targets


def _resolve(session: Session, today: date | None, params: LocalParams | None):
    return today or clock.local_today(), params or current_params(session)


# --- entry points --------------------------------------------------------------------------


def _sync_accounts(
    session: Session, account_ids: list[int], today: date, params: LocalParams
) -> SyncReport:
    targets = _account_targets(session, account_ids, params)
    existing = _load_existing(session, _T.c.owner_account_id.in_(account_ids))
    # Stored duties of household members who are gone: nothing is produced for them.
    known = {(t.kind, t.subject_id) for t in targets}
    for (kind, subject_id), rows in existing.items():
        if (kind, subject_id) not in known and kind in ("self", "household"):
            targets.append(_Target(kind, subject_id, rows[0].owner_account_id, None, "", None))
    return _apply(session, targets, existing, today, params)


def sync_account(
    session: Session,
    account_id: int,
    today: date | None = None,
    params: LocalParams | None = None,
) -> SyncReport:
    """Resync a citizen's own duties and their household members'."""
    today, params = _resolve(session, today, params)
    return _sync_accounts(session, [account_id], today, params)


def sync_member(
    session: Session,
    member_id: int,
    today: date | None = None,
    params: LocalParams | None = None,
) -> SyncReport:
    """Resync one household member's duties (needs the household_data consent)."""
    today, params = _resolve(session, today, params)
    member = session.get(HouseholdMember, member_id)
    if member is None:
        return _apply(
            session,
            [_Target("household", member_id, None, None, "", None)],
            _load_existing(
                session, (_T.c.subject_kind == "household") & (_T.c.subject_id == member_id)
            ),
            today,
            params,
        )
    targets = [
        t
        for t in _account_targets(session, [member.account_id], params)
        if t.kind == "household" and t.subject_id == member_id
    ]
    existing = _load_existing(
        session, (_T.c.subject_kind == "household") & (_T.c.subject_id == member_id)
    )
    return _apply(session, targets, existing, today, params)


def sync_enterprise(
    session: Session,
    enterprise_id: int,
    today: date | None = None,
    params: LocalParams | None = None,
) -> SyncReport:
    today, params = _resolve(session, today, params)
    targets = _enterprise_targets(session, [enterprise_id], params)
    if not targets:
        targets = [_Target("enterprise", enterprise_id, None, enterprise_id, "", None)]
    existing = _load_existing(
        session, (_T.c.subject_kind == "enterprise") & (_T.c.subject_id == enterprise_id)
    )
    return _apply(session, targets, existing, today, params)


def sync_all(
    session: Session,
    today: date | None = None,
    *,
    params: LocalParams | None = None,
    batch_size: int = 1000,
    commit: bool = False,
    progress: Callable[[str, SyncReport], None] | None = None,
) -> SyncReport:
    """Resync every account (own + household) and every enterprise, in batches.

    Each batch reads its subjects and their stored duties with a few indexed queries and
    writes with executemany. With ``commit=True`` each batch is committed (long runs).
    """
    today, params = _resolve(session, today, params)
    total = SyncReport()
    for kind, column, run in (
        ("accounts", Account.id, _sync_accounts),
        ("enterprises", Enterprise.id, _sync_enterprises),
    ):
        last = 0
        while True:
            ids = list(
                session.scalars(
                    select(column).where(column > last).order_by(column).limit(batch_size)
                )
            )
            if not ids:
                break
            last = ids[-1]
            report = run(session, ids, today, params)
            total.add(report)
            if commit:
                session.commit()
                session.expunge_all()
            if progress is not None:
                progress(kind, total)
    return total


def _sync_enterprises(
    session: Session, enterprise_ids: list[int], today: date, params: LocalParams
) -> SyncReport:
    targets = _enterprise_targets(session, enterprise_ids, params)
    existing = _load_existing(
        session, (_T.c.enterprise_id.in_(enterprise_ids)) & (_T.c.subject_kind == "enterprise")
    )
    return _apply(session, targets, existing, today, params)


def sync_subjects(
    session: Session,
    account_ids: list[int],
    enterprise_ids: list[int],
    today: date | None = None,
    params: LocalParams | None = None,
    batch_size: int = 1000,
) -> SyncReport:
    """Resync the given accounts (own + household) and enterprises, in batches."""
    today, params = _resolve(session, today, params)
    total = SyncReport()
    for ids, run in (
        (sorted(account_ids), _sync_accounts),
        (sorted(enterprise_ids), _sync_enterprises),
    ):
        for start in range(0, len(ids), batch_size):
            total.add(run(session, ids[start : start + batch_size], today, params))
    return total


def account_id_for_email(session: Session, email: str) -> int | None:
    from sqlalchemy import func

    return session.scalar(select(Account.id).where(func.lower(Account.email) == email.lower()))


# --- signals: a subject's data changed or it is gone ----------------------------------------


@signals.on_changed
def _on_changed(session: Session, kind: str, subject_id: int) -> None:
    if kind in ("self", "consents"):
        sync_account(session, subject_id)
    elif kind == "household":
        sync_member(session, subject_id)
    elif kind == "enterprise":
        sync_enterprise(session, subject_id)


@signals.on_removed
def _on_removed(session: Session, kind: str, subject_id: int) -> None:
    if kind in ("self", "household", "enterprise"):
        session.execute(delete(_T).where(_T.c.subject_kind == kind, _T.c.subject_id == subject_id))
        _expire_loaded_duties(session)
