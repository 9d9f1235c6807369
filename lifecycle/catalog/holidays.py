"""Published holiday calendars as catalog data: ``holidays/<year>.yaml`` under the data dir.

Each file holds one year's arrangement from the State Council's notice::

    year: 2026
    source: 国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）
    holidays: [2026-01-01, ...]   # every day off of each holiday
    workdays: [2026-01-04, ...]   # weekend days that are working days (调休)

Add a file when the notice for a year is published (usually in November of the year
before); until then that year's deadlines stay provisional.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from lifecycle.catalog.loader import DATA_DIR, CatalogError
from lifecycle.holidays import HolidayCalendar, HolidayCalendarError, make_calendar

__all__ = ["HOLIDAYS_DIR", "load_holiday_calendars", "parse_holiday_calendar"]

HOLIDAYS_DIR = "holidays"
_FIELDS = {"year", "source", "holidays", "workdays"}


def _dates(file: str, raw: object, field: str) -> list[date]:
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(
        isinstance(d, date) and not hasattr(d, "hour") for d in raw
    ):
        raise CatalogError(file, field, "must be a list of dates (YYYY-MM-DD)")
    return list(raw)


def parse_holiday_calendar(file: str, data: object) -> HolidayCalendar:
    """Check one file's parsed YAML and build the calendar (raises :class:`CatalogError`)."""
    if not isinstance(data, dict):
        raise CatalogError(file, None, "must be a mapping with year, source, holidays, workdays")
    unknown = sorted(set(data) - _FIELDS)
    if unknown:
        raise CatalogError(file, None, "unknown fields: " + ", ".join(map(str, unknown)))
    year = data.get("year")
    if not isinstance(year, int) or isinstance(year, bool):
        raise CatalogError(file, "year", "must be a year, e.g. 2027")
    if Path(file).stem != str(year):
        raise CatalogError(file, "year", f"the file for {year} must be named {year}.yaml")
    try:
        return make_calendar(
            year,
            _dates(file, data.get("holidays"), "holidays"),
            _dates(file, data.get("workdays"), "workdays"),
            str(data.get("source") or ""),
        )
    except HolidayCalendarError as exc:
        raise CatalogError(file, exc.field, exc.message) from exc


def load_holiday_calendars(path: Path | str | None = None) -> tuple[HolidayCalendar, ...]:
    """Every ``holidays/<year>.yaml`` under ``path`` (default :data:`DATA_DIR`), by year."""
    root = (Path(path) if path is not None else DATA_DIR) / HOLIDAYS_DIR
    calendars = []
    for file in sorted(root.glob("*.yaml")) if root.is_dir() else ():
        relative = f"{HOLIDAYS_DIR}/{file.name}"
        try:
            data = yaml.safe_load(file.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise CatalogError(relative, None, f"not valid YAML: {exc}") from exc
        calendars.append(parse_holiday_calendar(relative, data))
    return tuple(calendars)
