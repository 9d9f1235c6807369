"""The packaged service catalog loads, covers every life event, and refuses malformed files."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from lifecycle.catalog import (
    DATA_DIR,
    Catalog,
    CatalogError,
    dump_catalog,
    load_catalog,
    merged_materials,
)
from lifecycle.catalog.loader import CITIZEN_LIFE_EVENTS, ENTERPRISE_LIFE_EVENTS

CONTRACT_SERVICES = {
    "hukou_birth_registration": "出生登记",
    "id_card_first_application": "居民身份证申领",
    "id_card_renewal": "居民身份证换领",
    "driver_license_renewal": "机动车驾驶证期满换证",
    "passport_renewal": "普通护照换发",
    "primary_school_enrollment": "小学一年级新生入学登记",
    "junior_school_enrollment": "初中一年级新生入学登记",
    "child_immunization": "儿童预防接种",
    "iit_annual_reconciliation": "个人所得税综合所得年度汇算",
    "pension_claim": "基本养老保险待遇申领（退休）",
    "death_hukou_cancellation": "死亡人员户口注销",
    "resident_medical_insurance_payment": "城乡居民基本医疗保险参保缴费",
    "enterprise_annual_report": "企业年度报告公示",
    "vat_declaration": "增值税申报",
    "eit_prepayment": "企业所得税月（季）度预缴申报",
    "eit_annual_reconciliation": "企业所得税年度汇算清缴申报",
    "food_business_license_renewal": "食品经营许可证延续",
}
CONTRACT_BUNDLES = (
    "bundle_newborn",
    "bundle_school_entry",
    "bundle_retirement",
    "bundle_death",
    "bundle_enterprise_opening",
    "bundle_enterprise_deregistration",
)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the packaged catalog to break in a test."""
    root = tmp_path / "catalog"
    shutil.copytree(DATA_DIR, root)
    return root


def _citizen(service) -> bool:
    return service.audience in ("citizen", "both") and service.life_events[0] in CITIZEN_LIFE_EVENTS


def _enterprise(service) -> bool:
    return (
        service.audience in ("enterprise", "both")
        and service.life_events[0] in ENTERPRISE_LIFE_EVENTS
    )


# --------------------------------------------------------------------------- the packaged data


def test_packaged_catalog_has_enough_services_departments_and_bundles(catalog: Catalog) -> None:
    services = list(catalog.services.values())
    assert len(services) >= 150
    assert sum(_citizen(s) for s in services) >= 110
    assert sum(_enterprise(s) for s in services) >= 40
    assert len({s.department for s in services}) >= 15
    assert len(catalog.departments) >= 15
    assert len(catalog.bundles) >= 6


def test_every_citizen_and_enterprise_life_event_has_services(catalog: Catalog) -> None:
    primary = Counter(s.life_events[0] for s in catalog.services.values())
    for event in CITIZEN_LIFE_EVENTS + ENTERPRISE_LIFE_EVENTS:
        assert primary[event] >= 5, event
        assert catalog.services_for(event), event


def test_every_contract_service_exists_with_its_standard_name(catalog: Catalog) -> None:
    for code, name in CONTRACT_SERVICES.items():
        assert code in catalog.services, code
        assert catalog.services[code].name["zh_Hans"] == name


def test_contract_bundles_exist_and_newborn_bundle_follows_the_national_list(
    catalog: Catalog,
) -> None:
    for code in CONTRACT_BUNDLES:
        assert code in catalog.bundles, code
    newborn = catalog.bundles["bundle_newborn"]
    names = [catalog.services[code].name["zh_Hans"] for code in newborn.services]
    assert names[0].startswith("出生医学证明")
    assert "出生登记" in names
    assert "社会保障卡申领" in names
    assert any("预防接种证" in n for n in names)
    assert any("医疗保险" in n for n in names)


