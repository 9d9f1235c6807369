"""Duties corrected against the statutes; each test names its article."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from lifecycle.dates import add_years
from lifecycle.identifiers import make_credit_code
from lifecycle.rules import enterprise_duties, person_duties
from lifecycle.rules.identity import id_card_expiry
from lifecycle.subjects import Document, Enterprise, Person

TODAY = date(2026, 3, 10)


def person(**kw) -> Person:
    base = {"key": "self:1", "name": "张三", "relation": "self"}
    base.update(kw)
    return Person(**base)


def by_rule(duties, rule):
    return [d for d in duties if d.rule == rule]


# --- 《居民身份证法》 --------------------------------------------------------------------------


def test_card_expired_under_16_is_due_again_at_16_art_2_and_11():
    """第二条: at 16 a valid card is compulsory; 第十一条第二款: before that renewal is optional."""
    child = person(
        relation="child", birth_date=date(2015, 10, 4), id_card=Document(date(2018, 12, 27))
    )
    duties = by_rule(person_duties(child, TODAY), "id_card_renewal")
    required = [d for d in duties if d.required]
    optional = [d for d in duties if d.advisory]
    assert [d.due_date for d in required] == [date(2031, 10, 4)]
    assert "第二条" in required[0].explanation["zh_Hans"]
    assert [d.due_date for d in optional] == [date(2023, 12, 27)]  # 可以换领: advisory
    assert "第十一条第二款" in optional[0].explanation["zh_Hans"]
    # At 16 the optional one is gone; the required one stays open, overdue, years on.
    later = by_rule(person_duties(child, date(2034, 1, 1)), "id_card_renewal")
    assert [(d.due_date, d.advisory) for d in later] == [(date(2031, 10, 4), False)]


def test_card_valid_at_16_has_ordinary_required_renewal_art_11():
    """第十一条: a card issued at 14 (5 years) expires at 19: renewal is required then."""
    teen = person(birth_date=date(2010, 1, 1), id_card=Document(date(2024, 6, 1)))
    [d] = by_rule(person_duties(teen, TODAY), "id_card_renewal")
    assert d.due_date == date(2029, 6, 1) and d.required and d.occurrence == "renewal-2029-06-01"


def test_card_expired_long_ago_stays_open_and_overdue_art_11():
    """第十一条: 有效期满…应当换领 — the duty does not drop after a year."""
    p = person(birth_date=date(1975, 1, 1), id_card=Document(date(2005, 9, 28)))  # 30: 20 years
    [d] = by_rule(person_duties(p, TODAY), "id_card_renewal")
    assert d.due_date == date(2025, 9, 28) and d.required and d.due_date < TODAY
    [d] = by_rule(person_duties(p, date(2030, 1, 1)), "id_card_renewal")
    assert d.due_date == date(2025, 9, 28)


# --- 《机动车驾驶证申领和使用规定》 ---------------------------------------------------------------


def test_driving_licence_cancelled_a_year_after_expiry_art_79():
    """第七十一条: renew in the 90 days before; 第七十九条: cancelled after a year unrenewed."""
    p = person(birth_date=date(1980, 1, 1), driver_license=Document(None, date(2025, 6, 1)))
    [d] = by_rule(person_duties(p, TODAY), "driver_license_renewal")
    assert d.occurrence == "renewal-2025-06-01" and d.required
    assert "2026-06-01" in d.explanation["zh_Hans"] and "注销" in d.explanation["zh_Hans"]
    [gone] = by_rule(person_duties(p, date(2026, 6, 2)), "driver_license_renewal")
    assert gone.occurrence == "cancelled-2025-06-01"
    assert gone.service_code == "driver_license_application" and gone.advisory
    assert gone.window_start == date(2026, 6, 1) and gone.due_date == date(2028, 6, 1)
    assert "第七十九条" in gone.explanation["zh_Hans"]


# --- 《护照法》第七条 ------------------------------------------------------------------------


def test_passport_expiry_computed_from_age_at_issue_art_7():
    """第七条: 5 years when the holder is under 16 at issue, 10 years at 16 and over."""
    child = person(birth_date=date(2015, 1, 1), passport=Document(issued_on=date(2024, 1, 1)))
    [d] = by_rule(person_duties(child, TODAY), "passport_renewal")
    assert d.due_date == date(2029, 1, 1) and d.computed_expiry and d.advisory
    assert "推算" in d.explanation["zh_Hans"] and "computed" in d.explanation["en"]
    adult = dataclasses.replace(child, birth_date=date(2008, 1, 1))  # 16 on the day of issue
    [d] = by_rule(person_duties(adult, TODAY), "passport_renewal")
    assert d.due_date == date(2034, 1, 1) and d.computed_expiry
    given = dataclasses.replace(child, passport=Document(date(2024, 1, 1), date(2029, 1, 1)))
    [d] = by_rule(person_duties(given, TODAY), "passport_renewal")
    assert not d.computed_expiry and "推算" not in d.explanation["zh_Hans"]


# --- 《个人所得税法》 ---------------------------------------------------------------------------


def test_employee_aged_16_gets_reconciliation_iit_law_art_11():
    """第十一条 sets no age limit; 16 is the legal working age (《劳动法》第十五条)."""
    worker = person(birth_date=date(2009, 6, 1), employment="employed")
    assert [d.occurrence for d in by_rule(person_duties(worker, TODAY), "iit_reconciliation")] == [
        "2025",
        "2026",
    ]
    pupil = dataclasses.replace(worker, employment="student")
    assert not by_rule(person_duties(pupil, TODAY), "iit_reconciliation")


def test_deduction_confirmation_each_december_operating_measures_art_9():
    """《个人所得税专项附加扣除操作办法（试行）》第九条: confirm next year's deductions in December."""
    worker = person(birth_date=date(1990, 6, 1), employment="employed")
    [d] = by_rule(person_duties(worker, TODAY), "iit_deduction_confirmation")
    assert (d.occurrence, d.window_start, d.due_date) == (
        "2027",
        date(2026, 12, 1),
        date(2026, 12, 31),
    )
    assert d.service_code == "iit_special_deduction" and "第九条" in d.legal_basis
    retired = dataclasses.replace(worker, employment="retired")
    assert not by_rule(person_duties(retired, TODAY), "iit_deduction_confirmation")


