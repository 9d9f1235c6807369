"""Duty rules, one module per family, and the two entry points.

Each module lists its rules once: ``RULES`` (the :class:`RuleInfo` of each rule key) and
``PERSON_RULES`` or ``ENTERPRISE_RULES`` (the functions that evaluate them). This package
only collects those lists: adding a rule to a module registers it.
``person_duties`` and ``enterprise_duties`` evaluate them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from lifecycle.params import DEFAULT_PARAMS, LocalParams
from lifecycle.rules import (
    business_tax,
    education,
    enterprise,
    family,
    health,
    identity,
    retirement,
    tax,
)
from lifecycle.rules.base import DEFAULT_LEADS, Context, Duty, RuleInfo
from lifecycle.subjects import Enterprise, Person

__all__ = [
    "RULES",
    "PERSON_RULES",
    "ENTERPRISE_RULES",
    "Duty",
    "RuleInfo",
    "DEFAULT_LEADS",
    "person_duties",
    "enterprise_duties",
]

_MODULES = (family, identity, education, health, retirement, tax, enterprise, business_tax)

RULES: dict[str, RuleInfo] = {info.key: info for mod in _MODULES for info in mod.RULES}

PERSON_RULES: tuple[Callable[[Person, Context], list[Duty]], ...] = tuple(
    rule for mod in _MODULES for rule in getattr(mod, "PERSON_RULES", ())
)
ENTERPRISE_RULES: tuple[Callable[[Enterprise, Context], list[Duty]], ...] = tuple(
    rule for mod in _MODULES for rule in getattr(mod, "ENTERPRISE_RULES", ())
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

    A deceased person has only the death registration (a duty of the survivors): every
    other duty of theirs ends with the death. One-off duties are returned however far
    ahead and, unless their rule keeps them open while the obligation stands, dropped when
    due more than ``params.history_days`` ago; recurring duties cover the open ones and
    those opening within ``params.horizon_months``.
    """
    ctx = Context(today, params, guardian)
    if person.deceased_on is not None:
        return _sorted(family.death_registration(person, ctx))
    out: list[Duty] = []
    for rule in PERSON_RULES:
        out.extend(rule(person, ctx))
    return _sorted(out)


def enterprise_duties(
    ent: Enterprise, today: date, params: LocalParams = DEFAULT_PARAMS
) -> list[Duty]:
    """All duties of ``ent`` as of ``today``, sorted by due date."""
    ctx = Context(today, params)
    out: list[Duty] = []
    for rule in ENTERPRISE_RULES:
        out.extend(rule(ent, ctx))
    return _sorted(out)
