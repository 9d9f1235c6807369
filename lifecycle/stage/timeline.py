"""A person's and their household's dated milestones, past and coming."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from lifecycle.dates import add_years
from lifecycle.events import EVENTS_BY_KEY
from lifecycle.params import DEFAULT_PARAMS
from lifecycle.rules.education import junior_entry_year, primary_entry_year
from lifecycle.stage.facts import TimelineEntry, documents, retirement_on, status
from lifecycle.subjects import Person


def timeline(person: Person, household: Sequence[Person], today: date) -> list[TimelineEntry]:
    """Dated milestones, past and coming, of ``person`` and each household member."""
    out: list[TimelineEntry] = []

    def add(on: date, event: str, m: Person, zh: str, en: str) -> None:
        out.append(
            TimelineEntry(on, event, m.key, m.name, {"zh_Hans": zh, "en": en}, status(on, today))
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
        retire = retirement_on(m)
        if retire:
            add(
                retire,
                "retirement",
                m,
                f"{m.name}到达法定退休年龄（{retire}）",
                f"{m.name} reaches statutory retirement age ({retire})",
            )
        for zh, en, exp in documents(m):
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
