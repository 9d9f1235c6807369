"""Shared types of the duty rules: ``Duty``, ``RuleInfo`` and the evaluation context."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from lifecycle.dates import add_months
from lifecycle.holidays import Calendars
from lifecycle.params import LocalParams
from lifecycle.subjects import Person

__all__ = ["Duty", "RuleInfo", "Context", "DEFAULT_LEADS"]

# Reminder leads: "window" = when the window opens; a number = days before the due date.
DEFAULT_LEADS: tuple[str, ...] = ("window", "30", "7", "1")


@dataclass(frozen=True)
class RuleInfo:
    key: str
    family: str
    life_event: str
    service_code: str
    legal_basis: str
    summary: dict[str, str] = field(hash=False, compare=False)
    default_leads: tuple[str, ...] = DEFAULT_LEADS
    recurring: bool = False


@dataclass(frozen=True)
class Duty:
    rule: str
    occurrence: str  # stable within (subject, rule)
    subject_key: str
    service_code: str
    title: dict[str, str] = field(hash=False)
    window_start: date
    due_date: date
    legal_basis: str
    explanation: dict[str, str] = field(hash=False)
    life_event: str
    provisional: bool = False
    # Not required by law: the law says "may" (可以), or the duty rests on a guess about
    # the person; the page shows it as advice.
    advisory: bool = False
    # The document expiry the due date rests on was computed from the law (e.g. a passport
    # from its issue date, 《护照法》第七条), not read from the document.
    computed_expiry: bool = False

    @property
    def required(self) -> bool:
        return not self.advisory


@dataclass(frozen=True)
class Context:
    today: date
    params: LocalParams
    guardian: Person | None = None

    @property
    def calendars(self) -> Calendars:
        """Published holiday calendars (year → calendar) for the day-off rules."""
        return self.params.holiday_calendars

    @property
    def horizon_end(self) -> date:
        return add_months(self.today, self.params.horizon_months)

    @property
    def history_start(self) -> date:
        return self.today - timedelta(days=self.params.history_days)

    def keep_once(self, due: date) -> bool:
        """One-off duties: kept whatever their distance ahead, dropped when long past."""
        return due >= self.history_start

    def keep_recurring(self, window_start: date, due: date) -> bool:
        """Recurring duties: open now or opening within the horizon."""
        return due >= self.today and window_start <= self.horizon_end


def make(
    info: RuleInfo,
    occurrence: str,
    subject_key: str,
    title: dict[str, str],
    window_start: date,
    due_date: date,
    explanation: dict[str, str],
    *,
    provisional: bool = False,
    advisory: bool = False,
    computed_expiry: bool = False,
    service_code: str | None = None,
    legal_basis: str | None = None,
) -> Duty:
    return Duty(
        rule=info.key,
        occurrence=occurrence,
        subject_key=subject_key,
        service_code=service_code or info.service_code,
        title=title,
        window_start=min(window_start, due_date),
        due_date=due_date,
        legal_basis=legal_basis or info.legal_basis,
        explanation=explanation,
        life_event=info.life_event,
        provisional=provisional,
        advisory=advisory,
        computed_expiry=computed_expiry,
    )


def titled(person: Person, zh: str, en: str) -> dict[str, str]:
    """``{"zh_Hans": "小明的出生登记", "en": "Birth registration for 小明"}``."""
    return {"zh_Hans": f"{person.name}的{zh}", "en": f"{en} for {person.name}"}
