"""Children's immunisation (national programme) and resident medical insurance payment."""

from __future__ import annotations

from datetime import date, timedelta

from lifecycle.dates import add_months, age_on
from lifecycle.params import lookup_prefix
from lifecycle.rules.base import Context, Duty, RuleInfo, make, titled
from lifecycle.subjects import Person

IMMUNIZATION = RuleInfo(
    key="immunization",
    family="health",
    life_event="birth",
    service_code="child_immunization",
    legal_basis="《中华人民共和国疫苗管理法》第四十一条；国家免疫规划疫苗儿童免疫程序表（2021年版）",
    summary={
        "zh_Hans": "按国家免疫规划儿童免疫程序，在规定月龄接种各剂次疫苗。",
        "en": "Vaccinate your child at the ages set by the national immunisation schedule.",
    },
    default_leads=("window", "3"),
    recurring=True,
)
RESIDENT_MEDICAL_INSURANCE = RuleInfo(
    key="resident_medical_insurance",
    family="health",
    life_event="healthcare",
    service_code="resident_medical_insurance_payment",
    legal_basis="《中华人民共和国社会保险法》第二十五条；各省城乡居民医保集中缴费通知",
    summary={
        "zh_Hans": "未参加职工医保的居民，在省定的集中缴费期内缴纳下一年度城乡居民医保费。",
        "en": "Residents without employee medical insurance pay next year's resident "
        "insurance during the province's payment window.",
    },
    default_leads=("window", "30", "7"),
    recurring=True,
)

RULES = (IMMUNIZATION, RESIDENT_MEDICAL_INSURANCE)

# (vaccine, dose number, age in months). 国家免疫规划疫苗儿童免疫程序表（2021年版）.
SCHEDULE_2021: tuple[tuple[str, int, int], ...] = (
    ("HepB", 1, 0),
    ("BCG", 1, 0),
    ("HepB", 2, 1),
    ("IPV", 1, 2),
    ("IPV", 2, 3),
    ("DTaP", 1, 3),
    ("bOPV", 1, 4),
    ("DTaP", 2, 4),
    ("DTaP", 3, 5),
    ("HepB", 3, 6),
    ("MPSV-A", 1, 6),
    ("MMR", 1, 8),
    ("JE-L", 1, 8),
    ("MPSV-A", 2, 9),
    ("DTaP", 4, 18),
    ("MMR", 2, 18),
    ("HepA-L", 1, 18),
    ("JE-L", 2, 24),
    ("MPSV-AC", 1, 36),
    ("bOPV", 2, 48),
    ("DT", 1, 72),
    ("MPSV-AC", 2, 72),
)
# From 1 January 2025 (国家疾控局等关于调整百白破疫苗免疫程序的通知, verify): DTaP at 2, 4,
# 6, 18 months and 6 years; the DT dose at 6 years is replaced by DTaP.
SCHEDULE_2025: tuple[tuple[str, int, int], ...] = tuple(
    row for row in SCHEDULE_2021 if row[0] not in ("DTaP", "DT")
) + (("DTaP", 1, 2), ("DTaP", 2, 4), ("DTaP", 3, 6), ("DTaP", 4, 18), ("DTaP", 5, 72))
DTAP_CHANGE = date(2025, 1, 1)

VACCINE_NAMES: dict[str, tuple[str, str]] = {
    "HepB": ("乙肝疫苗", "hepatitis B vaccine"),
    "BCG": ("卡介苗", "BCG"),
    "IPV": ("脊灰灭活疫苗", "inactivated polio vaccine"),
    "bOPV": ("脊灰减毒活疫苗", "oral polio vaccine"),
    "DTaP": ("百白破疫苗", "DTaP vaccine"),
    "DT": ("白破疫苗", "DT vaccine"),
    "MMR": ("麻腮风疫苗", "MMR vaccine"),
    "JE-L": ("乙脑减毒活疫苗", "Japanese encephalitis vaccine"),
    "MPSV-A": ("A群流脑多糖疫苗", "meningococcal A vaccine"),
    "MPSV-AC": ("A群C群流脑多糖疫苗", "meningococcal AC vaccine"),
    "HepA-L": ("甲肝减毒活疫苗", "hepatitis A vaccine"),
}


