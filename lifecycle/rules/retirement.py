"""Statutory retirement age, from 1 January 2025 (全国人大常委会 2024-09-13 决定)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lifecycle.dates import add_months
from lifecycle.rules.base import Context, Duty, RuleInfo, make, titled
from lifecycle.subjects import Person

RETIREMENT = RuleInfo(
    key="retirement",
    family="retirement",
    life_event="retirement",
    service_code="pension_claim",
    legal_basis="《全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定》（2024年9月13日）",
    summary={
        "zh_Hans": "按出生年月和类别确定法定退休年龄，提前三个月准备申领基本养老金。",
        "en": "The statutory retirement age follows from birth month and category; start the "
        "pension claim three months ahead.",
    },
    default_leads=("window", "30", "7"),
)

RULES = (RETIREMENT,)


@dataclass(frozen=True)
class RetirementScheme:
    original_years: int
    base: tuple[int, int]  # (year, month) from which the delay applies
    months_per_step: int  # birth months per month of delay
    cap: int  # maximum delay in months


SCHEMES: dict[str, RetirementScheme] = {
    "male": RetirementScheme(60, (1965, 1), 4, 36),
    "female_cadre": RetirementScheme(55, (1970, 1), 4, 36),
    "female_worker": RetirementScheme(50, (1975, 1), 2, 60),
}
CATEGORY_NAMES = {
    "male": ("男职工", "men"),
    "female_cadre": ("原法定退休年龄55周岁的女职工", "women with original retirement age 55"),
    "female_worker": ("原法定退休年龄50周岁的女职工", "women with original retirement age 50"),
}


def delay_months(birth: date, category: str) -> int:
    s = SCHEMES[category]
    i = (birth.year - s.base[0]) * 12 + (birth.month - s.base[1])
    if i < 0:
        return 0
    return min(s.cap, i // s.months_per_step + 1)


def retirement_age_months(birth: date, category: str) -> int:
    return SCHEMES[category].original_years * 12 + delay_months(birth, category)


def retirement_date(birth: date, category: str) -> date:
    return add_months(birth, retirement_age_months(birth, category))


def person_category(person: Person) -> tuple[str | None, bool]:
    """(category, guessed). Women without a category are guessed as female_cadre."""
    if person.retirement_category in SCHEMES:
        return person.retirement_category, False
    if person.gender == "male":
        return "male", False
    if person.gender == "female":
        return "female_cadre", True
    return None, False


def retirement(person: Person, ctx: Context) -> list[Duty]:
    birth = person.birth_date
    if birth is None or person.deceased_on is not None or person.employment == "retired":
        return []
    if person.relation == "child":
        return []
    category, guessed = person_category(person)
    if category is None:
        return []
    on = retirement_date(birth, category)
    if not ctx.keep_once(on):
        return []
    total = retirement_age_months(birth, category)
    years, months = divmod(total, 12)
    delay = delay_months(birth, category)
    czh, cen = CATEGORY_NAMES[category]
    guess_zh = "（未填写退休类别，暂按55周岁类别计算，请补充）" if guessed else ""
    guess_en = " (category not given: assumed 55; please add it)" if guessed else ""
    return [
        make(
            RETIREMENT,
            "retirement",
            person.key,
            titled(person, "退休（基本养老金申领）", "Retirement and pension claim"),
            add_months(on, -3),
            on,
            {
                "zh_Hans": f"{czh}，{birth:%Y年%m月}出生，延迟{delay}个月，法定退休年龄{years}周岁"
                f"{months}个月，于{on:%Y-%m-%d}退休{guess_zh}。提前三个月准备养老金申领。",
                "en": f"As one of the {cen}, born {birth:%B %Y}, the delay is {delay} months: "
                f"retirement at {years} years {months} months, on {on:%Y-%m-%d}{guess_en}. "
                "Prepare the pension claim three months ahead.",
            },
            advisory=guessed,
            provisional=guessed,
        )
    ]


PERSON_RULES = (retirement,)
