"""What an entitlement is, dated parameters, and the month arithmetic the rules share.

Rules-as-code: each benefit family is one module of pure functions
``(facts, today, params) -> list[Entitlement]``; its parameters are dated values in
:mod:`lifecycle.entitlements.params`; its cases are tables under
``tests/lifecycle/entitlements/``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Generic, TypeVar

from lifecycle.dates import add_months, add_years

__all__ = [
    "Amount",
    "Dated",
    "Entitlement",
    "SplitOption",
    "Subject",
    "value_on",
    "month_start",
    "month_end",
    "status_for",
    "HORIZON_MONTHS",
]

T = TypeVar("T")

ELIGIBLE, UPCOMING, UNKNOWN = "eligible", "upcoming", "unknown"
#: Entitlements that start later than this many months from today are not listed yet.
HORIZON_MONTHS = 13


@dataclass(frozen=True)
class Dated(Generic[T]):
    """A parameter value in force from ``start`` to ``end`` (inclusive; None: open)."""

    value: T
    start: date
    end: date | None = None
    basis: str = ""

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


def value_on(values: Sequence[Dated[T]], day: date) -> Dated[T] | None:
    """The dated value in force on ``day`` (None before the first or after the last)."""
    for v in values:
        if v.covers(day):
            return v
    return None


@dataclass(frozen=True)
class Amount:
    value: int  # CNY, whole yuan
    period: str  # "month" | "year" | "once"
    currency: str = "CNY"


@dataclass(frozen=True)
class Subject:
    kind: str  # "self" | "household" | "enterprise"
    key: str  # the caller's subject key ("self:3", "household:17", "enterprise:5")
    name: str
    relation: str | None = None


@dataclass(frozen=True)
class SplitOption:
    """How a deduction may be split between the spouses (e.g. 100 % one, 50 % each)."""

    share_percent: int
    amount: Amount


@dataclass(frozen=True)
class Entitlement:
    key: str  # e.g. "iit_infant_care"; also the title's translation key
    kind: str  # "cash" | "deduction" | "tax_relief" | "service"
    subject: Subject  # whom it is for (a child for the infant-care deduction)
    amount: Amount | None
    start: date | None  # "from"
    end: date | None  # "to" (None: open-ended)
    status: str  # "eligible" | "upcoming" | "unknown"
    legal_basis: str
    service_code: str | None = None
    missing_facts: tuple[str, ...] = ()
    facts_used: tuple[str, ...] = ()  # the facts that made it so
    splits: tuple[SplitOption, ...] = ()
    tax_saved: Amount | None = None  # at the person's bracket, per year, when known
    total: Amount | None = None  # the whole amount over the period, when fixed
    note: str | None = None  # a machine key: "up_to", "local_amount_not_entered", …


def month_start(d: date) -> date:
    return d.replace(day=1)


def month_end(d: date) -> date:
    return add_months(month_start(d), 1) - timedelta(days=1)


def birthday(birth: date, years: int) -> date:
    """The ``years``-th birthday (29 February → 28 February in common years)."""
    return add_years(birth, years)


def months_between(start: date, end: date) -> int:
    """Calendar months from ``start``'s month through ``end``'s month, inclusive."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def status_for(start: date | None, end: date | None, today: date) -> str | None:
    """eligible / upcoming within the horizon / None (over, or too far ahead)."""
    if end is not None and today > end:
        return None
    if start is not None and today < start:
        return UPCOMING if start <= add_months(today, HORIZON_MONTHS) else None
    return ELIGIBLE
