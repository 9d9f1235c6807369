"""The duty rules' local parameters, read from the database over lifecycle's defaults.

``current_params(session)`` merges ``lifecycle.params.DEFAULT_PARAMS`` with the rows of
``local_window`` (school registration and resident medical insurance windows per region
prefix), ``tax_deadline_override`` (the tax authority's published deadlines) and
``holiday_calendar`` (the State Council's published holiday arrangements, by year). The admin
console calls ``set_local_window`` / ``set_tax_override`` (and the delete functions); the
next duty sync (``duty_sync.sync_all``, run daily) applies the change to stored duties.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from flask import g, has_app_context
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from lifecycle.holidays import Calendars, HolidayCalendar, calendars_of
from lifecycle.params import DEFAULT_PARAMS, LocalParams
from webapp.core.service_errors import NotFound, ServiceError
from webapp.duties.models import LocalWindow, PublishedHolidays, TaxDeadlineOverride

# local_window.kind → the LocalParams field it fills.
WINDOW_KINDS = {
    "school_registration": "primary_school_windows",
    "junior_school_registration": "junior_school_windows",
    "medical_insurance": "medical_insurance_windows",
}
_CACHE_KEY = "_lifecycle_params"


def load_params(session: Session) -> LocalParams:
    """Read the parameter tables now (no cache)."""
    tables: dict[str, dict] = {
        attr: dict(getattr(DEFAULT_PARAMS, attr)) for attr in WINDOW_KINDS.values()
    }
    for row in session.scalars(select(LocalWindow).order_by(LocalWindow.id)):
        attr = WINDOW_KINDS.get(row.kind)
        if attr is None:
            continue
        tables[attr][row.region_prefix or ""] = (
            (row.start_month, row.start_day),
            (row.end_month, row.end_day),
        )
    overrides = dict(DEFAULT_PARAMS.tax_overrides)
    for row in session.scalars(select(TaxDeadlineOverride)):
        overrides[(row.year, row.month)] = row.due_date
    return replace(
        DEFAULT_PARAMS,
        tax_overrides=overrides,
        holiday_calendars=load_calendars(session),
        **tables,
    )


def calendar_of(row: PublishedHolidays) -> HolidayCalendar:
    return HolidayCalendar(
        row.year,
        frozenset(date.fromisoformat(d) for d in row.holidays),
        frozenset(date.fromisoformat(d) for d in row.workdays),
        row.source,
    )


def load_calendars(session: Session) -> Calendars:
    """The published holiday calendars, year → calendar."""
    return calendars_of(calendar_of(row) for row in session.scalars(select(PublishedHolidays)))


def current_params(session: Session) -> LocalParams:
    """The parameters for this request or job (read once per app context)."""
    if not has_app_context():
        return load_params(session)
    params = g.get(_CACHE_KEY)
    if params is None:
        params = load_params(session)
        setattr(g, _CACHE_KEY, params)
    return params


def invalidate_cache() -> None:
    if has_app_context():
        g.pop(_CACHE_KEY, None)


def _check_month_day(month: int, day: int, field: str) -> None:
    try:
        date(2024, month, day)  # a leap year accepts 29 February
    except (TypeError, ValueError) as exc:
        raise ServiceError(
            "invalid_date", _("This is not a valid day of the year."), field
        ) from exc


def set_local_window(
    session: Session,
    kind: str,
    region_prefix: str,
    start: tuple[int, int],
    end: tuple[int, int],
) -> LocalWindow:
    """Create or replace the yearly window ``start``–``end`` ((month, day) pairs) of ``kind``
    for regions whose code starts with ``region_prefix`` ("" = nationwide default)."""
    if kind not in WINDOW_KINDS:
        raise ServiceError("invalid_kind", _("Choose one of the offered values."), "kind")
    prefix = (region_prefix or "").strip()
    if len(prefix) > 6 or not prefix.isdigit() and prefix != "":
        raise ServiceError(
            "bad_region", _("Enter up to 6 digits of a region code (GB/T 2260)."), "region_prefix"
        )
    _check_month_day(*start, "start")
    _check_month_day(*end, "end")
    if tuple(end) < tuple(start):
        raise ServiceError("invalid_window", _("The window must end after it starts."), "end")
    row = session.scalar(
        select(LocalWindow).where(LocalWindow.kind == kind, LocalWindow.region_prefix == prefix)
    )
    if row is None:
        row = LocalWindow(kind=kind, region_prefix=prefix)
        session.add(row)
    row.start_month, row.start_day = start
    row.end_month, row.end_day = end
    session.flush()
    invalidate_cache()
    return row


def delete_local_window(session: Session, kind: str, region_prefix: str) -> None:
    row = session.scalar(
        select(LocalWindow).where(
            LocalWindow.kind == kind, LocalWindow.region_prefix == (region_prefix or "")
        )
    )
    if row is None:
        raise NotFound(_("No such window."))
    session.delete(row)
    session.flush()
    invalidate_cache()


def set_tax_override(
    session: Session, year: int, month: int, due_date: date, note: str | None = None
) -> TaxDeadlineOverride:
    """Record the published declaration deadline of ``year``-``month`` (replaces any)."""
    if not 1 <= month <= 12:
        raise ServiceError("invalid_month", _("Enter a month from 1 to 12."), "month")
    if (due_date.year, due_date.month) != (year, month):
        raise ServiceError(
            "invalid_date", _("The deadline must fall in the month it is for."), "due_date"
        )
    row = session.scalar(
        select(TaxDeadlineOverride).where(
            TaxDeadlineOverride.year == year, TaxDeadlineOverride.month == month
        )
    )
    if row is None:
        row = TaxDeadlineOverride(year=year, month=month)
        session.add(row)
    row.due_date = due_date
    row.note = note
    session.flush()
    invalidate_cache()
    return row


def delete_tax_override(session: Session, year: int, month: int) -> None:
    row = session.scalar(
        select(TaxDeadlineOverride).where(
            TaxDeadlineOverride.year == year, TaxDeadlineOverride.month == month
        )
    )
    if row is None:
        raise NotFound(_("No such override."))
    session.delete(row)
    session.flush()
    invalidate_cache()
