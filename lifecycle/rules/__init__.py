"""Duty rules, one module per family, and the two entry points.

``RULES`` maps every rule key to its :class:`RuleInfo` (service code, legal basis, plain
summary, default reminder leads). ``person_duties`` and ``enterprise_duties`` evaluate them.
"""

from __future__ import annotations

from datetime import date

from lifecycle.params import DEFAULT_PARAMS, LocalParams
from lifecycle.rules import education, enterprise, family, health, identity, retirement, tax
from lifecycle.rules.base import DEFAULT_LEADS, Context, Duty, RuleInfo
from lifecycle.subjects import Enterprise, Person

__all__ = ["RULES", "Duty", "RuleInfo", "DEFAULT_LEADS", "person_duties", "enterprise_duties"]

_MODULES = (family, identity, education, health, retirement, tax, enterprise)

RULES: dict[str, RuleInfo] = {info.key: info for mod in _MODULES for info in mod.RULES}

_PERSON_RULES = (
    family.newborn_registration,
    health.immunization,
    education.school_enrollment_primary,
    education.school_enrollment_junior,
    identity.id_card_first,
    identity.id_card_renewal,
    identity.driver_license_renewal,
    identity.passport_renewal,
    tax.iit_reconciliation,
    health.resident_medical_insurance,
    retirement.retirement,
)


def _sorted(duties: list[Duty]) -> list[Duty]:
    return sorted(duties, key=lambda d: (d.due_date, d.window_start, d.rule, d.occurrence))


def person_duties(
    person: Person,
    today: date,
    params: LocalParams = DEFAULT_PARAMS,
    guardian: Person | None = None,
) -> list[Duty]:
    """All duties of ``person`` as of ``today``, sorted by due date.

    A deceased person has only the death registration (a duty of the survivors). One-off
    duties are returned however far ahead, dropped when due more than
    ``params.history_days`` ago; recurring duties cover the open ones and those opening
    within ``params.horizon_months``.
    """
    ctx = Context(today, params, guardian)
    if person.deceased_on is not None:
        return _sorted(family.death_registration(person, ctx))
    out: list[Duty] = []
    for rule in _PERSON_RULES:
        out.extend(rule(person, ctx))
    return _sorted(out)


def enterprise_duties(
    ent: Enterprise, today: date, params: LocalParams = DEFAULT_PARAMS
) -> list[Duty]:
    """All duties of ``ent`` as of ``today``, sorted by due date."""
    ctx = Context(today, params)
    out: list[Duty] = []
    for rule in enterprise.ENTERPRISE_RULES:
        out.extend(rule(ent, ctx))
    return _sorted(out)