# --- 《户口登记条例》第八条 --------------------------------------------------------------------


def test_death_registration_within_a_month_hukou_regulation_art_8():
    """第八条: 城市在葬前，农村在一个月以内 — the later (rural) limit is the due date."""
    p = person(birth_date=date(1940, 1, 1), deceased_on=date(2026, 9, 1))
    [d] = person_duties(p, date(2026, 9, 2))
    assert d.rule == "death_registration" and d.legal_basis.endswith("第八条")
    assert d.due_date == date(2026, 10, 8)  # 1 October falls in National Day: moves on
    assert "安葬前" in d.explanation["zh_Hans"]


# --- 个体工商户: 《个人所得税法》第十二条, no enterprise income tax -------------------------------


def _ent(code_prefix: str, **kw) -> Enterprise:
    code = make_credit_code(code_prefix + "350200MA2Y0L7Q8")
    return Enterprise("enterprise:1", code, "某店", date(2020, 5, 1), **kw)


def test_individual_business_pays_iit_on_business_income_not_eit_iit_law_art_12():
    """第十二条: prepay within 15 days after each month or quarter; reconcile by 31 March."""
    duties = enterprise_duties(_ent("92", taxpayer_period="quarterly"), TODAY)
    rules = {d.rule for d in duties}
    assert not rules & {"eit_prepayment", "eit_annual"}
    assert {"iit_business_prepayment", "iit_business_annual", "vat_declaration"} <= rules
    pre = {d.occurrence: d for d in by_rule(duties, "iit_business_prepayment")}
    assert pre["2026-Q1"].due_date == date(2026, 4, 20)  # 税总办征科函〔2025〕64号
    annual = {d.occurrence: d for d in by_rule(duties, "iit_business_annual")}
    assert annual["2025"].due_date == date(2026, 3, 31)
    assert "第十二条" in annual["2025"].legal_basis


def test_individual_business_annual_deadline_moves_off_a_weekend():
    """实施细则第一百零九条: 31 March 2024 was a Sunday → 1 April 2024."""
    [d] = [
        d
        for d in enterprise_duties(_ent("92"), date(2024, 3, 1))
        if d.rule == "iit_business_annual" and d.occurrence == "2023"
    ]
    assert d.due_date == date(2024, 4, 1)


def test_company_and_cooperative_keep_eit():
    """《企业所得税法》第一条: enterprises and other organisations with income pay EIT."""
    for prefix in ("91", "93"):
        rules = {d.rule for d in enterprise_duties(_ent(prefix), TODAY)}
        assert {"eit_prepayment", "eit_annual", "annual_report"} <= rules
        assert not rules & {"iit_business_prepayment", "iit_business_annual"}


@given(
    birth=st.dates(min_value=date(1950, 1, 1), max_value=date(2024, 12, 31)),
    issued_after_days=st.integers(min_value=0, max_value=40 * 366),
    today_after_days=st.integers(min_value=0, max_value=60 * 366),
)
def test_a_card_needing_renewal_always_has_one_required_duty_art_2_and_11(
    birth, issued_after_days, today_after_days
):
    """第二条、第十一条: whatever the dates, a card that expires has exactly one required
    renewal, never due before the 16th birthday, and it never silently drops."""
    issued = birth + timedelta(days=issued_after_days)
    today = issued + timedelta(days=today_after_days)
    p = person(birth_date=birth, id_card=Document(issued_on=issued))
    duties = by_rule(person_duties(p, today), "id_card_renewal")
    required = [d for d in duties if d.required]
    if id_card_expiry(birth, issued) is None:
        assert duties == []
        return
    assert len(required) == 1
    assert required[0].due_date >= add_years(birth, 16)
    assert all(d.advisory for d in duties if d not in required)
    assert not [d for d in duties if d.advisory] or today < add_years(birth, 16)
