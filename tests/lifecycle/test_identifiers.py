from __future__ import annotations

from datetime import date

import pytest

from lifecycle.identifiers import (
    UNKNOWN_LEGAL_FORM,
    IdentifierError,
    legal_form,
    make_credit_code,
    make_id_number,
    mask_id_number,
    parse_id_number,
    validate_credit_code,
)


def test_known_valid_id_number():
    # GB 11643-1999 worked example
    rid = parse_id_number("11010519491231002X")
    assert rid.birth_date == date(1949, 12, 31)
    assert rid.gender == "female"
    assert rid.region_code == "110105"


def test_id_number_check_character_and_gender():
    number = make_id_number("440106", date(1988, 6, 18), 351)
    rid = parse_id_number(number.lower())
    assert rid.gender == "male"
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    with pytest.raises(IdentifierError):
        parse_id_number(wrong)


@pytest.mark.parametrize(
    "raw", ["", "123", "44010619880618351", "4401061988061835XX", "440106198802303511"]
)
def test_bad_id_numbers(raw):
    with pytest.raises(IdentifierError):
        parse_id_number(raw)


def test_future_birth_date_refused():
    number = make_id_number("440106", date(2030, 1, 1), 351)
    with pytest.raises(IdentifierError):
        parse_id_number(number, today=date(2026, 11, 26))


def test_mask_never_shows_the_last_four():
    """GB 11643-1999: region (6) + birth date (8) + sequence (3) + check (1). With the region
    and birth date shown on the profile, the last four would give the whole number."""
    number = "440106198806183510"
    assert mask_id_number(number, "440106", date(1988, 6, 18)) == "44010619880618****"
    assert mask_id_number(number) == "*" * 18
    # Only what is shown beside it: a different region on the profile hides the region part.
    assert mask_id_number(number, "110105", date(1988, 6, 18)) == "******19880618****"
    valid = make_id_number("440106", date(1988, 6, 18), 351)
    assert parse_id_number(valid).masked == valid[:14] + "****"


def test_credit_code_known_example():
    assert validate_credit_code("91350100M000100Y43") == "91350100M000100Y43"


@pytest.mark.parametrize(
    "raw", ["91350100M000100Y44", "91350100M000100Y4", "91350100M0001O0Y43", "91350100M000100Y4S"]
)
def test_bad_credit_codes(raw):
    with pytest.raises(IdentifierError):
        validate_credit_code(raw)


def test_make_credit_code_round_trip():
    code = make_credit_code("91440101MA5CXXXX0")
    assert validate_credit_code(code.lower()) == code


@pytest.mark.parametrize(
    ("prefix", "key", "zh"),
    [
        ("91", "enterprise", "企业"),
        ("92", "individual_business", "个体工商户"),
        ("93", "farmers_cooperative", "农民专业合作社"),
        ("11", "government_organ", "机关"),
        ("12", "public_institution", "事业单位"),
        ("51", "social_group", "社会团体"),
        ("52", "private_non_enterprise", "民办非企业单位"),
        ("53", "foundation", "基金会"),
        ("31", "law_firm", "律师执业机构"),
        ("71", "religious_venue", "宗教活动场所"),
        ("81", "trade_union", "基层工会"),
        ("A1", "military_institution", "军队事业单位"),
        ("N2", "village_collective", "村级集体经济组织"),
        ("Y1", "other", "其他"),
    ],
)
def test_legal_form_from_first_two_characters_gb_32100(prefix, key, zh):
    """GB 32100-2015 (with amendment 1): character 1 the registering authority, 2 the type."""
    form = legal_form(make_credit_code(prefix + "350200MA2Y0L7Q8"))
    assert (form.key, form.zh_Hans, form.code) == (key, zh, prefix)
    assert form.en and form.name == {"zh_Hans": form.zh_Hans, "en": form.en}
    assert form.market_entity == prefix.startswith("9")


def test_legal_form_tax_and_unknown_pairs():
    """个体工商户 pay IIT on business income (《个人所得税法》第十二条), not EIT."""
    assert not legal_form("92350200MA2Y0L7Q8X").pays_eit
    assert legal_form("91350200MA2Y0L7Q8X").pays_eit
    assert legal_form("94350200MA2Y0L7Q8X") is UNKNOWN_LEGAL_FORM
    assert legal_form("") is UNKNOWN_LEGAL_FORM
    assert legal_form("92") == legal_form(" 92abc")
