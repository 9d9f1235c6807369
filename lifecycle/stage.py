"""Which life events a person (with their household) or an enterprise is in, and a timeline.

All functions are pure: ``today`` is passed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from lifecycle.dates import add_years, age_on
from lifecycle.events import EVENTS_BY_KEY
from lifecycle.params import DEFAULT_PARAMS
from lifecycle.rules.education import junior_entry_year, primary_entry_year
from lifecycle.rules.identity import id_card_expiry
from lifecycle.rules.retirement import person_category, retirement_date
from lifecycle.subjects import Enterprise, Person

__all__ = [
    "StageFact",
    "Stage",
    "TimelineEntry",
    "infer_stage",
    "timeline",
    "enterprise_stage",
    "enterprise_timeline",
]

CURRENT_BEFORE = timedelta(days=30)  # timeline: "current" from 30 days before today...
CURRENT_AFTER = timedelta(days=30)  # ...to 30 days after


@dataclass(frozen=True)
class StageFact:
    event: str
    subject_key: str
    subject_name: str
    on: date | None
    reason: dict[str, str] = field(hash=False, compare=False)


@dataclass(frozen=True)
class Stage:
    current: tuple[StageFact, ...]
    upcoming: tuple[StageFact, ...]

    @property
    def current_events(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.event for f in self.current))

    @property
    def upcoming_events(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.event for f in self.upcoming))


@dataclass(frozen=True)
class TimelineEntry:
    on: date
    event: str
    subject_key: str
    subject_name: str
    text: dict[str, str] = field(hash=False, compare=False)
    status: str = "future"  # "past" | "current" | "future"


def _fact(event: str, p: Person | Enterprise, on: date | None, zh: str, en: str) -> StageFact:
    return StageFact(event, p.key, p.name, on, {"zh_Hans": zh, "en": en})


def _order(facts: list[StageFact]) -> tuple[StageFact, ...]:
    seen: set[tuple[str, str]] = set()
    out = []
    for f in sorted(facts, key=lambda f: (EVENTS_BY_KEY[f.event].position, f.on or date.max)):
        if (f.event, f.subject_key) not in seen:
            seen.add((f.event, f.subject_key))
            out.append(f)
    return tuple(out)


def _documents(p: Person) -> list[tuple[str, str, date]]:
    """(zh name, en name, expiry) of the person's documents with a known expiry."""
    docs = []
    if p.id_card and p.id_card.issued_on and p.birth_date:
        exp = id_card_expiry(p.birth_date, p.id_card.issued_on)
        if exp:
            docs.append(("身份证", "ID card", exp))
    if p.driver_license and p.driver_license.expires_on:
        docs.append(("驾驶证", "driving licence", p.driver_license.expires_on))
    if p.passport and p.passport.expires_on:
        docs.append(("护照", "passport", p.passport.expires_on))
    return docs


def _retirement_on(p: Person) -> date | None:
    if p.birth_date is None or p.relation == "child":
        return None
    category, _ = person_category(p)
    return retirement_date(p.birth_date, category) if category else None


