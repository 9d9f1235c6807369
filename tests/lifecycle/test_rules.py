import dataclasses
from datetime import date

import pytest

from lifecycle.dates import add_months
from lifecycle.params import DEFAULT_PARAMS, LocalParams
from lifecycle.rules import RULES, enterprise_duties, person_duties
from lifecycle.rules.education import primary_entry_year
from lifecycle.rules.identity import id_card_validity_years
from lifecycle.rules.retirement import delay_months, retirement_age_months, retirement_date
from lifecycle.subjects import Document, Enterprise, Permit, Person

TODAY = date(2026, 3, 10)
API_KEYS = {
    "newborn_registration", "id_card_first", "id_card_renewal", "driver_license_renewal",
    "passport_renewal", "school_enrollment_primary", "school_enrollment_junior",
    "immunization", "iit_reconciliation", "retirement", "death_registration",
    "annual_report", "vat_declaration", "eit_prepayment", "eit_annual", "permit_renewal",
    "resident_medical_insurance", "iit_deduction_confirmation", "iit_business_prepayment",
    "iit_business_annual",
}  # fmt: skip
SERVICE_CODES = {
    "newborn_registration": "hukou_birth_registration",
    "id_card_first": "id_card_first_application",
    "id_card_renewal": "id_card_renewal",
    "driver_license_renewal": "driver_license_renewal",
    "passport_renewal": "passport_renewal",
    "school_enrollment_primary": "primary_school_enrollment",
    "school_enrollment_junior": "junior_school_enrollment",
    "immunization": "child_immunization",
    "iit_reconciliation": "iit_annual_reconciliation",
    "retirement": "pension_claim",
    "death_registration": "death_hukou_cancellation",
    "resident_medical_insurance": "resident_medical_insurance_payment",
    "annual_report": "enterprise_annual_report",
    "vat_declaration": "vat_declaration",
    "eit_prepayment": "eit_prepayment",
    "eit_annual": "eit_annual_reconciliation",
    "permit_renewal": "food_business_license_renewal",
    "iit_deduction_confirmation": "iit_special_deduction",
    "iit_business_prepayment": "iit_business_income_declaration",
    "iit_business_annual": "iit_business_income_declaration",
}


def person(**kw) -> Person:
    base = {"key": "self:1", "name": "张三", "relation": "self"}
    base.update(kw)
    return Person(**base)


def by_rule(duties, rule):
    return [d for d in duties if d.rule == rule]


def test_every_rule_registered_with_contract_service_code():
    assert set(RULES) == API_KEYS
    for key, info in RULES.items():
        assert info.service_code == SERVICE_CODES[key]
        assert info.legal_basis and set(info.summary) >= {"zh_Hans", "en"}
        assert info.default_leads


@pytest.mark.parametrize(
    ("birth", "category", "age_months", "on"),
    [
        (date(1964, 12, 15), "male", 720, date(2024, 12, 15)),
        (date(1965, 1, 15), "male", 721, date(2025, 2, 15)),
        (date(1965, 4, 30), "male", 721, date(2025, 5, 30)),
        (date(1965, 5, 1), "male", 722, date(2025, 7, 1)),
        (date(1976, 8, 31), "male", 755, date(2039, 7, 31)),
        (date(1976, 9, 1), "male", 756, date(2039, 9, 1)),
        (date(1980, 1, 1), "male", 756, date(2043, 1, 1)),
        (date(1969, 12, 1), "female_cadre", 660, date(2024, 12, 1)),
        (date(1970, 1, 1), "female_cadre", 661, date(2025, 2, 1)),
        (date(1981, 8, 1), "female_cadre", 695, date(2039, 7, 1)),
        (date(1981, 9, 1), "female_cadre", 696, date(2039, 9, 1)),
        (date(1974, 12, 31), "female_worker", 600, date(2024, 12, 31)),
        (date(1975, 1, 31), "female_worker", 601, date(2025, 2, 28)),
        (date(1975, 2, 1), "female_worker", 601, date(2025, 3, 1)),
        (date(1975, 3, 1), "female_worker", 602, date(2025, 5, 1)),
        (date(1984, 10, 1), "female_worker", 659, date(2039, 9, 1)),
        (date(1984, 11, 1), "female_worker", 660, date(2039, 11, 1)),
        (date(1990, 6, 1), "female_worker", 660, date(2045, 6, 1)),
    ],
)
def test_retirement_table(birth, category, age_months, on):
    assert retirement_age_months(birth, category) == age_months
    assert retirement_date(birth, category) == on


def test_retirement_duty_window_and_skip_when_retired():
    p = person(birth_date=date(1965, 1, 15), gender="male")
    [d] = by_rule(person_duties(p, date(2024, 6, 1)), "retirement")
    assert (d.window_start, d.due_date) == (date(2024, 11, 15), date(2025, 2, 15))
    assert "60" in d.explanation["zh_Hans"] and d.service_code == "pension_claim"
    retired = dataclasses.replace(p, employment="retired")
    assert not by_rule(person_duties(retired, date(2024, 6, 1)), "retirement")
    assert delay_months(date(1964, 12, 31), "male") == 0


