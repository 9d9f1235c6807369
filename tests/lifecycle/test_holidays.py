"""Published holiday calendars win over the calendar package and the provisional fallback."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from pathlib import Path

import pytest

from lifecycle.catalog import CatalogError, load_holiday_calendars
from lifecycle.dates import tax_deadline
from lifecycle.holidays import (
    CalendarOrigin,
    HolidayCalendarError,
    calendar_in_force,
    calendars_of,
    is_day_off,
    make_calendar,
)
from lifecycle.params import DEFAULT_PARAMS
from lifecycle.rules import enterprise_duties
from lifecycle.subjects import Enterprise

TEST_SOURCE = "test arrangement for 2027 (not an official notice)"


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def calendar_2027():
    """A 2027 arrangement in the State Council's usual shape (for tests only)."""
    holidays = (
        _days(date(2027, 1, 1), date(2027, 1, 3))
        + _days(date(2027, 2, 5), date(2027, 2, 12))
        + _days(date(2027, 4, 3), date(2027, 4, 5))
        + _days(date(2027, 5, 1), date(2027, 5, 5))
        + _days(date(2027, 6, 9), date(2027, 6, 11))
        + _days(date(2027, 9, 15), date(2027, 9, 17))
        + _days(date(2027, 10, 1), date(2027, 10, 7))
    )
    workdays = [date(2027, 2, 20), date(2027, 4, 25), date(2027, 9, 26), date(2027, 10, 9)]
    return make_calendar(2027, holidays, workdays, TEST_SOURCE)


def test_published_calendar_wins_and_is_not_provisional():
    cals = calendars_of([calendar_2027()])
    assert is_day_off(date(2027, 10, 6)).provisional  # fallback: not a holiday, a Wednesday
    assert not is_day_off(date(2027, 10, 6))
    published = is_day_off(date(2027, 10, 6), cals)
    assert published.off and not published.provisional
    assert not is_day_off(date(2027, 10, 9), cals)  # make-up working Saturday


def test_2027_vat_deadline_moves_and_loses_provisional():
    """实施细则第一百零九条: 1–7 October (7 days) pushes the 15th by 7 working days."""
    fallback = tax_deadline(2027, 10)
    assert fallback.provisional and fallback.date == date(2027, 10, 20)
    published = tax_deadline(2027, 10, calendars=calendars_of([calendar_2027()]))
    assert published.date == date(2027, 10, 26) and not published.provisional


def test_enterprise_duties_use_params_calendars():
    ent = Enterprise("enterprise:1", "91350200MA2Y0L7Q8X", "某公司", date(2020, 5, 1))
    today = date(2026, 11, 30)
    params = dataclasses.replace(DEFAULT_PARAMS, holiday_calendars=calendars_of([calendar_2027()]))
    before = {d.occurrence: d for d in enterprise_duties(ent, today) if d.rule == "vat_declaration"}
    after = {
        d.occurrence: d
        for d in enterprise_duties(ent, today, params)
        if d.rule == "vat_declaration"
    }
    assert before["2027-01"].provisional and not after["2027-01"].provisional
    assert before["2027-01"].due_date != after["2027-01"].due_date  # Spring Festival 5–12 Feb
    assert not any(d.provisional for k, d in after.items() if k.startswith("2027"))


def test_calendar_in_force_names_its_origin():
    cals = calendars_of([calendar_2027()])
    assert calendar_in_force(2025).origin is CalendarOrigin.PACKAGE
    assert date(2025, 9, 28) in calendar_in_force(2025).calendar.workdays
    fallback = calendar_in_force(2030)
    assert fallback.origin is CalendarOrigin.FALLBACK and fallback.provisional
    assert date(2030, 10, 1) in fallback.calendar.holidays
    published = calendar_in_force(2027, cals)
    assert published.origin is CalendarOrigin.PUBLISHED and published.calendar.source == TEST_SOURCE


@pytest.mark.parametrize(
    ("holidays", "workdays", "source", "field"),
    [
        ([date(2027, 1, 1)], [], "", "source"),
        ([], [], "notice", "holidays"),
        ([date(2028, 1, 1)], [], "notice", "holidays"),
        ([date(2027, 1, 2)], [date(2027, 1, 2)], "notice", "workdays"),
        ([date(2027, 1, 1)], [date(2027, 1, 4)], "notice", "workdays"),  # a Monday
    ],
)
def test_make_calendar_refuses_impossible_calendars(holidays, workdays, source, field):
    with pytest.raises(HolidayCalendarError) as exc:
        make_calendar(2027, holidays, workdays, source)
    assert exc.value.field == field


def test_packaged_2026_file_matches_the_package():
    """国办发明电〔2025〕7号 as data gives the same days off as the calendar package."""
    [cal] = [c for c in load_holiday_calendars() if c.year == 2026]
    assert "国办发明电〔2025〕7号" in cal.source
    package = calendar_in_force(2026).calendar
    assert cal.holidays == package.holidays and cal.workdays == package.workdays


def test_holiday_file_errors_name_the_file(tmp_path: Path):
    (tmp_path / "holidays").mkdir()
    (tmp_path / "holidays" / "2027.yaml").write_text(
        "year: 2027\nsource: x\nholidays: [2027-01-01]\nworkdays: [2027-01-04]\n"
    )
    with pytest.raises(CatalogError, match="holidays/2027.yaml"):
        load_holiday_calendars(tmp_path)
    (tmp_path / "holidays" / "2027.yaml").write_text("year: 2028\nsource: x\nholidays: []\n")
    with pytest.raises(CatalogError, match="2028.yaml"):
        load_holiday_calendars(tmp_path)


def test_affected_span_covers_postponement_into_january():
    """《民法典》第二百零三条: a last day of 31 December that is a day off moves into January."""
    from lifecycle.dates import postpone_civil
    from lifecycle.holidays import affected_span

    start, end = affected_span(2027)
    assert start == date(2027, 1, 1) and end == date(2028, 1, 31)
    moved, _ = postpone_civil(date(2028, 12, 31))  # a Sunday
    assert affected_span(2028)[0] <= moved <= affected_span(2028)[1]
