"""Evaluate a service's conditions against a subject's facts: eligible, not, or unknown.

Three-valued: a condition whose fact is not given is *unknown* (never failed), so a
missing fact never hides a service; it is marked and the fact is named. The result says
which condition failed or which facts are missing, and which facts met the others, so the
web app can say it in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lifecycle.dates import age_on
from lifecycle.eligibility.conditions import Conditions, MemberCondition
from lifecycle.eligibility.facts import enterprise_legal_form
from lifecycle.subjects import Enterprise, Household, Person

__all__ = ["Check", "Verdict", "evaluate", "ELIGIBLE", "NOT_ELIGIBLE", "UNKNOWN"]

ELIGIBLE = "eligible"
NOT_ELIGIBLE = "not_eligible"
UNKNOWN = "unknown"
MET, FAILED, MISSING = "met", "failed", "unknown"


@dataclass(frozen=True)
class Check:
    """One condition tested on one subject."""

    condition: str  # the conditions key: "age_min", "gender", "household", "region", …
    fact: str  # the fact read (lifecycle.eligibility.facts.FACTS key)
    expected: tuple[str, ...]  # the values the condition accepts, as text
    outcome: str  # "met" | "failed" | "unknown"
    actual: str | None = None  # the subject's value as text; None when not given
    subject: str | None = None  # the subject's key
    relation: str | None = None  # "self" | "child" | "parent" | "spouse" | "enterprise"


@dataclass(frozen=True)
class Verdict:
    outcome: str  # "eligible" | "not_eligible" | "unknown"
    checks: tuple[Check, ...] = ()
    subject: str | None = None  # whose facts decided (the best candidate)
    everyone: bool = False

    @property
    def eligible(self) -> bool:
        return self.outcome == ELIGIBLE

    @property
    def failed(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.outcome == FAILED)

    @property
    def met(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.outcome == MET)

    @property
    def missing_facts(self) -> tuple[str, ...]:
        out: list[str] = []
        for c in self.checks:
            if c.outcome == MISSING and c.fact not in out:
                out.append(c.fact)
        return tuple(out)


def _combine(checks: list[Check]) -> str:
    outcomes = {c.outcome for c in checks}
    if FAILED in outcomes:
        return NOT_ELIGIBLE
    return UNKNOWN if MISSING in outcomes else ELIGIBLE


def _check(condition, fact, expected, actual, ok, subject, relation) -> Check:
    outcome = MISSING if actual is None else MET if ok else FAILED
    text = None if actual is None else (actual if isinstance(actual, str) else str(actual))
    return Check(condition, fact, tuple(str(e) for e in expected), outcome, text, subject, relation)


def _age(person: Person, today: date) -> int | None:
    if person.birth_date is None or person.birth_date > today:
        return None
    return age_on(person.birth_date, today)


def _person_checks(c: Conditions, p: Person, today: date) -> list[Check]:
    out: list[Check] = []
    k, rel = p.key, p.relation
    age = _age(p, today)
    if c.age_min is not None:
        out.append(
            _check("age_min", "birth_date", (c.age_min,), age, (age or 0) >= c.age_min, k, rel)
        )
    if c.age_under is not None:
        ok = age is not None and age < c.age_under
        out.append(_check("age_under", "birth_date", (c.age_under,), age, ok, k, rel))
    if c.gender is not None:
        out.append(_check("gender", "gender", (c.gender,), p.gender, p.gender == c.gender, k, rel))
    for key in ("employment", "marital_status"):
        allowed = getattr(c, key)
        if allowed:
            value = getattr(p, key)
            out.append(_check(key, key, allowed, value, value in allowed, k, rel))
    if c.insured:
        have = p.insured
        shown = None if have is None else ",".join(sorted(have)) or "none"
        ok = have is not None and bool(set(have) & set(c.insured))
        out.append(_check("insured", "insured", c.insured, shown, ok, k, rel))
    if c.not_insured:
        have = p.insured
        shown = None if have is None else ",".join(sorted(have)) or "none"
        ok = have is not None and not set(have) & set(c.not_insured)
        out.append(_check("not_insured", "insured", c.not_insured, shown, ok, k, rel))
    for flag, wanted in c.flags:
        if flag == "driver_license":
            value = True if p.driver_license is not None else None
        else:
            value = getattr(p, flag)
        shown = None if value is None else ("yes" if value else "no")
        out.append(_check(flag, flag, ("yes" if wanted else "no",), shown, value == wanted, k, rel))
    return out


def _member_check(m: MemberCondition, household: Household, today: date) -> Check:
    expected = (m.relation, str(m.age_min or ""), str(m.age_under or ""))
    candidates = [p for p in household.with_relation(m.relation) if p.deceased_on is None]
    unknown = False
    for p in candidates:
        age = _age(p, today)
        if m.age_min is None and m.age_under is None:
            return Check("household", "household", expected, MET, p.name, p.key, m.relation)
        if age is None:
            unknown = True
            continue
        if (m.age_min is None or age >= m.age_min) and (m.age_under is None or age < m.age_under):
            return Check("household", "birth_date", expected, MET, p.name, p.key, m.relation)
    if unknown:
        return Check("household", "birth_date", expected, MISSING, None, None, m.relation)
    return Check("household", "household", expected, FAILED, "none", None, m.relation)


def _region_check(c: Conditions, region: str | None, key: str | None, rel: str) -> Check:
    ok = region is not None and any(region.startswith(p) for p in c.region)
    return _check("region", "region_code", c.region, region, ok, key, rel)


def _enterprise_checks(c: Conditions, e: Enterprise) -> list[Check]:
    out = []
    for key in ("legal_form", "size", "industry", "vat_taxpayer"):
        allowed = getattr(c, key)
        if allowed:
            value = enterprise_legal_form(e) if key == "legal_form" else getattr(e, key)
            out.append(_check(key, key, allowed, value, value in allowed, e.key, "enterprise"))
    return out


_RANK = {ELIGIBLE: 0, UNKNOWN: 1, NOT_ELIGIBLE: 2}


def evaluate(
    conditions: Conditions,
    today: date,
    *,
    household: Household | None = None,
    enterprise: Enterprise | None = None,
    region_scope: str | None = None,
) -> Verdict:
    """The verdict of ``conditions`` for a household (personal pages) or an enterprise.

    ``region_scope`` is the service's own region prefix (a local service), checked like a
    ``region`` condition. A person condition on an enterprise page (or the reverse) is
    unknown, never failed.
    """
    c = conditions
    while region_scope and region_scope.endswith("00") and len(region_scope) > 2:
        region_scope = region_scope[:-2]  # a 6-digit scope (440100) is its prefix (4401)
    if region_scope and region_scope != "national" and not c.region:
        c = Conditions(**{**c.__dict__, "region": (region_scope,)})
    if c.everyone and not c.region:
        return Verdict(ELIGIBLE, everyone=True)
    common: list[Check] = []
    holder_region = None
    holder_key = None
    if enterprise is not None:
        holder_region, holder_key = enterprise.region_code, enterprise.key
    elif household is not None:
        holder_region, holder_key = household.holder.region_code, household.holder.key
    if c.region:
        rel = "enterprise" if enterprise is not None else "self"
        common.append(_region_check(c, holder_region, holder_key, rel))
    if c.enterprise_conditions:
        if enterprise is None:
            for key in ("legal_form", "size", "industry", "vat_taxpayer"):
                if getattr(c, key):
                    common.append(Check(key, key, getattr(c, key), MISSING))
        else:
            common.extend(_enterprise_checks(c, enterprise))
    if household is None:
        person_level = c.person_conditions or c.household or c.relations != ("self",)
        if person_level:
            common.append(Check("for", "household", c.relations, MISSING))
        return Verdict(_combine(common), tuple(common), holder_key)
    for m in c.household:
        common.append(_member_check(m, household, today))
    candidates = [
        p for p in household.people if p.relation in c.relations and p.deceased_on is None
    ]
    if not candidates:
        miss = Check("for", "household", c.relations, FAILED, "none", None, None)
        return Verdict(NOT_ELIGIBLE, (*common, miss), None)
    best: Verdict | None = None
    for person in candidates:
        checks = [*common, *_person_checks(c, person, today)]
        verdict = Verdict(_combine(checks), tuple(checks), person.key)
        if best is None or _RANK[verdict.outcome] < _RANK[best.outcome]:
            best = verdict
        if best.outcome == ELIGIBLE:
            break
    assert best is not None
    return best