@pytest.mark.parametrize(
    ("birth", "issued", "years"),
    [
        (date(2000, 5, 1), date(2016, 4, 30), 5),  # 15 on the day of issue
        (date(2000, 5, 1), date(2016, 5, 1), 10),  # 16 on her birthday
        (date(2000, 5, 1), date(2026, 4, 30), 10),  # 25
        (date(2000, 5, 1), date(2026, 5, 1), 20),  # 26
        (date(1980, 5, 1), date(2026, 4, 30), 20),  # 45
        (date(1980, 5, 1), date(2026, 5, 1), None),  # 46 → long-term
    ],
)
def test_id_card_validity(birth, issued, years):
    assert id_card_validity_years(birth, issued) == years


def test_id_card_renewal_duty_and_long_term():
    p = person(birth_date=date(2000, 5, 1), id_card=Document(issued_on=date(2016, 5, 1)))
    [d] = by_rule(person_duties(p, TODAY), "id_card_renewal")
    assert d.due_date == date(2026, 5, 1) and d.window_start == date(2026, 2, 1)
    assert d.occurrence == "renewal-2026-05-01"
    old = person(birth_date=date(1970, 1, 1), id_card=Document(issued_on=date(2020, 1, 1)))
    assert not by_rule(person_duties(old, TODAY), "id_card_renewal")


def test_id_card_first_at_16_far_ahead():
    child = person(relation="child", birth_date=date(2020, 2, 29))
    [d] = by_rule(person_duties(child, TODAY), "id_card_first")
    assert d.window_start == date(2036, 2, 29)
    has_card = dataclasses.replace(child, id_card=Document(issued_on=date(2025, 1, 1)))
    assert not by_rule(person_duties(has_card, TODAY), "id_card_first")


@pytest.mark.parametrize(
    ("birth", "year"),
    [(date(2020, 8, 31), 2026), (date(2020, 9, 1), 2027), (date(2020, 2, 29), 2026)],
)
def test_primary_entry_year(birth, year):
    assert primary_entry_year(birth) == year
    duties = person_duties(person(relation="child", birth_date=birth), TODAY)
    [d] = by_rule(duties, "school_enrollment_primary")
    assert d.occurrence == str(year) and d.due_date == date(year, 6, 30)
    [j] = by_rule(duties, "school_enrollment_junior")
    assert j.occurrence == str(year + 6)


def test_school_window_longest_prefix_wins():
    params = LocalParams(
        primary_school_windows={
            "": ((5, 1), (6, 30)),
            "44": ((4, 1), (5, 31)),
            "4403": ((6, 1), (7, 15)),
        }
    )
    sz = person(relation="child", birth_date=date(2020, 8, 31), region_code="440300")
    gz = dataclasses.replace(sz, region_code="440100")
    [d] = by_rule(person_duties(sz, TODAY, params), "school_enrollment_primary")
    assert (d.window_start, d.due_date) == (date(2026, 6, 1), date(2026, 7, 15))
    [d] = by_rule(person_duties(gz, TODAY, params), "school_enrollment_primary")
    assert d.due_date == date(2026, 5, 31)


def test_newborn_registration_leap_day_and_postponement():
    baby = person(relation="child", birth_date=date(2024, 1, 31))
    [d] = by_rule(person_duties(baby, date(2024, 2, 1)), "newborn_registration")
    assert d.due_date == date(2024, 2, 29)
    # Born 2025-09-01 → 2025-10-01 is National Day: moves to 9 October.
    baby = person(relation="child", birth_date=date(2025, 9, 1))
    [d] = by_rule(person_duties(baby, date(2025, 9, 2)), "newborn_registration")
    assert d.due_date == date(2025, 10, 9)


def test_immunization_doses_and_edition():
    baby = person(relation="child", birth_date=date(2026, 1, 2))
    doses = {d.occurrence: d for d in by_rule(person_duties(baby, TODAY), "immunization")}
    assert "HepB-1" not in doses  # birth dose long past
    assert doses["DTaP-1"].window_start == date(2026, 3, 2)  # 2 months, 2025 schedule
    assert doses["HepB-3"].window_start == date(2026, 7, 2)
    assert doses["MMR-1"].window_start == date(2026, 9, 2)
    assert "MMR-2" not in doses  # 18 months: beyond the 13-month horizon
    old = LocalParams(immunization_edition="2021")
    doses21 = {d.occurrence: d for d in by_rule(person_duties(baby, TODAY, old), "immunization")}
    assert doses21["DTaP-1"].window_start == date(2026, 4, 2)
    assert all(d.service_code == "child_immunization" for d in doses.values())


def test_deceased_has_only_death_registration():
    p = person(birth_date=date(1940, 1, 1), gender="male", deceased_on=date(2026, 3, 1))
    duties = person_duties(p, TODAY)
    assert [d.rule for d in duties] == ["death_registration"]
    assert duties[0].due_date == date(2026, 4, 1)


