"""Tax arithmetic the deduction and relief rules share: spouse splits, tax saved."""

from __future__ import annotations

from lifecycle.entitlements.base import Amount, SplitOption, Subject
from lifecycle.entitlements.params import BUSINESS_BRACKETS, IIT_BRACKETS
from lifecycle.subjects import Person

__all__ = ["spouse_splits", "tax_saved", "business_income_tax", "person_subject"]


def spouse_splits(monthly: int) -> tuple[SplitOption, ...]:
    """100 % by one parent or 50 % each (国发〔2018〕41号 第六条; 国发〔2022〕8号 第二条)."""
    return (
        SplitOption(100, Amount(monthly, "month")),
        SplitOption(50, Amount(monthly // 2, "month")),
    )


def tax_saved(annual_deduction: int, income_band: str | None) -> Amount | None:
    """The tax a year's deduction saves at the person's marginal rate (附表一), if known."""
    rate = IIT_BRACKETS.get(income_band or "")
    if rate is None or annual_deduction <= 0:
        return None
    return Amount(annual_deduction * rate // 100, "year")


def business_income_tax(taxable: int) -> int:
    """经营所得 tax on a year's taxable income (《个人所得税法》附表二)."""
    if taxable <= 0:
        return 0
    for upper, rate, quick in BUSINESS_BRACKETS:
        if upper is None or taxable <= upper:
            return taxable * rate // 100 - quick
    raise AssertionError("the last bracket is open")


def person_subject(person: Person) -> Subject:
    kind = "self" if person.relation == "self" else "household"
    return Subject(kind, person.key, person.name, person.relation)
