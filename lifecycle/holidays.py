"""Which days are days off: published calendars, the calendar package, the fallback.

The State Council publishes each year's holiday arrangement (国务院办公厅关于某年部分节假日
安排的通知), usually in November of the year before: the days off of each holiday and the
weekend days that become working days (调休). Three sources answer, in this order:

1. ``published``: a :class:`HolidayCalendar` the caller passes in (an admin entered the
   notice). Never provisional.
2. ``package``: the ``chinese_calendar`` package, for the years it carries (2004–2026 in
   1.11). Never provisional.
3. ``fallback``: weekends plus the statutory holidays of 《全国年节及纪念日放假办法》
   (2025 revision) without 调休. Every answer is *provisional*.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from types import MappingProxyType

import chinese_calendar

__all__ = [
    "HolidayCalendar",
    "HolidayCalendarError",
    "Calendars",
    "NO_CALENDARS",
    "CalendarOrigin",
    "CalendarInForce",
    "DayOff",
    "make_calendar",
    "calendars_of",
    "affected_span",
    "calendar_in_force",
    "is_day_off",
    "is_statutory_holiday",
    "fallback_holidays",
    "SPRING_FESTIVAL",
    "DRAGON_BOAT",
    "MID_AUTUMN",
]

ONE_DAY = timedelta(days=1)


class HolidayCalendarError(ValueError):
    """A calendar that cannot be right (dates outside its year, a day both off and on)."""

    def __init__(self, code: str, message: str, field: str) -> None:
        super().__init__(message)
        self.code, self.message, self.field = code, message, field


@dataclass(frozen=True)
class HolidayCalendar:
    """One year's official arrangement: the days off of its holidays, the make-up working
    days, and the notice that published them."""

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]
    source: str

    def is_day_off(self, d: date) -> bool:
        if d in self.workdays:
            return False
        return d in self.holidays or d.weekday() >= 5


Calendars = Mapping[int, HolidayCalendar]
NO_CALENDARS: Calendars = MappingProxyType({})


def make_calendar(
    year: int, holidays: Iterable[date], workdays: Iterable[date], source: str
) -> HolidayCalendar:
    """A checked :class:`HolidayCalendar`; raises :class:`HolidayCalendarError`."""
    source = (source or "").strip()
    if not source:
        raise HolidayCalendarError("missing_source", "Name the notice that publishes it.", "source")
    if not 2000 <= year <= 2100:
        raise HolidayCalendarError(
            "invalid_year", "The year must be between 2000 and 2100.", "year"
        )
    hol, work = frozenset(holidays), frozenset(workdays)
    if not hol:
        raise HolidayCalendarError("missing_holidays", "List the days off.", "holidays")
    for field_name, days in (("holidays", hol), ("workdays", work)):
        if any(d.year != year for d in days):
            raise HolidayCalendarError(
                "wrong_year", "Every date must fall in the calendar's year.", field_name
            )
    if hol & work:
        raise HolidayCalendarError(
            "conflict", "A day cannot be both a day off and a working day.", "workdays"
        )
    if any(d.weekday() < 5 for d in work):
        raise HolidayCalendarError(
            "not_weekend", "Make-up working days are Saturdays or Sundays.", "workdays"
        )
    return HolidayCalendar(year, hol, work, source)


def affected_span(year: int) -> tuple[date, date]:
    """The dates whose computation can depend on ``year``'s days off: the year itself and
    January of the next (a last day on 31 December that is a day off moves into January).
    A duty with a due date or window start in this span may move when the year's
    arrangement changes."""
    return date(year, 1, 1), date(year + 1, 1, 31)


def calendars_of(items: Iterable[HolidayCalendar]) -> Calendars:
    """A read-only year → calendar mapping (the last calendar of a year wins)."""
    return MappingProxyType({c.year: c for c in items})


# --- fallback holiday tables (years chinese_calendar does not know) -------------------
# 正月初一 (Spring Festival), 五月初五 (端午) and 八月十五 (中秋), Gregorian dates.
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


@lru_cache(maxsize=256)
def fallback_holidays(year: int) -> frozenset[date]:
    """Statutory holidays of 《全国年节及纪念日放假办法》 (2025) for ``year``, without 调休."""
    days: set[date] = {date(year, 1, 1), date(year, 5, 1), date(year, 5, 2)}
    days |= {date(year, 10, 1), date(year, 10, 2), date(year, 10, 3)}
    if 2000 <= year <= 2099:
        days.add(_qingming(year))
    sf = SPRING_FESTIVAL.get(year)
    if sf is not None:
        days |= {sf - ONE_DAY, sf, sf + ONE_DAY, sf + 2 * ONE_DAY}
    for table in (DRAGON_BOAT, MID_AUTUMN):
        if year in table:
            days.add(table[year])
    return frozenset(days)


@dataclass(frozen=True)
class DayOff:
    """Answer of :func:`is_day_off`: whether ``d`` is a day off, and whether that is a guess."""

    off: bool
    provisional: bool

    def __bool__(self) -> bool:  # lets callers write ``if is_day_off(d):``
        return self.off


@lru_cache(maxsize=16384)
def _statutory_default(d: date) -> DayOff:
    try:
        on_holiday, name = chinese_calendar.get_holiday_detail(d)
    except NotImplementedError:
        return DayOff(d in fallback_holidays(d.year), True)
    return DayOff(bool(on_holiday and name is not None), False)


@lru_cache(maxsize=16384)
def _day_off_default(d: date) -> DayOff:
    try:
        return DayOff(bool(chinese_calendar.is_holiday(d)), False)
    except NotImplementedError:
        return DayOff(d.weekday() >= 5 or d in fallback_holidays(d.year), True)


def is_statutory_holiday(d: date, calendars: Calendars = NO_CALENDARS) -> DayOff:
    """Whether ``d`` is part of a holiday (not a plain weekend)."""
    cal = calendars.get(d.year)
    if cal is not None:
        return DayOff(d in cal.holidays, False)
    return _statutory_default(d)


def is_day_off(d: date, calendars: Calendars = NO_CALENDARS) -> DayOff:
    """Whether ``d`` is a day off (weekend or holiday, honouring 调休 where known)."""
    cal = calendars.get(d.year)
    if cal is not None:
        return DayOff(cal.is_day_off(d), False)
    return _day_off_default(d)


class CalendarOrigin(StrEnum):
    PUBLISHED = "published"
    PACKAGE = "package"
    FALLBACK = "fallback"


@dataclass(frozen=True)
class CalendarInForce:
    """What decides the days off of a year, and where it comes from."""

    calendar: HolidayCalendar
    origin: CalendarOrigin

    @property
    def provisional(self) -> bool:
        return self.origin is CalendarOrigin.FALLBACK


PACKAGE_SOURCE = "chinese-calendar package (国务院办公厅节假日安排通知)"
FALLBACK_SOURCE = "《全国年节及纪念日放假办法》(2025) without 调休: provisional"


def calendar_in_force(year: int, calendars: Calendars = NO_CALENDARS) -> CalendarInForce:
    """The arrangement that decides ``year``'s days off: published, package or fallback."""
    cal = calendars.get(year)
    if cal is not None:
        return CalendarInForce(cal, CalendarOrigin.PUBLISHED)
    try:
        chinese_calendar.is_holiday(date(year, 6, 1))
    except NotImplementedError:
        return CalendarInForce(
            HolidayCalendar(year, fallback_holidays(year), frozenset(), FALLBACK_SOURCE),
            CalendarOrigin.FALLBACK,
        )
    hol = frozenset(d for d, name in chinese_calendar.holidays.items() if d.year == year and name)
    work = frozenset(d for d in chinese_calendar.workdays if d.year == year)
    return CalendarInForce(HolidayCalendar(year, hol, work, PACKAGE_SOURCE), CalendarOrigin.PACKAGE)
