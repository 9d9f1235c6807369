"""The deductions a person confirms each December for the next year.

《个人所得税专项附加扣除操作办法（试行）》第九条: an employee whose employer (the withholding
agent) deducts special additional deductions confirms next year's deductions in December;
unconfirmed ones pause from January. The list is the person's own IIT deductions that the
employer deducts (not serious illness, which is claimed at the annual reconciliation,
第十一条) and that run in that year, with their standard amounts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from lifecycle.entitlements.base import Amount, Entitlement, Subject

#: Deductions the employer deducts month by month, so confirmed in December (第九条).
CONFIRMED_IN_DECEMBER = (
    "iit_infant_care",
    "iit_child_education",
    "iit_elderly_support",
    "iit_housing_loan_interest",
    "iit_housing_rent",
    "iit_continuing_education",
)


@dataclass(frozen=True)
class DeductionToConfirm:
    key: str  # the entitlement key, e.g. "iit_infant_care"
    subject: Subject  # whom it is for (the child for infant care, the parent for support)
    amount: Amount  # the standard amount (the 100 % option where spouses may split)
    start: date  # within the year
    end: date  # within the year
    legal_basis: str


def deductions_to_confirm(
    entitlements: Iterable[Entitlement], year: int
) -> tuple[DeductionToConfirm, ...]:
    """The deductions among ``entitlements`` to confirm for ``year``: eligible or upcoming,
    with an amount, running for at least part of that year (dates cut to the year)."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    out = []
    for e in entitlements:
        if e.key not in CONFIRMED_IN_DECEMBER or e.status not in ("eligible", "upcoming"):
            continue
        if e.amount is None:
            continue
        start = max(e.start or first, first)
        end = min(e.end or last, last)
        if start > end:
            continue
        out.append(DeductionToConfirm(e.key, e.subject, e.amount, start, end, e.legal_basis))
    return tuple(
        sorted(out, key=lambda d: (CONFIRMED_IN_DECEMBER.index(d.key), d.start, d.subject.key))
    )