def test_localised_text_gets_traditional_chinese(catalog: Catalog) -> None:
    name = catalog.services["id_card_renewal"].name
    assert name["zh_Hans"] == "居民身份证换领"
    assert name["zh_Hant"] == "居民身份證換領"
    assert name["en"] == "Resident ID card renewal"
    for service in catalog.services.values():
        for text in (service.name, service.description):
            assert set(text) == {"zh_Hans", "zh_Hant", "en"}
    assert catalog.departments["public_security"].name["zh_Hant"] == "公安局"
    assert catalog.bundles["bundle_death"].name["zh_Hant"] == "身後一件事"


def test_services_carry_sensible_fields(catalog: Catalog) -> None:
    for service in catalog.services.values():
        assert 1 <= service.online_level <= 4
        assert service.url.startswith("https://")
        assert service.region_scope == "national" or len(service.region_scope) == 6
        if service.statutory_days and service.promised_days:
            assert service.promised_days <= service.statutory_days
    renewal = catalog.services["id_card_renewal"]
    assert renewal.department == "public_security"
    assert renewal.conditions.age_min == 16 and "self" in renewal.conditions.relations
    assert "resident_id_card" in renewal.materials


def test_merged_materials_list_each_material_once(catalog: Catalog) -> None:
    bundle = catalog.bundles["bundle_newborn"]
    merged = merged_materials(bundle, catalog)
    codes = [material.code for material, _ in merged]
    assert len(codes) == len(set(codes))
    needed = dict((m.code, services) for m, services in merged)
    # the birth certificate is asked for by several services but listed once
    assert len(needed["birth_medical_certificate"]) >= 2
    assert set(needed["birth_medical_certificate"]) <= set(bundle.services)
    all_materials = {m for code in bundle.services for m in catalog.services[code].materials}
    assert set(codes) == all_materials


# --------------------------------------------------------------------------- round trip


def test_dump_then_load_round_trips(catalog: Catalog, tmp_path: Path) -> None:
    out = tmp_path / "export"
    dump_catalog(catalog, out)
    assert (out / "services" / "citizen_birth.yaml").is_file()
    assert (out / "services" / "enterprise_deregistration.yaml").is_file()
    again = load_catalog(out)
    assert again == catalog
    # and the export itself is stable
    second = tmp_path / "export2"
    dump_catalog(again, second)
    assert load_catalog(second) == catalog


def test_dump_keeps_a_hand_corrected_traditional_name(catalog: Catalog, tmp_path: Path) -> None:
    department = catalog.departments["tax"]
    corrected = dict(department.name, zh_Hant="稅務局（臺灣用字）")
    departments = dict(catalog.departments)
    departments["tax"] = type(department)(code="tax", name=corrected)
    changed = Catalog(departments, catalog.materials, catalog.services, catalog.bundles)
    dump_catalog(changed, tmp_path / "out")
    assert load_catalog(tmp_path / "out").departments["tax"].name["zh_Hant"] == "稅務局（臺灣用字）"


# --------------------------------------------------------------------------- malformed files


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


def _refused(root: Path) -> str:
    with pytest.raises(CatalogError) as caught:
        load_catalog(root)
    return str(caught.value)


def test_duplicate_service_code_across_files_is_refused(data_copy: Path) -> None:
    _append(
        data_copy / "services" / "citizen_travel.yaml",
        """
- code: hukou_birth_registration
  name: {zh_Hans: 出生登记, en: Birth registration}
  description: {zh_Hans: 重复, en: Duplicate}
  department: public_security
  audience: citizen
  life_events: [birth]
  themes: [hukou]
  materials: []
  online_level: 4
  url: https://www.gjzwfw.gov.cn/
""",
    )
    message = _refused(data_copy)
    assert message.startswith("services/citizen_travel.yaml: entry 'hukou_birth_registration':")
    assert "duplicate" in message
    assert "services/citizen_birth.yaml" in message


