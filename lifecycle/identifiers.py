"""Resident ID numbers (GB 11643-1999) and unified social credit codes (GB 32100-2015)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")

CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


class IdentifierError(ValueError):
    """An identifier that fails its format or check character."""


@dataclass(frozen=True)
class ResidentId:
    number: str
    region_code: str
    birth_date: date
    gender: str  # "male" | "female"

    @property
    def masked(self) -> str:
        return mask_id_number(self.number, self.region_code, self.birth_date)


def id_check_character(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def parse_id_number(raw: str, today: date | None = None) -> ResidentId:
    """Validate an 18-character resident ID number and read what it encodes."""
    number = (raw or "").strip().upper()
    if not _ID_RE.match(number):
        raise IdentifierError("an ID number has 17 digits and a check digit or X")
    if id_check_character(number[:17]) != number[17]:
        raise IdentifierError("the check character of the ID number is wrong")
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise IdentifierError("the ID number holds an impossible birth date") from exc
    if birth.year < 1900 or (today is not None and birth > today):
        raise IdentifierError("the ID number holds an impossible birth date")
    gender = "male" if int(number[16]) % 2 == 1 else "female"
    return ResidentId(number=number, region_code=number[:6], birth_date=birth, gender=gender)


def mask_id_number(
    number: str, region_code: str | None = None, birth_date: date | None = None
) -> str:
    """The number with nothing shown beyond what is shown beside it: the region part only
    when it equals ``region_code``, the birth-date part only when it equals ``birth_date``,
    and never the sequence and check character (the last four), which together with the
    region and the birth date would give the whole number: 44010619880618****."""
    region = number[:6] if region_code is not None and number[:6] == region_code else "*" * 6
    shown_birth = birth_date.strftime("%Y%m%d") if birth_date is not None else None
    birth = number[6:14] if shown_birth == number[6:14] else "*" * 8
    return region + birth + "*" * (len(number) - 14)


def credit_check_character(first17: str) -> str:
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    value = 31 - total % 31
    return CREDIT_ALPHABET[0 if value == 31 else value]


def validate_credit_code(raw: str) -> str:
    """Return the normalised 18-character unified social credit code or raise."""
    code = (raw or "").strip().upper()
    if len(code) != 18:
        raise IdentifierError("a unified social credit code has 18 characters")
    bad = sorted({c for c in code if c not in CREDIT_ALPHABET})
    if bad:
        raise IdentifierError("a unified social credit code cannot contain " + ", ".join(bad))
    if credit_check_character(code[:17]) != code[17]:
        raise IdentifierError("the check character of the unified social credit code is wrong")
    return code


def make_credit_code(first17: str) -> str:
    """Complete 17 characters with their check character (for demo and test data)."""
    return first17 + credit_check_character(first17)


def make_id_number(region: str, birth: date, sequence: int) -> str:
    """Build a valid ID number (for demo and test data); odd sequence → male."""
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first17 + id_check_character(first17)
