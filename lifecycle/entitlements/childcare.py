"""育儿补贴 (``childcare_subsidy``): 《育儿补贴制度实施方案》(2025).

3,600 a year per child under 3, from 2025-01-01, tax-exempt. A child born before 2025 and
still under 3 then gets the months remaining, counted by birth month: the months from
January 2025 through the month of the 3rd birthday, at most 36 (born December 2023: 24
months; born January 2022: 1 month; born December 2021: none), as the National Health
Commission's table by birth month (2022–2024) gives them.
"""

from __future__ import annotations

from datetime import date, timedelta

from lifecycle.entitlements.base import (
    UNKNOWN,
    Amount,
    Entitlement,
    birthday,
    status_for,
    value_on,
)
from lifecycle.entitlements.iit_tax import person_subject
from lifecycle.entitlements.params import CHILDCARE_SUBSIDY
from lifecycle.subjects import Household

__all__ = ["childcare_subsidy", "subsidy_months"]

SERVICE = "childcare_subsidy"
MONTHS = 36


def subsidy_months(birth: date, scheme_start: date = CHILDCARE_SUBSIDY[0].start) -> int:
    """Months of subsidy a child born on ``birth`` is owed (by birth month)."""
    elapsed = (scheme_start.year - birth.year) * 12 + scheme_start.month - birth.month
    return max(0, min(MONTHS, MONTHS + 1 - elapsed))


def childcare_subsidy(household: Household, today: date) -> list[Entitlement]:
    out = []
    for child in household.members:
        if child.relation != "child" or child.deceased_on is not None:
            continue
        if child.birth_date is None:
            out.append(
                Entitlement(
                    "childcare_subsidy",
                    "cash",
                    person_subject(child),
                    None,
                    None,
                    None,
                    UNKNOWN,
                    CHILDCARE_SUBSIDY[-1].basis,
                    SERVICE,
                    missing_facts=("birth_date",),
                )
            )
            continue
        months = subsidy_months(child.birth_date)
        if months == 0:
            continue
        start = max(child.birth_date, CHILDCARE_SUBSIDY[0].start)
        end = birthday(child.birth_date, 3) - timedelta(days=1)
        status = status_for(start, end, today)
        if status is None:
            continue
        param = value_on(CHILDCARE_SUBSIDY, max(today, start))
        assert param is not None
        yearly = param.value
        out.append(
            Entitlement(
                "childcare_subsidy",
                "cash",
                person_subject(child),
                Amount(yearly, "year"),
                start,
                end,
                status,
                param.basis,
                SERVICE,
                facts_used=("birth_date",),
                total=Amount(yearly * months // 12, "once"),
                note="tax_exempt",
            )
        )
    return out
