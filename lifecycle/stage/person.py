"""The life events a person (with their household) is in now or soon.

One small detector per life event: it looks at one household member and yields each fact it
finds, with its reason, as ``(CURRENT | UPCOMING, StageFact)``. ``DETECTORS`` is the registry:
``infer_stage`` runs every detector on every member, in order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from lifecycle.dates import add_years, age_on
from lifecycle.rules.education import primary_entry_year
from lifecycle.stage.facts import Stage, StageFact, documents, fact, order, retirement_on
from lifecycle.subjects import Person

CURRENT = "current"
UPCOMING = "upcoming"
RETIREMENT_WINDOW = timedelta(days=60)  # "reaching retirement age" from 60 days before to after

Found = Iterator[tuple[str, StageFact]]


@dataclass(frozen=True)
class Member:
    """One household member as the detectors see them on ``today``."""

    m: Person
    person: Person  # whose stage it is
    today: date
    year_ahead: date
    age: int | None  # None when the birth date is unknown or in the future
    retire: date | None  # statutory retirement date, when known

    @property
    def deceased(self) -> bool:
        return self.m.deceased_on is not None

    @property
    def unborn(self) -> bool:
        return self.m.birth_date is not None and self.m.birth_date > self.today

    @property
    def living(self) -> bool:
        return not self.deceased and not self.unborn


def member(m: Person, person: Person, today: date) -> Member:
    birth = m.birth_date
    age = age_on(birth, today) if birth and birth <= today else None
    return Member(m, person, today, add_years(today, 1), age, retirement_on(m))


def death(s: Member) -> Found:
    on = s.m.deceased_on
    if on is not None and on >= add_years(s.today, -1):
        yield CURRENT, fact("death", s.m, on, f"{s.m.name}于{on}去世", f"{s.m.name} died on {on}")


def childbirth(s: Member) -> Found:
    m, birth = s.m, s.m.birth_date
    if s.deceased:
        return
    if s.unborn:
        yield (
            UPCOMING,
            fact(
                "childbirth", m, birth, f"{m.name}预计{birth}出生", f"{m.name} expected on {birth}"
            ),
        )
    elif s.age is not None and s.age < 1:
        yield (
            CURRENT,
            fact("childbirth", m, birth, f"{m.name}于{birth}出生", f"{m.name} born {birth}"),
        )


def birth(s: Member) -> Found:
    m, born = s.m, s.m.birth_date
    if s.living and s.age is not None and s.age < 1:
        yield CURRENT, fact("birth", m, born, f"{m.name}于{born}出生", f"{m.name} born {born}")


def education(s: Member) -> Found:
    m, born, age, today = s.m, s.m.birth_date, s.age, s.today
    if not s.living or born is None or age is None:
        return
    six = add_years(born, 6)
    school_start = date(primary_entry_year(born), 9, 1)
    turns_six = (f"{m.name}将于{six}年满6周岁", f"{m.name} turns 6 on {six}")
    if today < six <= s.year_ahead or (today < school_start <= s.year_ahead):
        yield CURRENT, fact("education", m, six, *turns_six)
    elif 6 <= age <= 15:
        yield (
            CURRENT,
            fact(
                "education",
                m,
                school_start,
                f"{m.name}{age}岁，正在上学",
                f"{m.name} is {age} and at school",
            ),
        )
    elif s.year_ahead < six <= add_years(today, 2):
        yield UPCOMING, fact("education", m, six, *turns_six)


def travel(s: Member) -> Found:
    """Turning 16 (an ID card is due) and documents expiring within a year either side."""
    m, born = s.m, s.m.birth_date
    if not s.living:
        return
    if born is not None and s.age is not None:
        sixteen = add_years(born, 16)
        if s.today < sixteen <= s.year_ahead:
            yield (
                UPCOMING,
                fact(
                    "travel",
                    m,
                    sixteen,
                    f"{m.name}将于{sixteen}年满16周岁，需申领身份证",
                    f"{m.name} turns 16 on {sixteen} and needs an ID card",
                ),
            )
    for zh, en, exp in documents(m):
        if add_years(s.today, -1) <= exp <= s.year_ahead:
            yield (
                CURRENT,
                fact(
                    "travel",
                    m,
                    exp,
                    f"{m.name}的{zh}于{exp}到期",
                    f"{m.name}'s {en} expires on {exp}",
                ),
            )


def retirement(s: Member) -> Found:
    """Retired, reaching statutory retirement age, or a parent aged 80 or more."""
    m, retire, today = s.m, s.retire, s.today
    if not s.living:
        return
    reaches = f"{m.name} reaches retirement age on {retire}"
    if m.employment == "retired":
        yield CURRENT, fact("retirement", m, retire, f"{m.name}已退休", f"{m.name} is retired")
    elif retire is not None:
        if today - RETIREMENT_WINDOW <= retire <= today + RETIREMENT_WINDOW:
            yield (
                CURRENT,
                fact("retirement", m, retire, f"{m.name}于{retire}到达法定退休年龄", reaches),
            )
        elif today < retire <= s.year_ahead:
            yield (
                UPCOMING,
                fact("retirement", m, retire, f"{m.name}将于{retire}到达法定退休年龄", reaches),
            )
    yield from _elderly(s, "retirement")


def healthcare(s: Member) -> Found:
    yield from _elderly(s, "healthcare")


def _elderly(s: Member, event: str) -> Found:
    m, age = s.m, s.age
    if s.living and m.relation == "parent" and age is not None and age >= 80:
        yield (
            CURRENT,
            fact(
                event,
                m,
                None,
                f"{m.name}已{age}岁，需要养老与就医服务",
                f"{m.name} is {age}: elderly care and healthcare",
            ),
        )


def work(s: Member) -> Found:
    m, age = s.m, s.age
    if not s.living or m is not s.person:
        return
    working_age = age is not None and age >= 16 and (s.retire is None or s.today < s.retire)
    if m.employment in ("employed", "self_employed", "unemployed") or (
        working_age and m.employment not in ("retired", "student")
    ):
        yield CURRENT, fact("work", m, None, f"{m.name}处于就业年龄", f"{m.name} is of working age")


def marriage(s: Member) -> Found:
    """The person is married, or a (living) spouse is in the household."""
    m, person = s.m, s.person
    if not s.living:
        return
    if m is person and m.marital_status == "married":
        yield CURRENT, fact("marriage", m, None, f"{m.name}已婚", f"{m.name} is married")
    if m.relation == "spouse" and person.marital_status is None:
        yield CURRENT, fact("marriage", person, None, f"配偶：{m.name}", f"Spouse: {m.name}")


Detector = Callable[[Member], Found]

# The registry: every life event a person's stage can show, one detector each.
DETECTORS: tuple[Detector, ...] = (
    death,
    childbirth,
    birth,
    education,
    travel,
    retirement,
    work,
    marriage,
    healthcare,
)


def infer_stage(person: Person, household: Sequence[Person], today: date) -> Stage:
    """The life events ``person`` is in now (``current``) or soon (``upcoming``)."""
    found: dict[str, list[StageFact]] = {CURRENT: [], UPCOMING: []}
    for m in (person, *household):
        s = member(m, person, today)
        for detect in DETECTORS:
            for when, f in detect(s):
                found[when].append(f)
    return Stage(order(found[CURRENT]), order(found[UPCOMING]))
