"""Local and adjustable parameters of the duty rules, as data (admins change them)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from lifecycle.holidays import NO_CALENDARS, Calendars

__all__ = ["PermitLead", "LocalParams", "DEFAULT_PARAMS", "MonthDayWindow", "lookup_prefix"]

# ((start_month, start_day), (end_month, end_day)) within one year.
MonthDayWindow = tuple[tuple[int, int], tuple[int, int]]


@dataclass(frozen=True)
class PermitLead:
    """When a permit's renewal may be applied for, counted back from its expiry."""

    opens_before: int  # the window opens this many days before expiry
    due_before: int  # the application is due this many days before expiry
    working_days: bool = False  # count in working days rather than calendar days
    legal_basis: str = ""


def _ro(d: Mapping) -> Mapping:
    return MappingProxyType(dict(d))


DEFAULT_PERMIT_LEADS: Mapping[str, PermitLead] = _ro(
    {
        # 《食品经营许可和备案管理办法》(2023) 第三十二条: apply between 90 and 15 working
        # days before the licence expires. (The 2015 measures said "30 working days
        # before"; verify against the current text and adjust here.)
        "food_business_license": PermitLead(
            90, 15, True, "《食品经营许可和备案管理办法》第三十二条"
        ),
        # Any other permit kind: a cautious default of 90–30 calendar days.
        "": PermitLead(90, 30, False, "相关行政许可规定（有效期届满前申请延续）"),
    }
)

# Declaration deadlines entered by hand where the published calendar differs from
# lifecycle.dates.tax_deadline. None is needed for 2025 and 2026: the formula gives every
# month of 税总办征科函〔2024〕71号 and 税总办征科函〔2025〕64号 (2026-02-24 included).
NO_TAX_OVERRIDES: Mapping[tuple[int, int], date] = _ro({})


@dataclass(frozen=True)
class LocalParams:
    # Registration windows for school entry, by GB/T 2260 region-code prefix; the longest
    # matching prefix wins; "" is the national default. *local*
    primary_school_windows: Mapping[str, MonthDayWindow] = field(
        default_factory=lambda: _ro({"": ((5, 1), (6, 30))})
    )
    junior_school_windows: Mapping[str, MonthDayWindow] = field(
        default_factory=lambda: _ro({"": ((5, 1), (6, 30))})
    )
    # Years from primary entry to junior middle school entry (6 in most provinces;
    # 5 where 五四制 applies). *local*
    junior_entry_offset: Mapping[str, int] = field(default_factory=lambda: _ro({"": 6}))
    # Urban-rural resident medical insurance payment window for the next year's cover,
    # by province prefix. *local*
    medical_insurance_windows: Mapping[str, MonthDayWindow] = field(
        default_factory=lambda: _ro({"": ((9, 1), (12, 31))})
    )
    tax_overrides: Mapping[tuple[int, int], date] = field(default_factory=lambda: NO_TAX_OVERRIDES)
    # Holiday arrangements published by the State Council and entered by an admin, by
    # year; they win over the calendar package and the provisional fallback.
    holiday_calendars: Calendars = field(default_factory=lambda: NO_CALENDARS)
    permit_leads: Mapping[str, PermitLead] = field(default_factory=lambda: DEFAULT_PERMIT_LEADS)
    # "2021": 国家免疫规划疫苗儿童免疫程序表（2021年版）; "2025": the same with the
    # DTaP change in force from 1 January 2025 (2/4/6/18 months and 6 years, no DT).
    immunization_edition: str = "2025"
    horizon_months: int = 13
    # One-off duties whose due date is more than this many days before today are dropped,
    # unless their rule keeps them open while the obligation stands (ID card renewal).
    history_days: int = 366


def lookup_prefix(table: Mapping[str, object], region_code: str | None):
    """The value for the longest key that prefixes ``region_code`` ("" always matches)."""
    code = region_code or ""
    best = None
    for prefix in table:
        if code.startswith(prefix) and (best is None or len(prefix) > len(best)):
            best = prefix
    if best is None:
        raise KeyError("no national default ('') in the table")
    return table[best]


DEFAULT_PARAMS = LocalParams()