def test_unknown_department_is_refused_naming_file_and_entry(data_copy: Path) -> None:
    path = data_copy / "services" / "citizen_birth.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("- code: hukou_birth_registration")
    end = text.index("- code:", start + 1)
    block = text[start:end].replace("department: public_security", "department: police")
    path.write_text(text[:start] + block + text[end:], encoding="utf-8")
    assert _refused(data_copy) == (
        "services/citizen_birth.yaml: entry 'hukou_birth_registration': unknown department 'police'"
    )


def test_missing_english_name_is_refused(data_copy: Path) -> None:
    _append(
        data_copy / "materials.yaml",
        "- {code: seal_specimen, name: {zh_Hans: 印章印模}}\n",
    )
    message = _refused(data_copy)
    assert message == "materials.yaml: entry 'seal_specimen': 'name' is missing 'en'"


def test_bad_yaml_syntax_is_refused_naming_the_file(data_copy: Path) -> None:
    _append(data_copy / "bundles.yaml", "- code: bundle_broken\n  name: {zh_Hans: 坏, en: [\n")
    message = _refused(data_copy)
    assert message.startswith("bundles.yaml: invalid YAML")


@pytest.mark.parametrize(
    ("replace", "by", "expected"),
    [
        ("audience: citizen", "audience: everyone", "audience must be one of"),
        ("online_level: 4", "online_level: 5", "online_level must be 1, 2, 3 or 4"),
        ("life_events: [birth, childbirth]", "life_events: [infancy]", "unknown life event"),
        ("materials: [birth_medical_certificate,", "materials: [birth_certificate,", "material"),
        ("  themes: [hukou, childbirth]\n", "  themes: [hukou]\n  theme: [x]\n", "unknown field"),
        (
            '  name: {zh_Hans: "出生登记", en: "Birth registration (household register)"}',
            "  name: 出生登记",
            "mapping of locales",
        ),
        ("  department: public_security\n", "", "missing required field 'department'"),
    ],
)
def test_malformed_service_entries_are_refused(
    data_copy: Path, replace: str, by: str, expected: str
) -> None:
    path = data_copy / "services" / "citizen_birth.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("- code: hukou_birth_registration")
    end = text.index("- code:", start + 1)
    block = text[start:end]
    assert replace in block
    path.write_text(text[:start] + block.replace(replace, by, 1) + text[end:], encoding="utf-8")
    message = _refused(data_copy)
    assert message.startswith("services/citizen_birth.yaml: entry 'hukou_birth_registration': ")
    assert expected in message


def test_bundle_with_unknown_service_is_refused(data_copy: Path) -> None:
    _append(
        data_copy / "bundles.yaml",
        """
- code: bundle_ghost
  name: {zh_Hans: 幽灵一件事, en: Ghost}
  description: {zh_Hans: 测试, en: Test}
  life_event: birth
  services: [hukou_birth_registration, no_such_service]
""",
    )
    assert (
        _refused(data_copy)
        == "bundles.yaml: entry 'bundle_ghost': unknown service 'no_such_service'"
    )


def test_duplicate_yaml_key_is_refused(data_copy: Path) -> None:
    _append(
        data_copy / "departments.yaml",
        "- {code: a_dept, code: b_dept, name: {zh_Hans: 局, en: B}}\n",
    )
    assert "duplicate key" in _refused(data_copy)


def test_entry_without_code_is_named_by_position(data_copy: Path) -> None:
    (data_copy / "departments.yaml").write_text(
        "- {code: tax, name: {zh_Hans: 税务局, en: Tax}}\n- {name: {zh_Hans: 局, en: Bureau}}\n",
        encoding="utf-8",
    )
    assert _refused(data_copy) == "departments.yaml: entry '#2': missing required field 'code'"


def test_dump_refuses_to_leave_foreign_service_files(catalog: Catalog, tmp_path: Path) -> None:
    (tmp_path / "services").mkdir()
    (tmp_path / "services" / "citizen_old.yaml").write_text("[]\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="citizen_old.yaml"):
        dump_catalog(catalog, tmp_path)
