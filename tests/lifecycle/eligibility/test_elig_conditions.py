"""The conditions schema: one validator for the loader, the admin editor and the import."""

from __future__ import annotations

import pytest

from lifecycle.catalog import load_catalog
from lifecycle.eligibility import ConditionError, Conditions, parse_conditions


def test_every_catalog_service_states_who_it_is_for():
    catalog = load_catalog()
    unstated = [code for code, s in catalog.services.items() if not s.conditions.stated]
    assert unstated == []


def test_canonical_form_round_trips_for_the_whole_catalog():
    for service in load_catalog().services.values():
        assert parse_conditions(service.eligibility).to_dict() == service.eligibility


def test_maternity_allowance_is_for_insured_women():
    """《社会保险法》第五十四条、第五十六条: 职工 with maternity (merged medical) insurance."""
    c = load_catalog().services["maternity_allowance"].conditions
    assert c.gender == "female"
    assert c.insured == ("employee_medical",)
    assert "第五十六条" in (c.basis or "")


def test_disability_subsidies_need_the_certificate():
    """国发〔2015〕52号: 困难残疾人生活补贴和重度残疾人护理补贴 for certificate holders."""
    c = load_catalog().services["disability_living_subsidy"].conditions
    assert ("disability_certificate", True) in c.flags


def test_old_age_allowance_is_local_from_80():
    """《老年人权益保障法》第三十三条: 八十周岁以上, standards set locally."""
    c = load_catalog().services["elderly_allowance"].conditions
    assert c.age_min == 80 and c.local and "parent" in c.relations


def test_childcare_subsidy_needs_a_child_under_three():
    """《育儿补贴制度实施方案》(2025): 3 周岁以下婴幼儿."""
    c = load_catalog().services["childcare_subsidy"].conditions
    assert c.household[0].relation == "child" and c.household[0].age_under == 3


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"everyone": True, "age_min": 3}, "excludes"),
        ({"everyone": False}, "only be true"),
        ({"age_min": -1}, "age"),
        ({"age_min": 10, "age_under": 5}, "below"),
        ({"gender": "other"}, "gender"),
        ({"for": ["cousin"]}, "unknown value"),
        ({"insured": ["employee_medical"], "not_insured": ["employee_medical"]}, "both"),
        ({"household": [{"relation": "self"}]}, "household.relation"),
        ({"household": [{"relation": "child", "age": 3}]}, "unknown key"),
        ({"region": ["0x"]}, "region"),
        ({"requires": ["has_child"]}, "unknown eligibility key"),
        ({"legal_form": ["company"]}, "unknown value"),
        ({"legal_form": ["enterprise"], "age_min": 18}, "both person and enterprise"),
        ({"disability_certificate": "yes"}, "true or false"),
        ({"basis": ""}, "basis"),
        ([1, 2], "mapping"),
    ],
)
def test_bad_conditions_are_refused_with_a_clear_message(raw, message):
    with pytest.raises(ConditionError, match=message):
        parse_conditions(raw)


def test_empty_conditions_are_not_stated_but_everyone_is():
    assert not parse_conditions({}).stated
    assert parse_conditions({"everyone": True}).stated
    assert parse_conditions({"age_min": 3}).stated
    assert parse_conditions(None) == Conditions()


def test_region_numbers_are_read_as_prefixes():
    assert parse_conditions({"region": [44, "4401"]}).region == ("44", "4401")


def test_catalog_loader_names_the_entry_for_bad_conditions(tmp_path):
    from lifecycle.catalog import DATA_DIR, CatalogError, dump_catalog

    dump_catalog(load_catalog(), tmp_path)
    path = tmp_path / "services" / "citizen_birth.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("age_under: 7", "age_under: 0", 1), encoding="utf-8")
    with pytest.raises(CatalogError, match="age_under"):
        load_catalog(tmp_path)
    assert DATA_DIR.is_dir()
