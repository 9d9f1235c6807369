"""Who a service is for, in words, and which of the person's facts met each condition."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from lifecycle.eligibility import clauses, evaluate, parse_conditions
from webapp import people
from webapp.entitlements import queries, service, words


@dataclass(frozen=True)
class EligibilityExplanation:
    audience: str  # "面向：…"
    outcome: str  # eligible | not_eligible | unknown
    outcome_text: str
    checks: tuple[tuple[str, str], ...]  # (outcome, sentence)
    basis: str | None
    missing: tuple[str, ...]  # fact keys the questionnaire can ask for


def explain_eligibility(
    session: Session,
    account,
    conditions: dict,
    region_scope: str | None,
    today: date,
    enterprise=None,
) -> EligibilityExplanation:
    """For the account's household, or for ``enterprise`` (an ORM row the caller belongs to)."""
    parsed = parse_conditions(conditions or {})
    scope = None if region_scope in (None, "national") else region_scope
    if enterprise is not None:
        view = service.for_enterprise(session, people.enterprise_subject(enterprise), today)
        verdict = evaluate(parsed, today, enterprise=view.enterprise, region_scope=scope)
    else:
        view = queries.account_view(session, account, today)
        verdict = evaluate(parsed, today, household=view.household, region_scope=scope)
    names = {p.key: p.name for p in view.household.people} if view.household else {}
    checks = []
    for c in verdict.checks:
        line = words.check_line(c)
        if c.subject and c.subject in names and c.relation not in (None, "self"):
            line = f"{names[c.subject]} · {line}"
        checks.append((c.outcome, line))
    return EligibilityExplanation(
        audience=words.audience_line(clauses(parsed)),
        outcome=verdict.outcome,
        outcome_text=str(words.STATUSES[verdict.outcome]),
        checks=tuple(checks),
        basis=parsed.basis,
        missing=verdict.missing_facts,
    )
