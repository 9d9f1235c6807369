from __future__ import annotations

from datetime import date

import pytest

from lifecycle.identifiers import (
    IdentifierError,
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


def test_mask():
    assert mask_id_number("440106198806183510") == "4401**********3510"


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
