"""Statutory date arithmetic.

- 《民法典》第二百零二条: periods in months or years end on the corresponding day of the
  final month, or on that month's last day when it has no such day (``add_months``,
  ``add_years``, ``period_end``).
- 第二百零三条: a last day that is a statutory day off moves to the day after the days off
  end (``postpone_civil``).
- 《税收征收管理法实施细则》第一百零九条 and the tax authority's practice
  (``tax_deadline``).

Days off come from ``chinese_calendar`` (the State Council's yearly arrangement, with
调休 working weekends) for the years it knows. For other years we use weekends plus the
statutory holidays of 《全国年节及纪念日放假办法》 (2025 revision) and mark every answer
that depends on them *provisional*.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar

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


# --- fallback holiday tables (years chinese_calendar does not know) -------------------
# 正月初一 (Spring Festival), 五月初五 (端午) and 八月十五 (中秋), Gregorian dates.
# Verify against the State Council's yearly notice; the override table corrects deadlines.
SPRING_FESTIVAL: dict[int, date] = {
    2027: date(2027, 2, 6),
    2028: date(2028, 1, 26),
    2029: date(2029, 2, 13),
    2030: date(2030, 2, 3),
    2031: date(2031, 1, 23),
    2032: date(2032, 2, 11),
    2033: date(2033, 1, 31),
    2034: date(2034, 2, 19),
    2035: date(2035, 2, 8),
    2036: date(2036, 1, 28),
    2037: date(2037, 2, 15),
    2038: date(2038, 2, 4),
    2039: date(2039, 1, 24),
    2040: date(2040, 2, 12),
}
DRAGON_BOAT: dict[int, date] = {
    2027: date(2027, 6, 9),
    2028: date(2028, 5, 28),
    2029: date(2029, 6, 16),
    2030: date(2030, 6, 5),
    2031: date(2031, 6, 24),
    2032: date(2032, 6, 12),
    2033: date(2033, 6, 1),
    2034: date(2034, 6, 20),
    2035: date(2035, 6, 10),
    2036: date(2036, 5, 30),
    2037: date(2037, 6, 18),
    2038: date(2038, 6, 7),
    2039: date(2039, 5, 27),
    2040: date(2040, 6, 14),
}
MID_AUTUMN: dict[int, date] = {
    2027: date(2027, 9, 15),
    2028: date(2028, 10, 3),
    2029: date(2029, 9, 22),
    2030: date(2030, 9, 12),
    2031: date(2031, 10, 1),
    2032: date(2032, 9, 19),
    2033: date(2033, 9, 8),
    2034: date(2034, 9, 27),
    2035: date(2035, 9, 16),
    2036: date(2036, 10, 4),
    2037: date(2037, 9, 24),
    2038: date(2038, 9, 13),
    2039: date(2039, 10, 2),
    2040: date(2040, 9, 20),
}


def _qingming(year: int) -> date:
    """清明 (solar term): the usual 21st-century formula, 4 or 5 April."""
    y = year % 100
    day = int(y * 0.2422 + 4.81) - y // 4
    return date(year, 4, day)


_fallback_cache: dict[int, frozenset[date]] = {}


def fallback_holidays(year: int) -> frozenset[date]:
    """Statutory holidays of 《全国年节及纪念日放假办法》 (2025) for ``year``, without 调休."""
    if year in _fallback_cache:
        return _fallback_cache[year]
    days: set[date] = {date(year, 1, 1), date(year, 5, 1), date(year, 5, 2)}
    days |= {date(year, 10, 1), date(year, 10, 2), date(year, 10, 3)}
    if 2000 <= year <= 2099:
        days.add(_qingming(year))
    # 除夕 of next year's festival may fall in this year (never in practice: ≥ 21 Jan).
    sf = SPRING_FESTIVAL.get(year)
    if sf is not None:
        days |= {sf - ONE_DAY, sf, sf + ONE_DAY, sf + 2 * ONE_DAY}
    for table in (DRAGON_BOAT, MID_AUTUMN):
        if year in table:
            days.add(table[year])
    result = frozenset(days)
    _fallback_cache[year] = result
    return result


@dataclass(frozen=True)
class DayOff:
    """Answer of :func:`is_day_off`: whether ``d`` is a day off, and whether that is a guess."""

    off: bool
    provisional: bool

    def __bool__(self) -> bool:  # lets callers write ``if is_day_off(d):``
        return self.off


@lru_cache(maxsize=16384)
def is_statutory_holiday(d: date) -> DayOff:
    """Whether ``d`` is part of a statutory holiday (not a plain weekend)."""
    try:
        on_holiday, name = chinese_calendar.get_holiday_detail(d)
    except NotImplementedError:
        return DayOff(d in fallback_holidays(d.year), True)
    return DayOff(bool(on_holiday and name is not None), False)


@lru_cache(maxsize=16384)
def is_day_off(d: date) -> DayOff:
    """Whether ``d`` is a day off (weekend or holiday, honouring 调休 where known)."""
    try:
        return DayOff(bool(chinese_calendar.is_holiday(d)), False)
    except NotImplementedError:
        return DayOff(d.weekday() >= 5 or d in fallback_holidays(d.year), True)


def next_working_day(d: date) -> tuple[date, bool]:
    """``d`` itself when it is a working day, else the first working day after it."""
    provisional = False
    while True:
        off = is_day_off(d)
        provisional |= off.provisional
        if not off.off:
            return d, provisional
        d += ONE_DAY


def add_working_days(d: date, n: int) -> tuple[date, bool]:
    """The ``n``-th working day after ``d`` (``n`` ≥ 0; ``n`` = 0 → ``d``)."""
    provisional = False
    while n > 0:
        d += ONE_DAY
        off = is_day_off(d)
        provisional |= off.provisional
        if not off.off:
            n -= 1
    return d, provisional


def subtract_working_days(d: date, n: int) -> tuple[date, bool]:
    """The ``n``-th working day before ``d``."""
    provisional = False
    while n > 0:
        d -= ONE_DAY
        off = is_day_off(d)
        provisional |= off.provisional
        if not off.off:
            n -= 1
    return d, provisional


def postpone_civil(d: date) -> tuple[date, bool]:
    """第二百零三条: a last day that is a day off → the day after the days off end.

    Returns ``(date, provisional)``.
    """
    return next_working_day(d)


@dataclass(frozen=True)
class Deadline:
    date: date
    provisional: bool = False
    overridden: bool = False


def _holiday_days_in_period(start: date, end: date) -> tuple[int, bool]:
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
        off = is_day_off(d)
        provisional |= off.provisional
        if off.off:
            run.append(d)
            hol = is_statutory_holiday(d)
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
) -> Deadline:
    """The declaration deadline in ``year``-``month`` (nominally the ``day``-th).

    《税收征收管理法实施细则》第一百零九条 as the tax authority applies it:

    1. An entry in ``overrides`` (the published declaration calendar) wins.
    2. If, between the 1st of the month and the nominal deadline, there are 3 or more
       consecutive days off that include a statutory holiday (not a plain weekend), the
       deadline is postponed by that many days — counted, as the published calendars
       do, in *working days* after the nominal deadline. Only the days of the run that
       fall inside the month count (so a Spring Festival that starts in January counts
       only with its February days). This reproduces the published deadlines of
       2025-01-15, 2025-02-20, 2025-04-18, 2025-05-22, 2025-10-27 and 2026-01-20.
    3. Otherwise, a deadline that falls on a day off moves to the next working day.

    Known gap: when the nominal deadline falls *inside* a long holiday (February 2026,
    Spring Festival 15–23 February) the authority has published a later date
    (2026-02-26) than this rule's 2026-02-24; such months belong in ``overrides``.
    """
    if overrides and (year, month) in overrides:
        return Deadline(overrides[(year, month)], provisional=False, overridden=True)
    nominal = date(year, month, day)
    days, provisional = _holiday_days_in_period(date(year, month, 1), nominal)
    if days >= 3:
        due, p2 = add_working_days(nominal, days)
    else:
        due, p2 = next_working_day(nominal)
    return Deadline(due, provisional or p2, False)


def next_tax_working_day_deadline(d: date) -> Deadline:
    """A fixed tax deadline (e.g. 31 May) moved only by the last-day rule."""
    due, provisional = next_working_day(d)
    return Deadline(due, provisional, False)
