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


# --- legal form from the unified social credit code (GB 32100-2015, 4.1 and 4.2) -------------
# Character 1: the registering authority (登记管理部门代码); character 2: the organisation
# type under it (机构类别代码). Amendment No. 1 (2016) adds A (军队) and N (农业).


@dataclass(frozen=True)
class LegalForm:
    """What the first two characters of a credit code say about an organisation."""

    key: str  # stable English key, e.g. "enterprise", "individual_business"
    code: str  # the two characters, e.g. "92"; "" when unknown
    zh_Hans: str
    en: str
    authority_zh_Hans: str
    authority_en: str
    market_entity: bool  # registered by market regulation (authority 9)
    pays_eit: bool  # an enterprise income tax payer (《企业所得税法》第一条)

    @property
    def name(self) -> dict[str, str]:
        return {"zh_Hans": self.zh_Hans, "en": self.en}


AUTHORITIES: dict[str, tuple[str, str]] = {
    "1": ("机构编制", "institutional staffing authority"),
    "2": ("外交", "foreign affairs"),
    "3": ("司法行政", "justice administration"),
    "4": ("文化", "culture"),
    "5": ("民政", "civil affairs"),
    "6": ("旅游", "tourism"),
    "7": ("宗教", "religious affairs"),
    "8": ("工会", "trade unions"),
    "9": ("工商（市场监管）", "market regulation"),
    "A": ("中央军委改革和编制办公室", "Central Military Commission reform and staffing office"),
    "N": ("农业", "agriculture"),
    "Y": ("其他", "other authorities"),
}
# (code, key, zh_Hans, en, pays_eit)
_FORMS: tuple[tuple[str, str, str, str, bool], ...] = (
    ("11", "government_organ", "机关", "government organ", False),
    ("12", "public_institution", "事业单位", "public institution", True),
    ("13", "mass_organisation", "中央编办直接管理机构编制的群众团体",
     "mass organisation staffed by the central staffing office", True),
    ("19", "other_staffing", "其他（机构编制）", "other (staffing authority)", True),
    ("21", "foreign_press", "外国常驻新闻机构", "resident foreign news agency", True),
    ("29", "other_foreign_affairs", "其他（外交）", "other (foreign affairs)", True),
    ("31", "law_firm", "律师执业机构", "law firm", False),
    ("32", "notary_office", "公证处", "notary office", True),
    ("33", "legal_service", "基层法律服务所", "grassroots legal service office", True),
    ("34", "forensic_institution", "司法鉴定机构", "forensic appraisal institution", True),
    ("35", "arbitration_commission", "仲裁委员会", "arbitration commission", True),
    ("39", "other_justice", "其他（司法行政）", "other (justice administration)", True),
    ("41", "foreign_cultural_centre", "外国在华文化中心", "foreign cultural centre", True),
    ("49", "other_culture", "其他（文化）", "other (culture)", True),
    ("51", "social_group", "社会团体", "social group", True),
    ("52", "private_non_enterprise", "民办非企业单位", "private non-enterprise unit", True),
    ("53", "foundation", "基金会", "foundation", True),
    ("59", "other_civil_affairs", "其他（民政）", "other (civil affairs)", True),
    ("61", "foreign_tourism_office", "外国旅游部门常驻代表机构",
     "representative office of a foreign tourism authority", True),
    ("62", "hk_mo_tw_tourism_office", "港澳台地区旅游部门常驻内地（大陆）代表机构",
     "representative office of a Hong Kong, Macao or Taiwan tourism authority", True),
    ("69", "other_tourism", "其他（旅游）", "other (tourism)", True),
    ("71", "religious_venue", "宗教活动场所", "venue for religious activities", True),
    ("72", "religious_college", "宗教院校", "religious college", True),
    ("79", "other_religious", "其他（宗教）", "other (religious affairs)", True),
    ("81", "trade_union", "基层工会", "grassroots trade union", True),
    ("89", "other_union", "其他（工会）", "other (trade unions)", True),
    ("91", "enterprise", "企业", "enterprise", True),
    ("92", "individual_business", "个体工商户", "individual business", False),
    ("93", "farmers_cooperative", "农民专业合作社", "farmers' specialised cooperative", True),
    ("A1", "military_institution", "军队事业单位", "military public institution", True),
    ("A9", "other_military", "其他（军队）", "other (military)", True),
    ("N1", "group_collective", "组级集体经济组织", "group-level collective economic organisation", True),
    ("N2", "village_collective", "村级集体经济组织", "village collective economic organisation", True),
    ("N3", "township_collective", "乡镇级集体经济组织",
     "township collective economic organisation", True),
    ("N9", "other_agriculture", "其他（农业）", "other (agriculture)", True),
    ("Y1", "other", "其他", "other organisation", True),
)  # fmt: skip

UNKNOWN_LEGAL_FORM = LegalForm("unknown", "", "未知类型", "unknown type", "", "", False, True)


def _form(code: str, key: str, zh: str, en: str, pays_eit: bool) -> LegalForm:
    azh, aen = AUTHORITIES[code[0]]
    return LegalForm(key, code, zh, en, azh, aen, code[0] == "9", pays_eit)


LEGAL_FORMS: dict[str, LegalForm] = {row[0]: _form(*row) for row in _FORMS}


def legal_form(code: str) -> LegalForm:
    """The legal form a unified social credit code declares in its first two characters
    (GB 32100-2015): e.g. ``91…`` enterprise, ``92…`` individual business (个体工商户),
    ``93…`` farmers' cooperative. Pairs the standard does not list give
    ``UNKNOWN_LEGAL_FORM``; the code's check character is not verified here."""
    return LEGAL_FORMS.get((code or "").strip().upper()[:2], UNKNOWN_LEGAL_FORM)
