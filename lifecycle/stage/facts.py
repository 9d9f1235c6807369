"""The typed results of stage inference and the helpers the person, household and enterprise
stages share."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from lifecycle.events import EVENTS_BY_KEY
from lifecycle.rules.identity import id_card_expiry
from lifecycle.rules.retirement import person_category, retirement_date
from lifecycle.subjects import Enterprise, Person

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


def fact(event: str, p: Person | Enterprise, on: date | None, zh: str, en: str) -> StageFact:
    return StageFact(event, p.key, p.name, on, {"zh_Hans": zh, "en": en})


def order(facts: list[StageFact]) -> tuple[StageFact, ...]:
    """Facts in life-event order, the first of each (event, subject) kept."""
    seen: set[tuple[str, str]] = set()
    out = []
    for f in sorted(facts, key=lambda f: (EVENTS_BY_KEY[f.event].position, f.on or date.max)):
        if (f.event, f.subject_key) not in seen:
            seen.add((f.event, f.subject_key))
            out.append(f)
    return tuple(out)


def status(on: date, today: date) -> str:
    if on < today - CURRENT_BEFORE:
        return "past"
    if on > today + CURRENT_AFTER:
        return "future"
    return "current"


def documents(p: Person) -> list[tuple[str, str, date]]:
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


def retirement_on(p: Person) -> date | None:
    if p.birth_date is None or p.relation == "child":
        return None
    category, _ = person_category(p)
    return retirement_date(p.birth_date, category) if category else None