def schedule_for(birth: date, edition: str) -> tuple[tuple[str, int, int], ...]:
    """The doses for a child born on ``birth`` under ``edition`` ("2021" or "2025").

    With "2025", children born from 2025 follow the new DTaP schedule; older children keep
    the 2021 schedule except that a DT dose due from 2025 becomes DTaP dose 5.
    """
    if edition == "2021":
        return SCHEDULE_2021
    if birth >= DTAP_CHANGE:
        return SCHEDULE_2025
    rows = []
    for vaccine, dose, months in SCHEDULE_2021:
        if vaccine == "DT" and add_months(birth, months) >= DTAP_CHANGE:
            rows.append(("DTaP", 5, months))
        else:
            rows.append((vaccine, dose, months))
    return tuple(rows)


def _age_words(months: int) -> tuple[str, str]:
    if months == 0:
        return "出生时", "at birth"
    if months % 12 == 0 and months >= 24:
        return f"{months // 12}周岁", f"at {months // 12} years"
    return f"{months}月龄", f"at {months} months"


def immunization(person: Person, ctx: Context) -> list[Duty]:
    birth = person.birth_date
    if birth is None or person.deceased_on is not None or age_on(birth, ctx.today) >= 7:
        return []
    duties = []
    for vaccine, dose, months in schedule_for(birth, ctx.params.immunization_edition):
        start = add_months(birth, months)
        due = birth + timedelta(days=1) if months == 0 else add_months(start, 1)
        if not ctx.keep_recurring(start, due):
            continue
        vzh, ven = VACCINE_NAMES[vaccine]
        azh, aen = _age_words(months)
        duties.append(
            make(
                IMMUNIZATION,
                f"{vaccine}-{dose}",
                person.key,
                titled(person, f"{vzh}第{dose}剂接种", f"{ven} dose {dose}"),
                start,
                due,
                {
                    "zh_Hans": f"国家免疫规划程序：{vzh}第{dose}剂在{azh}接种"
                    f"（{person.name}于{start:%Y-%m-%d}达到该月龄）。请按接种单位预约时间接种。",
                    "en": f"The national schedule gives {ven} dose {dose} {aen} ({person.name} "
                    f"reaches that age on {start:%Y-%m-%d}). Follow the clinic's appointment.",
                },
            )
        )
    return duties


def _medical_insurance_eligible(person: Person, today: date) -> tuple[bool, bool]:
    """(eligible, advisory): employees and retired employees are insured through work."""
    if person.deceased_on is not None or person.birth_date is None:
        return False, False
    if person.employment in ("employed", "retired"):
        return False, False
    if person.employment in ("unemployed", "student") or person.relation == "child":
        return True, False
    return True, True  # self-employed or unknown: resident insurance is one option


def resident_medical_insurance(person: Person, ctx: Context) -> list[Duty]:
    eligible, advisory = _medical_insurance_eligible(person, ctx.today)
    if not eligible:
        return []
    (sm, sd), (em, ed) = lookup_prefix(ctx.params.medical_insurance_windows, person.region_code)
    duties = []
    for year in range(ctx.today.year - 1, ctx.horizon_end.year + 1):
        start, due = date(year, sm, sd), date(year, em, ed)
        if not ctx.keep_recurring(start, due):
            continue
        cover = year + 1
        duties.append(
            make(
                RESIDENT_MEDICAL_INSURANCE,
                str(cover),
                person.key,
                titled(
                    person, f"{cover}年度城乡居民医保缴费", f"{cover} resident medical insurance"
                ),
                start,
                due,
                {
                    "zh_Hans": f"{cover}年度城乡居民医保集中缴费期为{start:%Y-%m-%d}至{due:%Y-%m-%d}"
                    "（以当地当年通知为准）。新生儿可在出生后及时参保。",
                    "en": f"Contributions for {cover} are collected from {start:%Y-%m-%d} to "
                    f"{due:%Y-%m-%d} (check the local notice). Newborns can join after birth.",
                },
                provisional=True,
                advisory=advisory,
            )
        )
    return duties


PERSON_RULES = (immunization, resident_medical_insurance)
