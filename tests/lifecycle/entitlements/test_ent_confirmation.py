"""The December confirmation lists next year's deductions (《个人所得税专项附加扣除操作办法（试行）》
第九条), with the standard amounts of 国发〔2023〕13号 and dates cut to that year."""

from __future__ import annotations

from datetime import date

from lifecycle.entitlements import person_entitlements
from lifecycle.entitlements.confirmation import deductions_to_confirm
from lifecycle.subjects import Household, Person

TODAY = date(2026, 12, 5)


def _me(**kw) -> Person:
    return Person(
        **{
            "key": "self:1",
            "name": "张三",
            "relation": "self",
            "birth_date": date(1988, 6, 18),
            "employment": "employed",
            **kw,
        }
    )


def _confirm(household: Household, year: int = 2027):
    return deductions_to_confirm(person_entitlements(household, TODAY), year)


def test_infant_care_for_a_newborn_runs_the_whole_next_year_art_9():
    """国发〔2023〕13号第一条: 2,000 a month per child under 3."""
    kid = Person("member:2", "小宝", "child", date(2026, 10, 31))
    (line,) = _confirm(Household(_me(), (kid,)))
    assert line.key == "iit_infant_care" and line.subject.name == "小宝"
    assert (line.amount.value, line.amount.period) == (2000, "month")
    assert (line.start, line.end) == (date(2027, 1, 1), date(2027, 12, 31))


def test_a_child_turning_3_switches_to_education_within_the_year_art_9():
    """Infant care to the month before the 3rd birthday, education from that month."""
    kid = Person("member:2", "小明", "child", date(2024, 7, 1))
    lines = _confirm(Household(_me(), (kid,)))
    assert [(d.key, d.start, d.end) for d in lines] == [
        ("iit_infant_care", date(2027, 1, 1), date(2027, 6, 30)),
        ("iit_child_education", date(2027, 7, 1), date(2027, 12, 31)),
    ]


def test_elderly_support_for_an_only_child_with_a_parent_over_60_art_9():
    """国发〔2023〕13号: 3,000 a month for an only child."""
    parent = Person("member:3", "张父", "parent", date(1960, 3, 1))
    (line,) = _confirm(Household(_me(only_child=True), (parent,)))
    assert line.key == "iit_elderly_support" and line.amount.value == 3000


def test_serious_illness_and_unknowns_are_not_listed_and_a_past_child_is_not():
    """Serious illness is claimed at the annual reconciliation (第十一条), not in December;
    a deduction whose facts are missing has no amount to confirm."""
    grown = Person("member:2", "大宝", "child", date(2000, 1, 1))
    assert _confirm(Household(_me(), (grown,))) == ()
    assert _confirm(Household(_me())) == ()
