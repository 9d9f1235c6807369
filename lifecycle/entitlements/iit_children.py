"""IIT special additional deductions for children: infant care and children's education.

- 3岁以下婴幼儿照护 (``iit_infant_care``): 国发〔2022〕8号 (from 2022-01-01, 1,000 a month),
  国发〔2023〕13号 第一条 (2,000 from 2023-01-01); from the birth month to the month
  before the 3rd birthday (《个人所得税专项附加扣除操作办法（试行）》).
- 子女教育 (``iit_child_education``): 国发〔2018〕41号 第五条、第六条, 国发〔2023〕13号
  第二条 (2,000 from 2023-01-01); from the month the child turns 3 through full-time
  education. From age 6 the school stage decides, so it is asked for.
"""

from __future__ import annotations

from datetime import date, timedelta

from lifecycle.dates import age_on
from lifecycle.entitlements.base import (
    ELIGIBLE,
    UNKNOWN,
    Amount,
    Entitlement,
    birthday,
    month_start,
    status_for,
    value_on,
)
from lifecycle.entitlements.iit_tax import person_subject, spouse_splits, tax_saved
from lifecycle.entitlements.params import CHILD_EDUCATION, INFANT_CARE
from lifecycle.subjects import Household, Person

__all__ = ["infant_care", "child_education"]

STUDYING = ("preschool", "compulsory", "senior", "higher")


def _children(household: Household) -> list[Person]:
    return [p for p in household.members if p.relation == "child" and p.deceased_on is None]


def _unknown(key: str, child: Person, basis: str, service: str) -> Entitlement:
    return Entitlement(
        key,
        "deduction",
        person_subject(child),
        None,
        None,
        None,
        UNKNOWN,
        basis,
        service,
        missing_facts=("birth_date",),
    )


def infant_care(household: Household, today: date) -> list[Entitlement]:
    out = []
    for child in _children(household):
        if child.birth_date is None:
            out.append(
                _unknown("iit_infant_care", child, INFANT_CARE[-1].basis, "iit_special_deduction")
            )
            continue
        start = max(month_start(child.birth_date), INFANT_CARE[0].start)
        end = month_start(birthday(child.birth_date, 3)) - timedelta(days=1)
        if end < start:
            continue
        status = status_for(start, end, today)
        if status is None:
            continue
        param = value_on(INFANT_CARE, max(today, start))
        assert param is not None
        monthly = param.value
        out.append(
            Entitlement(
                "iit_infant_care",
                "deduction",
                person_subject(child),
                Amount(monthly, "month"),
                start,
                end,
                status,
                param.basis,
                "iit_special_deduction",
                facts_used=("birth_date",),
                splits=spouse_splits(monthly),
                tax_saved=tax_saved(monthly * 12, household.holder.income_band),
            )
        )
    return out


def child_education(household: Household, today: date) -> list[Entitlement]:
    out = []
    for child in _children(household):
        if child.birth_date is None:
            out.append(
                _unknown(
                    "iit_child_education", child, CHILD_EDUCATION[-1].basis, "iit_special_deduction"
                )
            )
            continue
        start = max(month_start(birthday(child.birth_date, 3)), CHILD_EDUCATION[0].start)
        status = status_for(start, None, today)
        if status is None:
            continue
        facts = ["birth_date"]
        missing: tuple[str, ...] = ()
        if status == ELIGIBLE and age_on(child.birth_date, today) >= 6:
            if child.school_stage is None:
                status, missing = UNKNOWN, ("school_stage",)
            elif child.school_stage not in STUDYING:
                continue  # full-time education is over
            else:
                facts.append("school_stage")
        param = value_on(CHILD_EDUCATION, max(today, start))
        assert param is not None
        monthly = param.value
        out.append(
            Entitlement(
                "iit_child_education",
                "deduction",
                person_subject(child),
                Amount(monthly, "month"),
                start,
                None,
                status,
                param.basis,
                "iit_special_deduction",
                missing_facts=missing,
                facts_used=tuple(facts),
                splits=spouse_splits(monthly),
                tax_saved=tax_saved(monthly * 12, household.holder.income_band),
            )
        )
    return out