def infer_stage(person: Person, household: Sequence[Person], today: date) -> Stage:
    """The life events ``person`` is in now (``current``) or soon (``upcoming``)."""
    current: list[StageFact] = []
    upcoming: list[StageFact] = []
    year_ahead = add_years(today, 1)
    for m in (person, *household):
        if m.deceased_on is not None:
            if m.deceased_on >= add_years(today, -1):
                current.append(
                    _fact(
                        "death",
                        m,
                        m.deceased_on,
                        f"{m.name}于{m.deceased_on}去世",
                        f"{m.name} died on {m.deceased_on}",
                    )
                )
            continue
        birth = m.birth_date
        age = age_on(birth, today) if birth and birth <= today else None
        if birth and birth > today:
            upcoming.append(
                _fact(
                    "childbirth",
                    m,
                    birth,
                    f"{m.name}预计{birth}出生",
                    f"{m.name} expected on {birth}",
                )
            )
            continue
        if age is not None and age < 1:
            current.append(
                _fact("childbirth", m, birth, f"{m.name}于{birth}出生", f"{m.name} born {birth}")
            )
            current.append(
                _fact("birth", m, birth, f"{m.name}于{birth}出生", f"{m.name} born {birth}")
            )
        if birth is not None and age is not None:
            six = add_years(birth, 6)
            school_start = date(primary_entry_year(birth), 9, 1)
            if today < six <= year_ahead or (today < school_start <= year_ahead):
                current.append(
                    _fact(
                        "education",
                        m,
                        six,
                        f"{m.name}将于{six}年满6周岁",
                        f"{m.name} turns 6 on {six}",
                    )
                )
            elif 6 <= age <= 15:
                current.append(
                    _fact(
                        "education",
                        m,
                        school_start,
                        f"{m.name}{age}岁，正在上学",
                        f"{m.name} is {age} and at school",
                    )
                )
            elif year_ahead < six <= add_years(today, 2):
                upcoming.append(
                    _fact(
                        "education",
                        m,
                        six,
                        f"{m.name}将于{six}年满6周岁",
                        f"{m.name} turns 6 on {six}",
                    )
                )
            sixteen = add_years(birth, 16)
            if today < sixteen <= year_ahead:
                upcoming.append(
                    _fact(
                        "travel",
                        m,
                        sixteen,
                        f"{m.name}将于{sixteen}年满16周岁，需申领身份证",
                        f"{m.name} turns 16 on {sixteen} and needs an ID card",
                    )
                )
        for zh, en, exp in _documents(m):
            if exp <= year_ahead and exp >= add_years(today, -1):
                current.append(
                    _fact(
                        "travel",
                        m,
                        exp,
                        f"{m.name}的{zh}于{exp}到期",
                        f"{m.name}'s {en} expires on {exp}",
                    )
                )
        retire = _retirement_on(m)
        if m.employment == "retired":
            current.append(
                _fact("retirement", m, retire, f"{m.name}已退休", f"{m.name} is retired")
            )
        elif retire is not None:
            if today - timedelta(days=60) <= retire <= today + timedelta(days=60):
                current.append(
                    _fact(
                        "retirement",
                        m,
                        retire,
                        f"{m.name}于{retire}到达法定退休年龄",
                        f"{m.name} reaches retirement age on {retire}",
                    )
                )
            elif today < retire <= year_ahead:
                upcoming.append(
                    _fact(
                        "retirement",
                        m,
                        retire,
                        f"{m.name}将于{retire}到达法定退休年龄",
                        f"{m.name} reaches retirement age on {retire}",
                    )
                )
        if m is person:
            working_age = age is not None and age >= 16 and (retire is None or today < retire)
            if m.employment in ("employed", "self_employed", "unemployed") or (
                working_age and m.employment not in ("retired", "student")
            ):
                current.append(
                    _fact("work", m, None, f"{m.name}处于就业年龄", f"{m.name} is of working age")
                )
            if m.marital_status == "married":
                current.append(_fact("marriage", m, None, f"{m.name}已婚", f"{m.name} is married"))
        if m.relation == "parent" and age is not None and age >= 80:
            for ev in ("healthcare", "retirement"):
                current.append(
                    _fact(
                        ev,
                        m,
                        None,
                        f"{m.name}已{age}岁，需要养老与就医服务",
                        f"{m.name} is {age}: elderly care and healthcare",
                    )
                )
        if m.relation == "spouse" and person.marital_status is None:
            current.append(_fact("marriage", person, None, f"配偶：{m.name}", f"Spouse: {m.name}"))
    return Stage(_order(current), _order(upcoming))


def _status(on: date, today: date) -> str:
    if on < today - CURRENT_BEFORE:
        return "past"
    if on > today + CURRENT_AFTER:
        return "future"
    return "current"


def timeline(person: Person, household: Sequence[Person], today: date) -> list[TimelineEntry]:
    """Dated milestones, past and coming, of ``person`` and each household member."""
    out: list[TimelineEntry] = []

    def add(on: date, event: str, m: Person, zh: str, en: str) -> None:
        out.append(
            TimelineEntry(on, event, m.key, m.name, {"zh_Hans": zh, "en": en}, _status(on, today))
        )

    for m in (person, *household):
        birth = m.birth_date
        if birth:
            add(birth, "birth", m, f"{m.name}出生（{birth}）", f"{m.name} born ({birth})")
            if m.relation == "child":
                add(birth, "childbirth", m, f"迎来孩子{m.name}", f"{m.name} joins the family")
            py = primary_entry_year(birth)
            add(
                date(py, 9, 1),
                "education",
                m,
                f"{m.name}{py}年9月上小学",
                f"{m.name} starts primary school, September {py}",
            )
            jy = junior_entry_year(birth, m.region_code, DEFAULT_PARAMS)
            add(
                date(jy, 9, 1),
                "education",
                m,
                f"{m.name}{jy}年9月上初中",
                f"{m.name} starts junior middle school, September {jy}",
            )
            sixteen = add_years(birth, 16)
            add(
                sixteen,
                "travel",
                m,
                f"{m.name}年满16周岁，申领身份证",
                f"{m.name} turns 16 and applies for an ID card",
            )
            eighteen = add_years(birth, 18)
            add(eighteen, "work", m, f"{m.name}年满18周岁，成年", f"{m.name} comes of age (18)")
        retire = _retirement_on(m)
        if retire:
            add(
                retire,
                "retirement",
                m,
                f"{m.name}到达法定退休年龄（{retire}）",
                f"{m.name} reaches statutory retirement age ({retire})",
            )
        for zh, en, exp in _documents(m):
            add(
                exp, "travel", m, f"{m.name}的{zh}到期（{exp}）", f"{m.name}'s {en} expires ({exp})"
            )
        if m.deceased_on:
            add(
                m.deceased_on,
                "death",
                m,
                f"{m.name}去世（{m.deceased_on}）",
                f"{m.name} died ({m.deceased_on})",
            )
            out[:] = [e for e in out if e.subject_key != m.key or e.on <= m.deceased_on]
    return sorted(out, key=lambda e: (e.on, EVENTS_BY_KEY[e.event].position, e.subject_key))


