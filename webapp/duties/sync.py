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

import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session

from lifecycle import subjects
from lifecycle.params import LocalParams
from lifecycle.rules import Duty as RuleDuty
from lifecycle.rules import enterprise_duties, person_duties
from webapp import people
from webapp.accounts.models import Account
from webapp.core import clock, signals
from webapp.duties.models import OPEN_STATUSES, Duty
from webapp.duties.params import current_params
from webapp.enterprise.models import Enterprise, Permit
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

# Columns the rules own; the sync rewrites them when they differ. Status columns are the
# user's and are never overwritten (except retire/reopen).
RULE_FIELDS = (
    "owner_account_id",
    "enterprise_id",
    "subject_name",
    "life_event",
    "service_code",
    "title",
    "explanation",
    "legal_basis",
    "window_start",
    "due_date",
    "provisional",
    "advisory",
)
_T = Duty.__table__
_OCCURRENCE_MAX = 40
# Stand-in name while computing a citizen's own duties when no name is recorded.
_ME = "\u2063ME\u2063"


@dataclass
class SyncReport:
    subjects: int = 0
    inserted: int = 0
    updated: int = 0
    retired: int = 0
    reopened: int = 0
    unchanged: int = 0

    def add(self, other: SyncReport) -> None:
        for name in ("subjects", "inserted", "updated", "retired", "reopened", "unchanged"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def __str__(self) -> str:
        return (
            f"{self.subjects} subjects: {self.inserted} inserted, {self.updated} updated, "
            f"{self.reopened} reopened, {self.retired} retired, {self.unchanged} unchanged"
        )


@dataclass
class _Target:
    kind: str
    subject_id: int
    owner_account_id: int | None
    enterprise_id: int | None
    subject_name: str
    compute: Callable[[date], list[RuleDuty]] | None  # None: the subject has no duties
    fixups: dict[str, dict[str, str]] = field(default_factory=dict)


# --- building lifecycle subjects from rows -------------------------------------------------


def person_from_profile(profile: CitizenProfile, account: Account) -> subjects.Person:
    return people.person_from_rows(account, profile, fallback_name=_ME)


def person_from_member(member: HouseholdMember, region_code: str | None = None) -> subjects.Person:
    """A household member; the household's region is the citizen's (school windows)."""
    return people.member_person(member, region_code)


enterprise_subject = people.enterprise_subject


# --- the diff ------------------------------------------------------------------------------


def _occurrence(occ: str) -> str:
    """Occurrences longer than the column (long permit numbers) keep a stable hash suffix."""
    if len(occ) <= _OCCURRENCE_MAX:
        return occ
    digest = hashlib.sha1(occ.encode()).hexdigest()[:12]
    return f"{occ[: _OCCURRENCE_MAX - 13]}~{digest}"


def _unname(text: dict[str, str]) -> dict[str, str]:
    """Replace the stand-in name of an unnamed citizen with "本人"/"you"."""
    out = {}
    for locale, value in text.items():
        if locale == "en":
            value = value.replace(f" for {_ME}", "").replace(_ME, "You")
        else:
            value = value.replace(f"{_ME}的", "").replace(_ME, "本人")
        out[locale] = value
    return out


def _row_values(target: _Target, d: RuleDuty) -> dict:
    title, explanation = d.title, d.explanation
    if target.kind == "self":
        title, explanation = _unname(title), _unname(explanation)
    return {
        "owner_account_id": target.owner_account_id,
        "enterprise_id": target.enterprise_id,
        "subject_name": target.subject_name[:200],
        "life_event": d.life_event,
        "service_code": d.service_code[:60],
        "title": title,
        "explanation": explanation,
        "legal_basis": d.legal_basis,
        "window_start": d.window_start,
        "due_date": d.due_date,
        "provisional": bool(d.provisional),
        "advisory": bool(d.advisory),
    }


def _produce(target: _Target, today: date) -> dict[tuple[str, str], dict]:
    if target.compute is None:
        return {}
    out: dict[tuple[str, str], dict] = {}
    for d in target.compute(today):
        out[(d.rule, _occurrence(d.occurrence))] = _row_values(target, d)
    return out


_EXISTING_COLS = (
    _T.c.id,
    _T.c.subject_kind,
    _T.c.subject_id,
    _T.c.rule,
    _T.c.occurrence,
    _T.c.status,
    _T.c.snoozed_until,
    *(_T.c[name] for name in RULE_FIELDS),
)


def _load_existing(session: Session, where) -> dict[tuple[str, int], list]:
    grouped: dict[tuple[str, int], list] = defaultdict(list)
    for row in session.execute(select(*_EXISTING_COLS).where(where)):
        grouped[(row.subject_kind, row.subject_id)].append(row)
    return grouped


def _apply(
    session: Session,
    targets: list[_Target],
    existing: dict[tuple[str, int], list],
    today: date,
    params: LocalParams,
) -> SyncReport:
    report = SyncReport()
    now = clock.now()
    inserts: list[dict] = []
    updates: list[dict] = []
    status_changes: list[dict] = []
    history_start = today - timedelta(days=params.history_days)
    for target in targets:
        report.subjects += 1
        produced = _produce(target, today)
        stored = existing.get((target.kind, target.subject_id), [])
        by_key = {(row.rule, row.occurrence): row for row in stored}
        missing = [
            row
            for key, row in by_key.items()
            if key not in produced and row.status in OPEN_STATUSES
        ]
        if missing and any(history_start <= row.due_date < today for row in missing):
            # Overdue duties drop out of the recurring rules' view; ask the rules as of
            # the start of the history window whether they still apply.
            past = _produce(target, history_start)
            for row in missing:
                key = (row.rule, row.occurrence)
                if key in past and row.due_date < today:
                    produced[key] = past[key]
        for key, values in produced.items():
            row = by_key.get(key)
            if row is None:
                inserts.append(
                    {
                        "subject_kind": target.kind,
                        "subject_id": target.subject_id,
                        "rule": key[0],
                        "occurrence": key[1],
                        "status": "open",
                        "snoozed_until": None,
                        "status_changed_at": None,
                        "created_at": now,
                        "updated_at": now,
                        **values,
                    }
                )
                continue
            changed = any(getattr(row, name) != values[name] for name in RULE_FIELDS)
            if changed:
                updates.append({"_id": row.id, "updated_at": now, **values})
            if row.status == "retired":
                status_changes.append(
                    {"_id": row.id, "status": "open", "snoozed_until": None, "changed": now}
                )
                report.reopened += 1
            elif changed:
                report.updated += 1
            else:
                report.unchanged += 1
        for row in by_key.values():
            if (row.rule, row.occurrence) not in produced and row.status in OPEN_STATUSES:
                status_changes.append(
                    {
                        "_id": row.id,
                        "status": "retired",
                        "snoozed_until": row.snoozed_until,
                        "changed": now,
                    }
                )
                report.retired += 1
    if inserts:
        session.execute(_T.insert(), inserts)
        report.inserted = len(inserts)
    if updates:
        session.execute(
            update(_T)
            .where(_T.c.id == bindparam("_id"))
            .values({name: bindparam(name) for name in (*RULE_FIELDS, "updated_at")}),
            updates,
        )
    if status_changes:
        session.execute(
            update(_T)
            .where(_T.c.id == bindparam("_id"))
            .values(
                status=bindparam("status"),
                snoozed_until=bindparam("snoozed_until"),
                status_changed_at=bindparam("changed"),
                updated_at=bindparam("changed"),
            ),
            status_changes,
        )
    if inserts or updates or status_changes:
        _expire_loaded_duties(session)
    return report


def _expire_loaded_duties(session: Session) -> None:
    """ORM Duty objects loaded earlier in this session must not show stale values."""
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Duty):
            session.expire(obj)


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
                    _person_compute(person, params, me) if allowed else None,
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
