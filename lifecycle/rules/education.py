"""School entry: primary (《义务教育法》第十一条) and junior middle school (local)."""

from __future__ import annotations

from datetime import date

from lifecycle.params import lookup_prefix
from lifecycle.rules.base import Context, Duty, RuleInfo, make, titled
from lifecycle.subjects import Person

SCHOOL_ENROLLMENT_PRIMARY = RuleInfo(
    key="school_enrollment_primary",
    family="education",
    life_event="education",
    service_code="primary_school_enrollment",
    legal_basis="《中华人民共和国义务教育法》第十一条；当地教育行政部门招生公告",
    summary={
        "zh_Hans": "年满六周岁（以当年8月31日为准）的儿童当年9月入学；入学登记时间由当地规定。",
        "en": "A child who is 6 by 31 August starts primary school that September; the "
        "registration window is set locally.",
    },
    default_leads=("window", "14", "3"),
)
SCHOOL_ENROLLMENT_JUNIOR = RuleInfo(
    key="school_enrollment_junior",
    family="education",
    life_event="education",
    service_code="junior_school_enrollment",
    legal_basis="《中华人民共和国义务教育法》；当地教育行政部门招生公告",
    summary={
        "zh_Hans": "小学毕业后升入初中（多数地区小学六年）；登记时间由当地规定。",
        "en": "After primary school (six years in most provinces) the child moves to junior "
        "middle school; the registration window is set locally.",
    },
    default_leads=("window", "14", "3"),
)

RULES = (SCHOOL_ENROLLMENT_PRIMARY, SCHOOL_ENROLLMENT_JUNIOR)


def primary_entry_year(birth: date) -> int:
    """The year of September entry: the child is 6 by 31 August of that year."""
    return birth.year + 6 if (birth.month, birth.day) <= (8, 31) else birth.year + 7


def junior_entry_year(birth: date, region_code: str | None, params) -> int:
    return primary_entry_year(birth) + int(lookup_prefix(params.junior_entry_offset, region_code))


def _window(table, region_code: str | None, year: int) -> tuple[date, date]:
    (sm, sd), (em, ed) = lookup_prefix(table, region_code)
    return date(year, sm, sd), date(year, em, ed)


def _entry(person: Person, ctx: Context, info: RuleInfo, year: int, table, zh: str, en: str):
    level_zh, level_en = zh[:2], en
    start, due = _window(table, person.region_code, year)
    if not ctx.keep_once(due):
        return []
    return [
        make(
            info,
            str(year),
            person.key,
            titled(person, zh + "入学登记", en + " registration"),
            start,
            due,
            {
                "zh_Hans": f"{person.name}于{year}年9月进入{level_zh}；当地入学登记时间为"
                f"{start:%m月%d日}至{due:%m月%d日}（以当年招生公告为准）。",
                "en": f"{person.name} starts {level_en.lower()} in September {year}; registration runs "
                f"{start:%d %B} – {due:%d %B} locally (check the year's notice).",
            },
            provisional=True,
        )
    ]


def school_enrollment_primary(person: Person, ctx: Context) -> list[Duty]:
    if person.birth_date is None:
        return []
    year = primary_entry_year(person.birth_date)
    return _entry(
        person,
        ctx,
        SCHOOL_ENROLLMENT_PRIMARY,
        year,
        ctx.params.primary_school_windows,
        "小学一年级",
        "Primary school",
    )


def school_enrollment_junior(person: Person, ctx: Context) -> list[Duty]:
    if person.birth_date is None:
        return []
    year = junior_entry_year(person.birth_date, person.region_code, ctx.params)
    return _entry(
        person,
        ctx,
        SCHOOL_ENROLLMENT_JUNIOR,
        year,
        ctx.params.junior_school_windows,
        "初中一年级",
        "Junior middle school",
    )


PERSON_RULES = (school_enrollment_primary, school_enrollment_junior)