def enterprise_stage(ent: Enterprise, today: date) -> Stage:
    current: list[StageFact] = []
    upcoming: list[StageFact] = []
    if ent.deregistered_on is not None and ent.deregistered_on <= today:
        current.append(
            _fact(
                "deregistration",
                ent,
                ent.deregistered_on,
                f"{ent.name}已于{ent.deregistered_on}注销",
                f"{ent.name} was deregistered on {ent.deregistered_on}",
            )
        )
        return Stage(_order(current), ())
    est = ent.established_on
    if est is None or est > today:
        target = current if est is None else upcoming
        target.append(
            _fact("establishment", ent, est, f"{ent.name}正在开办", f"{ent.name} is being set up")
        )
        return Stage(_order(current), _order(upcoming))
    if est >= add_years(today, -1):
        current.append(
            _fact(
                "establishment",
                ent,
                est,
                f"{ent.name}于{est}设立",
                f"{ent.name} was established on {est}",
            )
        )
    current.append(
        _fact(
            "operation",
            ent,
            est,
            f"{ent.name}正在经营：纳税申报、年度报告",
            f"{ent.name} is operating: tax returns, annual report",
        )
    )
    for p in ent.permits:
        if p.expires_on is None:
            continue
        if today - timedelta(days=365) <= p.expires_on <= add_years(today, 1):
            current.append(
                _fact(
                    "licensing",
                    ent,
                    p.expires_on,
                    f"许可证{p.number}于{p.expires_on}到期",
                    f"Permit {p.number} expires on {p.expires_on}",
                )
            )
        elif add_years(today, 1) < p.expires_on <= add_years(today, 2):
            upcoming.append(
                _fact(
                    "licensing",
                    ent,
                    p.expires_on,
                    f"许可证{p.number}于{p.expires_on}到期",
                    f"Permit {p.number} expires on {p.expires_on}",
                )
            )
    if not ent.permits and est >= add_years(today, -1):
        current.append(
            _fact(
                "licensing",
                ent,
                None,
                "新设企业可能需要申领行业许可",
                "A new business may need sector permits",
            )
        )
    if ent.deregistered_on is not None:
        upcoming.append(
            _fact(
                "deregistration",
                ent,
                ent.deregistered_on,
                f"{ent.name}计划于{ent.deregistered_on}注销",
                f"{ent.name} plans to close on {ent.deregistered_on}",
            )
        )
    return Stage(_order(current), _order(upcoming))


def enterprise_timeline(ent: Enterprise, today: date) -> list[TimelineEntry]:
    out: list[TimelineEntry] = []

    def add(on: date, event: str, zh: str, en: str) -> None:
        out.append(
            TimelineEntry(
                on, event, ent.key, ent.name, {"zh_Hans": zh, "en": en}, _status(on, today)
            )
        )

    est = ent.established_on
    if est:
        add(est, "establishment", f"{ent.name}设立登记（{est}）", f"{ent.name} registered ({est})")
        first = date(est.year + 1, 6, 30)
        add(
            first, "operation", f"首次年度报告截止（{first}）", f"First annual report due ({first})"
        )
    for p in ent.permits:
        if p.issued_on:
            add(p.issued_on, "licensing", f"取得许可证{p.number}", f"Permit {p.number} issued")
        if p.expires_on:
            add(
                p.expires_on,
                "licensing",
                f"许可证{p.number}到期（{p.expires_on}）",
                f"Permit {p.number} expires ({p.expires_on})",
            )
    if ent.deregistered_on:
        add(
            ent.deregistered_on,
            "deregistration",
            f"{ent.name}注销（{ent.deregistered_on}）",
            f"{ent.name} deregistered ({ent.deregistered_on})",
        )
    return sorted(out, key=lambda e: (e.on, EVENTS_BY_KEY[e.event].position))
