"""The duty sync's diff: the rule duties computed for a subject against its stored rows,
applied as inserts, updates, retirements and re-openings (see webapp.duties.sync)."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from lifecycle import subjects
from lifecycle.params import LocalParams
from lifecycle.rules import Duty as RuleDuty
from webapp import people
from webapp.accounts.models import Account
from webapp.core import clock
from webapp.duties.models import OPEN_STATUSES, Duty
from webapp.people.models import CitizenProfile, HouseholdMember

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
    "computed_expiry",
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
        "computed_expiry": bool(d.computed_expiry),
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
    # Entitlement reminders (rule ``entitlement_…``) are kept by the entitlements feature.
    mine = ~_T.c.rule.startswith("entitlement_", autoescape=True)
    for row in session.execute(select(*_EXISTING_COLS).where(where, mine)):
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
