"""IIT special additional deductions from the taxpayer's own facts (国发〔2018〕41号).

- 赡养老人 (``iit_elderly_support``, 第二十二条、第二十三条; 国发〔2023〕13号 第三条): a
  parent aged 60 or over; an only child 3,000 a month; siblings share 3,000, at most
  1,500 each. From the month the (first) parent turns 60.
- 住房贷款利息 (``iit_housing_loan_interest``, 第十四条) and 住房租金
  (``iit_housing_rent``, 第十七条): one or the other (第十八条), from the facts given.
- 继续教育 (``iit_continuing_education``, 第八条) and 大病医疗 (``iit_serious_illness``,
  第十一条): only when the person says so.
"""

from __future__ import annotations

from datetime import date

from lifecycle.entitlements.base import (
    UNKNOWN,
    Amount,
    Entitlement,
    birthday,
    month_start,
    status_for,
    value_on,
)
from lifecycle.entitlements.iit_tax import person_subject, tax_saved
from lifecycle.entitlements.params import (
    CONTINUING_EDUCATION,
    ELDERLY_SUPPORT,
    HOUSING_LOAN,
    HOUSING_RENT,
    SERIOUS_ILLNESS,
)
from lifecycle.subjects import Household

__all__ = ["elderly_support", "housing", "continuing_education", "serious_illness"]

SERVICE = "iit_special_deduction"


def elderly_support(household: Household, today: date) -> list[Entitlement]:
    holder = household.holder
    parents = [p for p in household.members if p.relation == "parent" and p.deceased_on is None]
    if not parents:
        return []
    dated = [p for p in parents if p.birth_date is not None]
    if not dated:
        basis = ELDERLY_SUPPORT[-1].basis
        return [
            Entitlement(
                "iit_elderly_support",
                "deduction",
                person_subject(holder),
                None,
                None,
                None,
                UNKNOWN,
                basis,
                SERVICE,
                missing_facts=("birth_date",),
            )
        ]
    first = min(dated, key=lambda p: p.birth_date)
    start = max(month_start(birthday(first.birth_date, 60)), ELDERLY_SUPPORT[0].start)
    status = status_for(start, None, today)
    if status is None:
        return []
    param = value_on(ELDERLY_SUPPORT, max(today, start))
    assert param is not None
    only_amount, sibling_cap = param.value
    facts = ["birth_date"]
    missing: tuple[str, ...] = ()
    note = None
    if holder.only_child is None:
        amount, status, missing = None, UNKNOWN, ("only_child",)
    elif holder.only_child:
        amount = Amount(only_amount, "month")
        facts.append("only_child")
    else:
        facts.append("only_child")
        share = holder.elderly_support_share
        if share is None:
            amount, note = Amount(sibling_cap, "month"), "up_to"
        else:
            amount = Amount(max(0, min(share, sibling_cap)), "month")
            facts.append("elderly_support_share")
    return [
        Entitlement(
            "iit_elderly_support",
            "deduction",
            person_subject(first),
            amount,
            start,
            None,
            status,
            param.basis,
            SERVICE,
            missing_facts=missing,
            facts_used=tuple(facts),
            tax_saved=tax_saved(amount.value * 12, holder.income_band) if amount else None,
            note=note,
        )
    ]


def housing(household: Household, today: date) -> list[Entitlement]:
    holder = household.holder
    me = person_subject(holder)
    if holder.housing is None:
        basis = HOUSING_LOAN[0].basis
        return [
            Entitlement(
                "iit_housing_loan_interest",
                "deduction",
                me,
                None,
                None,
                None,
                UNKNOWN,
                basis,
                SERVICE,
                missing_facts=("housing",),
            )
        ]
    if holder.housing == "first_home_loan":
        param = value_on(HOUSING_LOAN, today)
        if param is None:
            return []
        return [
            Entitlement(
                "iit_housing_loan_interest",
                "deduction",
                me,
                Amount(param.value, "month"),
                None,
                None,
                "eligible",
                param.basis,
                SERVICE,
                facts_used=("housing",),
                tax_saved=tax_saved(param.value * 12, holder.income_band),
                note="max_240_months",
            )
        ]
    if holder.housing == "renting":
        param = value_on(HOUSING_RENT, today)
        if param is None:
            return []
        tier = holder.rent_city_tier
        if tier is None:
            return [
                Entitlement(
                    "iit_housing_rent",
                    "deduction",
                    me,
                    None,
                    None,
                    None,
                    UNKNOWN,
                    param.basis,
                    SERVICE,
                    missing_facts=("rent_city_tier",),
                    facts_used=("housing",),
                )
            ]
        monthly = param.value[tier]
        return [
            Entitlement(
                "iit_housing_rent",
                "deduction",
                me,
                Amount(monthly, "month"),
                None,
                None,
                "eligible",
                param.basis,
                SERVICE,
                facts_used=("housing", "rent_city_tier"),
                tax_saved=tax_saved(monthly * 12, holder.income_band),
            )
        ]
    return []


def continuing_education(household: Household, today: date) -> list[Entitlement]:
    holder = household.holder
    param = value_on(CONTINUING_EDUCATION, today)
    if param is None or holder.continuing_education in (None, "none"):
        return []
    degree_monthly, certificate_once = param.value
    if holder.continuing_education == "degree":
        amount = Amount(degree_monthly, "month")
        saved, note = tax_saved(degree_monthly * 12, holder.income_band), "max_48_months"
    else:
        amount = Amount(certificate_once, "once")
        saved, note = tax_saved(certificate_once, holder.income_band), "year_obtained"
    return [
        Entitlement(
            "iit_continuing_education",
            "deduction",
            person_subject(holder),
            amount,
            None,
            None,
            "eligible",
            param.basis,
            SERVICE,
            facts_used=("continuing_education",),
            tax_saved=saved,
            note=note,
        )
    ]


def serious_illness(household: Household, today: date) -> list[Entitlement]:
    holder = household.holder
    param = value_on(SERIOUS_ILLNESS, today)
    if param is None or not holder.serious_illness_expense:
        return []
    floor, cap = param.value
    deductible = min(max(holder.serious_illness_expense - floor, 0), cap)
    if deductible <= 0:
        return []
    year_end = date(today.year, 12, 31)
    return [
        Entitlement(
            "iit_serious_illness",
            "deduction",
            person_subject(holder),
            Amount(deductible, "year"),
            date(today.year, 1, 1),
            year_end,
            "eligible",
            param.basis,
            "iit_annual_reconciliation",
            facts_used=("serious_illness_expense",),
            tax_saved=tax_saved(deductible, holder.income_band),
            note="annual_reconciliation",
        )
    ]
