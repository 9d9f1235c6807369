"""Statutory date arithmetic.

- 《民法典》第二百零二条: periods in months or years end on the corresponding day of the
  final month, or on that month's last day when it has no such day (``add_months``,
  ``add_years``, ``period_end``).
- 第二百零三条: a last day that is a statutory day off moves to the day after the days off
  end (``postpone_civil``).
- 《税收征收管理法实施细则》第一百零九条 and the tax authority's practice
  (``tax_deadline``).

Days off come from ``lifecycle.holidays``: a published calendar the caller passes in
(``calendars``, year → :class:`~lifecycle.holidays.HolidayCalendar`) wins; else the
``chinese_calendar`` package for the years it knows; else weekends plus the statutory
holidays of 《全国年节及纪念日放假办法》 (2025 revision), and every answer that depends on
them is *provisional*.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from lifecycle.holidays import (
    DRAGON_BOAT,
    MID_AUTUMN,
    NO_CALENDARS,
    SPRING_FESTIVAL,
    Calendars,
    DayOff,
    fallback_holidays,
    is_day_off,
    is_statutory_holiday,
)

__all__ = [
    "Deadline",
    "DayOff",
    "add_days",
    "add_months",
    "add_years",
    "age_on",
    "period_end",
    "is_day_off",
    "is_statutory_holiday",
    "next_working_day",
    "add_working_days",
    "postpone_civil",
    "tax_deadline",
    "next_tax_working_day_deadline",
    "fallback_holidays",
    "subtract_working_days",
    "Calendars",
    "NO_CALENDARS",
    "SPRING_FESTIVAL",
    "DRAGON_BOAT",
    "MID_AUTUMN",
]

ONE_DAY = timedelta(days=1)


def add_days(d: date, n: int) -> date:
    return d + timedelta(days=n)


def add_months(d: date, n: int) -> date:
    """The corresponding day ``n`` months later (or earlier, for negative ``n``).

    Where the target month has no such day, the month's last day (第二百零二条).
    """
    total = d.year * 12 + (d.month - 1) + n
    year, month0 = divmod(total, 12)
    month = month0 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(d.day, last))


def add_years(d: date, n: int) -> date:
    """The corresponding day ``n`` years later; 29 February → 28 February in a common year."""
    return add_months(d, 12 * n)


def period_end(start: date, years: int = 0, months: int = 0) -> date:
    """Last day of a period of ``years`` years and ``months`` months that starts on ``start``.

    第二百零一条: the period is counted from the day after ``start``; 第二百零二条: it ends
    on the corresponding day of the final month (or that month's last day).
    """
    return add_months(start, years * 12 + months)


def age_on(birth: date, on: date) -> int:
    """Full years of age (周岁) on ``on``: the anniversary by civil-code arithmetic counts."""
    years = on.year - birth.year
    if years > 0 and add_years(birth, years) > on:
        years -= 1
    return max(years, 0)


def next_working_day(d: date, calendars: Calendars = NO_CALENDARS) -> tuple[date, bool]:
    """``d`` itself when it is a working day, else the first working day after it."""
    provisional = False
    while True:
        off = is_day_off(d, calendars)
        provisional |= off.provisional
        if not off.off:
            return d, provisional
        d += ONE_DAY


def add_working_days(d: date, n: int, calendars: Calendars = NO_CALENDARS) -> tuple[date, bool]:
    """The ``n``-th working day after ``d`` (``n`` ≥ 0; ``n`` = 0 → ``d``)."""
    provisional = False
    while n > 0:
        d += ONE_DAY
        off = is_day_off(d, calendars)
        provisional |= off.provisional
        if not off.off:
            n -= 1
    return d, provisional


def subtract_working_days(
    d: date, n: int, calendars: Calendars = NO_CALENDARS
) -> tuple[date, bool]:
    """The ``n``-th working day before ``d``."""
    provisional = False
    while n > 0:
        d -= ONE_DAY
        off = is_day_off(d, calendars)
        provisional |= off.provisional
        if not off.off:
            n -= 1
    return d, provisional


def postpone_civil(d: date, calendars: Calendars = NO_CALENDARS) -> tuple[date, bool]:
    """第二百零三条: a last day that is a day off → the day after the days off end.

    Returns ``(date, provisional)``.
    """
    return next_working_day(d, calendars)


@dataclass(frozen=True)
class Deadline:
    date: date
    provisional: bool = False
    overridden: bool = False


def _holiday_days_in_period(
    start: date, end: date, calendars: Calendars = NO_CALENDARS
) -> tuple[int, bool]:
    """Days of runs of ≥ 3 consecutive days off that contain a statutory holiday, counted
    within ``[start, end]`` (only the runs' days inside the period count)."""
    provisional = False
    total = 0
    run: list[date] = []
    has_holiday = False

    def close() -> int:
        return len(run) if has_holiday and len(run) >= 3 else 0

    d = start
    while d <= end:
        off = is_day_off(d, calendars)
        provisional |= off.provisional
        if off.off:
            run.append(d)
            hol = is_statutory_holiday(d, calendars)
            provisional |= hol.provisional
            has_holiday |= hol.off
        else:
            total += close()
            run, has_holiday = [], False
        d += ONE_DAY
    total += close()
    return total, provisional


def tax_deadline(
    year: int,
    month: int,
    day: int = 15,
    overrides: Mapping[tuple[int, int], date] | None = None,
    calendars: Calendars = NO_CALENDARS,
) -> Deadline:
    """The declaration deadline in ``year``-``month`` (nominally the ``day``-th).

    《税收征收管理法实施细则》第一百零九条 as the tax authority applies it:

    1. An entry in ``overrides`` (a month's deadline an admin entered by hand) wins.
    2. If, between the 1st of the month and the nominal deadline, there are 3 or more
       consecutive days off that include a statutory holiday (not a plain weekend), the
       deadline is postponed by that many days — counted, as the published calendars
       do, in *working days* after the nominal deadline. Only the days of the run that
       fall inside the month count (so a Spring Festival that starts in January counts
       only with its February days).
    3. Otherwise, a deadline that falls on a day off moves to the next working day (so a
       15th inside a long holiday moves to the day after it ends: 2026-02-24).

    This reproduces every month of the published calendars of 2025 (税总办征科函〔2024〕71号)
    and 2026 (税总办征科函〔2025〕64号); tests/lifecycle/test_dates.py checks each month.
    """
    if overrides and (year, month) in overrides:
        return Deadline(overrides[(year, month)], provisional=False, overridden=True)
    nominal = date(year, month, day)
    days, provisional = _holiday_days_in_period(date(year, month, 1), nominal, calendars)
    if days >= 3:
        due, p2 = add_working_days(nominal, days, calendars)
    else:
        due, p2 = next_working_day(nominal, calendars)
    return Deadline(due, provisional or p2, False)


def next_tax_working_day_deadline(d: date, calendars: Calendars = NO_CALENDARS) -> Deadline:
    """A fixed tax deadline (e.g. 31 May) moved only by the last-day rule."""
    due, provisional = next_working_day(d, calendars)
    return Deadline(due, provisional, False)
