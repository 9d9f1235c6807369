"""Three outcomes: eligible, not eligible (the failing condition), unknown (missing facts)."""

from __future__ import annotations

from datetime import date

from lifecycle.catalog import load_catalog
from lifecycle.eligibility import ELIGIBLE, NOT_ELIGIBLE, UNKNOWN, evaluate, parse_conditions
from lifecycle.subjects import Enterprise, Household, Person

TODAY = date(2026, 11, 30)
CATALOG = load_catalog()


def _cond(code):
    return CATALOG.services[code].conditions


def _me(**kw):
    return Person(key="self:1", name="me", relation="self", **kw)


def test_a_father_never_gets_maternity_allowance():
    """《社会保险法》第五十六条: the allowance is for the insured employee on maternity leave."""
    father = _me(
        gender="male", birth_date=date(1988, 3, 1), insured=frozenset({"employee_medical"})
    )
    baby = Person("household:2", "宝宝", "child", birth_date=date(2026, 10, 1))
    v = evaluate(_cond("maternity_allowance"), TODAY, household=Household(father, (baby,)))
    assert v.outcome == NOT_ELIGIBLE
    assert [c.condition for c in v.failed] == ["gender"]


def test_an_insured_mother_gets_it_and_the_met_facts_are_named():
    mother = _me(gender="female", insured=frozenset({"employee_medical"}))
    v = evaluate(_cond("maternity_allowance"), TODAY, household=Household(mother))
    assert v.outcome == ELIGIBLE
    assert {c.fact for c in v.met} == {"gender", "insured"}


def test_missing_insurance_is_unknown_and_named():
    v = evaluate(_cond("maternity_allowance"), TODAY, household=Household(_me(gender="female")))
    assert v.outcome == UNKNOWN and v.missing_facts == ("insured",)


def test_old_age_allowance_for_a_parent_of_80():
    """《老年人权益保障法》第三十三条: 八十周岁以上."""
    parent = Person("household:3", "妈妈", "parent", birth_date=date(1946, 11, 30))
    v = evaluate(_cond("elderly_allowance"), TODAY, household=Household(_me(), (parent,)))
    assert v.outcome == ELIGIBLE and v.subject == "household:3"
    younger = Person("household:3", "妈妈", "parent", birth_date=date(1946, 12, 1))
    v = evaluate(_cond("elderly_allowance"), TODAY, household=Household(_me(), (younger,)))
    assert v.outcome == UNKNOWN  # the holder's own birth date is not given


def test_child_services_need_a_child_of_the_age():
    v = evaluate(_cond("child_immunization"), TODAY, household=Household(_me()))
    assert v.outcome == NOT_ELIGIBLE and v.failed[0].condition == "for"
    old = Person("household:2", "大宝", "child", birth_date=date(2019, 11, 30))  # 7 today
    v = evaluate(_cond("child_immunization"), TODAY, household=Household(_me(), (old,)))
    assert v.outcome == NOT_ELIGIBLE and v.failed[0].condition == "age_under"
    young = Person("household:4", "二宝", "child", birth_date=date(2019, 12, 1))  # 6 today
    v = evaluate(_cond("child_immunization"), TODAY, household=Household(_me(), (old, young)))
    assert v.outcome == ELIGIBLE and v.subject == "household:4"


def test_household_member_condition_childcare_subsidy():
    """育儿补贴: a child under 3 on the day; the 3rd birthday ends it."""
    c = _cond("childcare_subsidy")
    two = Person("household:2", "宝宝", "child", birth_date=date(2023, 12, 1))
    three = Person("household:2", "宝宝", "child", birth_date=date(2023, 11, 30))
    nodate = Person("household:2", "宝宝", "child")
    assert evaluate(c, TODAY, household=Household(_me(), (two,))).outcome == ELIGIBLE
    assert evaluate(c, TODAY, household=Household(_me(), (three,))).outcome == NOT_ELIGIBLE
    assert evaluate(c, TODAY, household=Household(_me(), (nodate,))).outcome == UNKNOWN


def test_deceased_members_are_not_candidates():
    gone = Person(
        "household:3", "爷爷", "parent", birth_date=date(1930, 1, 1), deceased_on=date(2025, 1, 1)
    )
    v = evaluate(
        _cond("elderly_allowance"),
        TODAY,
        household=Household(_me(birth_date=date(1990, 1, 1)), (gone,)),
    )
    assert v.outcome == NOT_ELIGIBLE


def test_resident_pension_excludes_the_employee_scheme():
    """国发〔2014〕8号: 不属于职工基本养老保险制度覆盖范围."""
    c = _cond("resident_pension_claim")
    employee = _me(birth_date=date(1960, 1, 1), insured=frozenset({"employee_pension"}))
    resident = _me(birth_date=date(1960, 1, 1), insured=frozenset({"resident_pension"}))
    assert evaluate(c, TODAY, household=Household(employee)).outcome == NOT_ELIGIBLE
    assert evaluate(c, TODAY, household=Household(resident)).outcome == ELIGIBLE


def test_region_scope_and_region_conditions():
    c = parse_conditions({"everyone": True})
    h = Household(_me(region_code="440106"))
    assert evaluate(c, TODAY, household=h, region_scope="4403").outcome == NOT_ELIGIBLE
    assert evaluate(c, TODAY, household=h, region_scope="4401").outcome == ELIGIBLE
    assert evaluate(c, TODAY, household=Household(_me()), region_scope="4401").outcome == UNKNOWN
    assert evaluate(c, TODAY, household=h).everyone


def test_individual_businesses_do_not_file_enterprise_income_tax():
    """《企业所得税法》第一条: 个体工商户 pay IIT on business income, not EIT."""
    c = _cond("eit_annual_reconciliation")
    shop = Enterprise("e:1", "92440101MA5XXXXX0X", "小店", None)  # GB 32100: 92 个体工商户
    company = Enterprise("e:2", "91440101MA5XXXXX0X", "公司", None)  # 91 企业
    stated = Enterprise("e:4", "91440101MA5XXXXX0X", "店", None, legal_form="individual_business")
    unknown = Enterprise("e:3", "", "公司", None)
    assert evaluate(c, TODAY, enterprise=shop).outcome == NOT_ELIGIBLE
    assert evaluate(c, TODAY, enterprise=company).outcome == ELIGIBLE
    assert evaluate(c, TODAY, enterprise=stated).outcome == NOT_ELIGIBLE  # stated wins
    v = evaluate(c, TODAY, enterprise=unknown)
    assert v.outcome == UNKNOWN and v.missing_facts == ("legal_form",)


def test_person_conditions_without_a_household_are_unknown():
    v = evaluate(_cond("maternity_allowance"), TODAY)
    assert v.outcome == UNKNOWN


def test_flags_three_valued():
    c = _cond("disability_living_subsidy")
    holder = _me(disability_certificate=True)
    assert evaluate(c, TODAY, household=Household(holder)).outcome == ELIGIBLE
    assert (
        evaluate(c, TODAY, household=Household(_me(disability_certificate=False))).outcome
        == NOT_ELIGIBLE
    )
    assert evaluate(c, TODAY, household=Household(_me())).outcome == UNKNOWN