def test_iit_reconciliation_for_employed_adults():
    p = person(birth_date=date(1990, 1, 1), employment="self_employed")
    duties = by_rule(person_duties(p, TODAY), "iit_reconciliation")
    assert [d.occurrence for d in duties] == ["2025", "2026"]
    assert duties[0].window_start == date(2026, 3, 1) and duties[0].due_date == date(2026, 6, 30)
    assert not by_rule(
        person_duties(dataclasses.replace(p, employment="student"), TODAY), "iit_reconciliation"
    )


def ent(**kw) -> Enterprise:
    base = {"key": "enterprise:1", "credit_code": "91350200MA2Y0L7Q8X", "name": "某公司",
            "established_on": date(2020, 5, 1)}  # fmt: skip
    base.update(kw)
    return Enterprise(**base)


def test_annual_report_registered_this_year_vs_last_year():
    this_year = by_rule(
        enterprise_duties(ent(established_on=date(2026, 1, 5)), TODAY), "annual_report"
    )
    assert [d.occurrence for d in this_year] == ["2026"]
    assert this_year[0].window_start == date(2027, 1, 1)
    last_year = by_rule(
        enterprise_duties(ent(established_on=date(2025, 12, 31)), TODAY), "annual_report"
    )
    assert [d.occurrence for d in last_year] == ["2025", "2026"]
    assert last_year[0].due_date == date(2026, 6, 30)


def test_vat_monthly_horizon_and_holidays():
    duties = by_rule(enterprise_duties(ent(), date(2025, 9, 20)), "vat_declaration")
    occ = {d.occurrence: d for d in duties}
    assert occ["2025-09"].due_date == date(2025, 10, 27)  # National Day
    assert occ["2025-12"].due_date == date(2026, 1, 20)
    # 税总办征科函〔2025〕64号: 2 月 15–23 日放假，顺延至 2 月 24 日 (no override needed).
    assert occ["2026-01"].due_date == date(2026, 2, 24) and not occ["2026-01"].provisional
    assert len(duties) >= 13
    assert duties[-1].window_start >= add_months(date(2025, 9, 20), 12)


def test_vat_quarterly_and_provisional_future():
    duties = by_rule(enterprise_duties(ent(taxpayer_period="quarterly"), TODAY), "eit_prepayment")
    assert [d.occurrence for d in duties] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", "2027-Q1"]
    assert duties[2].due_date == date(2026, 10, 26) and not duties[2].provisional
    assert duties[3].provisional


def test_tax_override_from_params_wins():
    params = dataclasses.replace(DEFAULT_PARAMS, tax_overrides={(2026, 4): date(2026, 4, 21)})
    duties = by_rule(enterprise_duties(ent(), TODAY, params), "vat_declaration")
    [apr] = [d for d in duties if d.occurrence == "2026-03"]
    assert apr.due_date == date(2026, 4, 21)


def test_eit_annual_postponed_when_31_may_is_day_off():
    [d] = [
        d for d in by_rule(enterprise_duties(ent(), TODAY), "eit_annual") if d.occurrence == "2025"
    ]
    assert d.due_date == date(2026, 6, 1)  # 31 May 2026 is a Sunday


def test_permit_renewal_food_licence_working_days():
    permit = Permit(
        "food_business_license", "JY13502000000001", date(2021, 9, 1), date(2026, 8, 31)
    )
    [d] = by_rule(enterprise_duties(ent(permits=(permit,)), TODAY), "permit_renewal")
    assert d.service_code == "food_business_license_renewal"
    assert d.due_date == date(2026, 8, 10)  # 15 working days before expiry
    assert d.window_start < d.due_date < permit.expires_on


def test_deregistered_enterprise_has_no_new_duties():
    gone = ent(deregistered_on=date(2025, 6, 30))
    duties = enterprise_duties(gone, TODAY)
    assert not by_rule(duties, "vat_declaration")
    assert [d.occurrence for d in by_rule(duties, "annual_report")] == ["2025"] or not by_rule(
        duties, "annual_report"
    )


def test_duties_are_stable_and_unique():
    p = person(birth_date=date(1985, 3, 3), gender="female", retirement_category="female_worker",
               employment="employed", passport=Document(issued_on=date(2019, 1, 1)))  # fmt: skip
    a, b = person_duties(p, TODAY), person_duties(p, TODAY)
    assert a == b
    assert len({(d.rule, d.occurrence) for d in a}) == len(a)
    assert all(d.window_start <= d.due_date for d in a)


def test_registry_is_the_modules_lists():
    """Every module's RULES and PERSON_RULES/ENTERPRISE_RULES are collected, none twice."""
    from lifecycle import rules
    from lifecycle.rules import business_tax, enterprise, identity, tax

    assert len(set(rules.PERSON_RULES)) == len(rules.PERSON_RULES)
    assert set(identity.PERSON_RULES) | set(tax.PERSON_RULES) <= set(rules.PERSON_RULES)
    assert set(rules.ENTERPRISE_RULES) == set(enterprise.ENTERPRISE_RULES) | set(
        business_tax.ENTERPRISE_RULES
    )
    produced = {f.__name__ for f in rules.PERSON_RULES + rules.ENTERPRISE_RULES}
    # Every registered rule key has its function (death_registration runs for the deceased).
    assert set(RULES) - produced == {"death_registration"}
