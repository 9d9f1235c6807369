"""Stored facts: validate, save, clear, load, and apply them to the lifecycle subjects."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from lifecycle.eligibility.facts import FACTS
from lifecycle.subjects import Enterprise as EnterpriseSubject
from lifecycle.subjects import Household, Person
from webapp.entitlements.models import ProfileFact

#: Facts the questionnaire may store, by subject kind.
PERSON_FACTS = tuple(k for k, f in FACTS.items() if f.subject == "person" and f.asked)
ENTERPRISE_FACTS = ("legal_form",) + tuple(
    k for k, f in FACTS.items() if f.subject == "enterprise" and f.asked
)
MAX_INT = 10**12


class FactError(ValueError):
    """A fact value that does not fit the fact's vocabulary; the message names it."""


@dataclass(frozen=True)
class StoredFact:
    subject: str
    key: str
    value: object
    source: str
    recorded_on: date


def allowed_keys(subject: str) -> tuple[str, ...]:
    return ENTERPRISE_FACTS if subject.startswith("enterprise:") else PERSON_FACTS


def validate(subject: str, key: str, value: object) -> object:
    """The value in stored form, or :class:`FactError`."""
    if key not in allowed_keys(subject):
        raise FactError(f"unknown fact '{key}' for this subject")
    info = FACTS[key]
    if info.kind == "bool":
        if not isinstance(value, bool):
            raise FactError(f"'{key}' must be true or false")
        return value
    if info.kind == "int":
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_INT:
            raise FactError(f"'{key}' must be a whole number of yuan or people (0 or more)")
        return value
    if info.kind == "set":
        if not isinstance(value, list) or any(v not in info.choices for v in value):
            raise FactError(f"'{key}' must be a list of: {', '.join(info.choices)}")
        return sorted(set(value))
    if value not in info.choices:
        raise FactError(f"'{key}' must be one of: {', '.join(info.choices)}")
    return value


def _owner_columns(subject: str) -> dict:
    kind, _, ident = subject.partition(":")
    column = {"self": "account_id", "household": "member_id", "enterprise": "enterprise_id"}
    if kind not in column or not ident.isdigit():
        raise FactError(f"unknown subject '{subject}'")
    return {column[kind]: int(ident)}


def save(
    session: Session,
    subject: str,
    key: str,
    value: object,
    today: date,
    *,
    by_account: int,
    source: str = "questionnaire",
) -> StoredFact:
    """Store (or replace) one fact; the caller has checked the subject is theirs."""
    value = validate(subject, key, value)
    row = session.scalar(
        select(ProfileFact).where(ProfileFact.subject == subject, ProfileFact.key == key)
    )
    if row is None:
        row = ProfileFact(subject=subject, key=key, **_owner_columns(subject))
        session.add(row)
    row.value = value
    row.source = source
    row.recorded_on = today
    row.recorded_by = by_account
    session.flush()
    return StoredFact(subject, key, value, source, today)


save_fact = save  # the public name (webapp.entitlements.save_fact)


def clear(session: Session, subject: str, key: str) -> bool:
    result = session.execute(
        delete(ProfileFact).where(ProfileFact.subject == subject, ProfileFact.key == key)
    )
    return bool(result.rowcount)


def load_facts(session: Session, subjects: Iterable[str]) -> dict[str, dict[str, StoredFact]]:
    """Facts by subject, then by key (one indexed query)."""
    subjects = list(subjects)
    out: dict[str, dict[str, StoredFact]] = {s: {} for s in subjects}
    if not subjects:
        return out
    for row in session.scalars(select(ProfileFact).where(ProfileFact.subject.in_(subjects))):
        out[row.subject][row.key] = StoredFact(
            row.subject, row.key, row.value, row.source, row.recorded_on
        )
    return out


def _typed(key: str, value: object) -> object:
    return frozenset(value) if FACTS[key].kind == "set" else value


def apply_to_person(person: Person, facts: dict[str, StoredFact]) -> Person:
    changes = {k: _typed(k, f.value) for k, f in facts.items() if k in PERSON_FACTS}
    return replace(person, **changes) if changes else person


def apply_to_enterprise(
    enterprise: EnterpriseSubject, facts: dict[str, StoredFact]
) -> EnterpriseSubject:
    changes = {k: f.value for k, f in facts.items() if k in ENTERPRISE_FACTS}
    return replace(enterprise, **changes) if changes else enterprise


def household_with_facts(
    session: Session, holder: Person, members: Iterable[Person], stored: dict | None = None
) -> tuple[Household, dict[str, dict[str, StoredFact]]]:
    members = list(members)
    if stored is None:
        stored = load_facts(session, [holder.key, *(m.key for m in members)])
    stored = {k: stored.get(k, {}) for k in [holder.key, *(m.key for m in members)]}
    household = Household(
        apply_to_person(holder, stored[holder.key]),
        tuple(apply_to_person(m, stored[m.key]) for m in members),
    )
    return household, stored


def page_facts(ctx) -> dict[str, dict[str, StoredFact]]:
    """The stored facts of the page's account holder and household, loaded once per page
    view (shared by the widgets through ``ctx.cache``)."""
    if "facts" not in ctx.cache:
        keys = [f"self:{ctx.account.id}", *(f"household:{m.id}" for m in ctx.members)]
        ctx.cache["facts"] = load_facts(ctx.session, keys)
    return ctx.cache["facts"]


def export_facts(session: Session, account_id: int) -> list[dict]:
    """The facts about the account holder and their household, and those they told us about
    an enterprise, for the data export (《个人信息保护法》第四十五条)."""
    from sqlalchemy import or_

    from webapp.people.models import HouseholdMember

    rows = session.scalars(
        select(ProfileFact)
        .where(
            or_(
                ProfileFact.account_id == account_id,
                ProfileFact.recorded_by == account_id,
                ProfileFact.member_id.in_(
                    select(HouseholdMember.id).where(HouseholdMember.account_id == account_id)
                ),
            )
        )
        .order_by(ProfileFact.subject, ProfileFact.key)
    )
    return [
        {
            "subject": r.subject,
            "key": r.key,
            "value": r.value,
            "source": r.source,
            "recorded_on": r.recorded_on.isoformat(),
        }
        for r in rows
    ]
