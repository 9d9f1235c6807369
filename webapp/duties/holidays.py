"""Published holiday calendars: what is in force for a year, publishing one, loading files.

Publishing a year (``publish_holidays``) stores the State Council's arrangement in
``holiday_calendar``, writes an audit entry, recomputes every stored duty whose dates can
depend on that year (``lifecycle.holidays.affected_span``) and moves the reminders queued
for the duties that moved. Until a year is published its deadlines come from the calendar
package or, beyond it, from the provisional fallback.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from lifecycle.catalog import load_holiday_calendars
from lifecycle.holidays import (
    HolidayCalendar,
    HolidayCalendarError,
    affected_span,
    calendar_in_force,
    make_calendar,
)
from webapp import reminders
from webapp.core import audit
from webapp.core.model_base import utcnow
from webapp.core.schemas import CONTROL_CHARACTERS
from webapp.core.service_errors import ServiceError
from webapp.duties.models import Duty, PublishedHolidays
from webapp.duties.params import invalidate_cache, load_calendars, load_params
from webapp.duties.sync import SyncReport, sync_subjects

YEARS = (2000, 2100)


@dataclass(frozen=True)
class HolidaysInForce:
    """A year's days off as the duty rules see them, and where they come from."""

    year: int
    origin: str  # "published" | "package" | "fallback"
    source: str
    holidays: tuple[date, ...]
    workdays: tuple[date, ...]
    provisional: bool
    published_at: datetime | None


@dataclass(frozen=True)
class PublishReport:
    year: int
    changed: bool
    sync: SyncReport
    moved_duties: int
    moved_reminders: int


def _messages() -> dict[str, str]:
    return {
        "missing_source": _("Name the notice that publishes the arrangement."),
        "invalid_year": _("Enter a year from 2000 to 2100."),
        "missing_holidays": _("List the days off."),
        "wrong_year": _("Every date must fall in the calendar's year."),
        "conflict": _("A day cannot be both a day off and a working day."),
        "not_weekend": _("Make-up working days are Saturdays or Sundays."),
    }


def check_year(year: int) -> None:
    if not YEARS[0] <= year <= YEARS[1]:
        raise ServiceError("invalid_year", _messages()["invalid_year"], "year", status=404)


def holidays_in_force(session: Session, year: int) -> HolidaysInForce:
    check_year(year)
    row = session.get(PublishedHolidays, year)
    found = calendar_in_force(year, load_calendars(session))
    cal = found.calendar
    return HolidaysInForce(
        year=year,
        origin=found.origin.value,
        source=cal.source,
        holidays=tuple(sorted(cal.holidays)),
        workdays=tuple(sorted(cal.workdays)),
        provisional=found.provisional,
        published_at=row.published_at if row is not None else None,
    )


def build_calendar(year: int, source: str, holidays: Iterable[date], workdays: Iterable[date]):
    """A checked calendar, or a :class:`ServiceError` naming the field."""
    if CONTROL_CHARACTERS.search(source or ""):  # the form's way in (the API: SingleLine)
        raise ServiceError(
            "control_characters",
            _("Enter this on one line, without line breaks, tabs or control characters."),
            "source",
            status=422,
        )
    try:
        return make_calendar(year, holidays, workdays, source)
    except HolidayCalendarError as exc:
        raise ServiceError(exc.code, _messages().get(exc.code, exc.message), exc.field) from exc


def _as_dict(cal: HolidayCalendar | PublishedHolidays | None) -> dict | None:
    if cal is None:
        return None
    if isinstance(cal, PublishedHolidays):
        return {"source": cal.source, "holidays": cal.holidays, "workdays": cal.workdays}
    return {
        "source": cal.source,
        "holidays": sorted(d.isoformat() for d in cal.holidays),
        "workdays": sorted(d.isoformat() for d in cal.workdays),
    }


def _affected(session: Session, year: int) -> tuple[list[int], list[int]]:
    """Accounts and enterprises with a stored duty dated within the year's span."""
    start, end = affected_span(year)
    dated = or_(Duty.due_date.between(start, end), Duty.window_start.between(start, end))
    accounts = session.scalars(
        select(Duty.owner_account_id)
        .where(dated, Duty.subject_kind.in_(("self", "household")))
        .distinct()
    )
    enterprises = session.scalars(
        select(Duty.enterprise_id).where(dated, Duty.subject_kind == "enterprise").distinct()
    )
    return [a for a in accounts if a is not None], [e for e in enterprises if e is not None]


def _dates(session: Session, where) -> dict[int, tuple[date, date]]:
    rows = session.execute(select(Duty.id, Duty.window_start, Duty.due_date).where(where))
    return {row_id: (ws, due) for row_id, ws, due in rows}


def publish_holidays(
    session: Session,
    actor_id: int | None,
    cal: HolidayCalendar,
    today: date,
    action: str = "publish",
) -> PublishReport:
    """Store ``cal`` as the year's arrangement, audit it and recompute what it moves."""
    row = session.get(PublishedHolidays, cal.year)
    before = _as_dict(row)
    after = _as_dict(cal)
    if before == after:
        return PublishReport(cal.year, False, SyncReport(), 0, 0)
    if row is None:
        row = PublishedHolidays(year=cal.year)
        session.add(row)
    row.source = cal.source
    row.holidays = after["holidays"]
    row.workdays = after["workdays"]
    row.published_at = utcnow()
    session.flush()
    audit.record(
        session, actor_id, f"holidays.{action}", "holiday_calendar", cal.year, before, after
    )
    invalidate_cache()
    start, end = affected_span(cal.year)
    old = _dates(
        session, or_(Duty.due_date.between(start, end), Duty.window_start.between(start, end))
    )
    accounts, enterprises = _affected(session, cal.year)
    report = sync_subjects(session, accounts, enterprises, today, load_params(session))
    now = {}
    ids = sorted(old)
    for i in range(0, len(ids), 900):
        now.update(_dates(session, Duty.id.in_(ids[i : i + 900])))
    moved = [duty_id for duty_id, dates in old.items() if now.get(duty_id, dates) != dates]
    requeued = reminders.move_with_duties(session, moved, today)
    return PublishReport(cal.year, True, report, len(moved), requeued)


def load_holiday_files(session: Session, today: date, path=None) -> list[PublishReport]:
    """Publish every ``holidays/<year>.yaml`` of the catalog data (as the system)."""
    return [
        publish_holidays(session, None, cal, today, action="load")
        for cal in load_holiday_calendars(path)
    ]
