"""Colloquial service names: every service has some, the loader validates them, the export
keeps them."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from lifecycle.catalog import DATA_DIR, Catalog, CatalogError, dump_catalog, load_catalog
from lifecycle.catalog.aliases import MAX_ALIAS_LENGTH, all_aliases, dump_aliases, parse_aliases


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    root = tmp_path / "catalog"
    shutil.copytree(DATA_DIR, root)
    return root


def test_every_packaged_service_has_chinese_and_english_aliases(catalog: Catalog) -> None:
    for service in catalog.services.values():
        assert service.aliases.get("zh_Hans"), service.code
        assert service.aliases.get("en"), service.code
        assert len(service.aliases["zh_Hant"]) == len(service.aliases["zh_Hans"])


def test_the_everyday_words_of_the_issue_are_aliases(catalog: Catalog) -> None:
    everyday = {"驾照", "个税", "领证", "社保卡", "身份证过期", "上户口", "办护照", "退休金"}
    everyday |= {"医保报销", "营业执照", "注销公司", "公积金提取"}
    aliases = {a for s in catalog.services.values() for a in s.aliases.get("zh_Hans", ())}
    assert everyday <= aliases


def test_no_alias_is_shared_by_two_services(catalog: Catalog) -> None:
    owner: dict[str, str] = {}
    for service in catalog.services.values():
        for alias in all_aliases(service.aliases):
            assert owner.setdefault(alias.casefold(), service.code) == service.code, alias


def test_traditional_aliases_are_derived() -> None:
    parsed = parse_aliases({"zh_Hans": ["驾照", "考驾照"], "en": ["driving licence"]})
    assert parsed == {
        "zh_Hans": ("驾照", "考驾照"),
        "zh_Hant": ("駕照", "考駕照"),
        "en": ("driving licence",),
    }
    assert parse_aliases(None) == {}
    assert parse_aliases({"en": ["  ID   card "]}) == {"en": ("ID card",)}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (["驾照"], "must be a mapping"),
        ({"fr": ["permis"]}, "unknown locale 'fr'"),
        ({"zh_Hans": "驾照"}, "must be a list"),
        ({"zh_Hans": ["驾照", ""]}, "non-empty strings"),
        ({"en": ["ID card", "id card"]}, "twice"),
        ({"en": ["x" * (MAX_ALIAS_LENGTH + 1)]}, "longer than"),
        ({"en": [f"a{i}" for i in range(31)]}, "more than 30"),
    ],
)
def test_malformed_aliases_are_refused(value, message) -> None:
    with pytest.raises(ValueError, match=message):
        parse_aliases(value)


def test_loader_names_file_and_entry_for_bad_aliases(data_copy: Path) -> None:
    path = data_copy / "services" / "citizen_travel.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("- code: passport_renewal")
    end = text.index("\n  description:", start)
    block = text[start:end]
    head = block.split("\n  aliases:")[0]
    path.write_text(
        text[:start] + head + '\n  aliases: {de: ["Pass"]}' + text[end:], encoding="utf-8"
    )
    with pytest.raises(CatalogError) as caught:
        load_catalog(data_copy)
    assert str(caught.value).startswith("services/citizen_travel.yaml: entry 'passport_renewal': ")
    assert "unknown locale 'de'" in str(caught.value)


def test_export_keeps_aliases_and_hand_written_traditional_ones(
    catalog: Catalog, tmp_path: Path
) -> None:
    service = catalog.services["driver_license_renewal"]
    aliases = dict(service.aliases, zh_Hant=("駕照到期（臺灣用字）",))
    services = dict(catalog.services)
    services[service.code] = dataclasses.replace(service, aliases=aliases)
    services["passport_renewal"] = dataclasses.replace(services["passport_renewal"], aliases={})
    changed = Catalog(catalog.departments, catalog.materials, services, catalog.bundles)
    dump_catalog(changed, tmp_path / "out")
    again = load_catalog(tmp_path / "out")
    assert again.services["driver_license_renewal"].aliases == aliases
    assert again.services["passport_renewal"].aliases == {}
    text = (tmp_path / "out" / "services" / "citizen_travel.yaml").read_text(encoding="utf-8")
    block = text[text.index("code: driver_license_renewal") :]
    assert block.index("name:") < block.index("aliases:") < block.index("description:")
    assert dump_aliases(catalog.services["id_card_renewal"].aliases).keys() == {"zh_Hans", "en"}
