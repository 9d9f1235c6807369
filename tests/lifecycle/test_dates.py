from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lifecycle.dates import (
    add_months,
    add_years,
    age_on,
    is_day_off,
    period_end,
    postpone_civil,
    tax_deadline,
)

dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@pytest.mark.parametrize(
    ("d", "n", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
        (date(2025, 1, 15), -13, date(2023, 12, 15)),
    ],
)
def test_add_months(d, n, expected):
    assert add_months(d, n) == expected


def test_leap_day_years():
    assert add_years(date(2000, 2, 29), 1) == date(2001, 2, 28)
    assert add_years(date(2000, 2, 29), 4) == date(2004, 2, 29)
    assert period_end(date(2024, 2, 29), years=1) == date(2025, 2, 28)
    assert period_end(date(2025, 1, 31), months=1) == date(2025, 2, 28)


@given(dates, st.integers(min_value=-600, max_value=600))
def test_add_months_properties(d, n):
    r = add_months(d, n)
    assert (r.year * 12 + r.month) - (d.year * 12 + d.month) == n
    assert r.day == d.day or (r.day < d.day and (r + timedelta(days=1)).day == 1)


@given(dates, st.integers(min_value=0, max_value=100))
def test_age_on_anniversary(d, n):
    anniversary = add_years(d, n)
    assert age_on(d, anniversary) == n
    if n > 0:
        assert age_on(d, anniversary - timedelta(days=1)) == n - 1


@given(st.dates(min_value=date(2004, 1, 1), max_value=date(2040, 12, 1)))
def test_postpone_civil_lands_on_working_day(d):
    r, _ = postpone_civil(d)
    assert r >= d and not is_day_off(r)
    assert all(is_day_off(x) for x in (d + timedelta(days=i) for i in range((r - d).days)))


def test_is_day_off_known_and_provisional():
    assert is_day_off(date(2025, 10, 1)) and not is_day_off(date(2025, 10, 1)).provisional
    assert not is_day_off(date(2025, 9, 28))  # 调休 working Sunday
    fallback = is_day_off(date(2030, 10, 2))
    assert fallback.off and fallback.provisional
    assert not is_day_off(date(2030, 10, 8)) and is_day_off(date(2030, 10, 8)).provisional
    assert is_day_off(date(2027, 2, 5))  # 除夕 2027 (provisional table)


@pytest.mark.parametrize(
    ("ym", "expected"),
    [
        ((2025, 1), date(2025, 1, 15)),
        ((2025, 2), date(2025, 2, 20)),  # Spring Festival days in February: 4
        ((2025, 4), date(2025, 4, 18)),  # Qingming 4–6 April
        ((2025, 5), date(2025, 5, 22)),  # Labour Day 1–5 May
        ((2025, 6), date(2025, 6, 16)),  # 15 June is a Sunday; only 2 holiday days in June
        ((2025, 10), date(2025, 10, 27)),  # National Day + Mid-Autumn 1–8 Oct, as published
        ((2026, 1), date(2026, 1, 20)),
    ],
)
def test_tax_deadline_matches_published(ym, expected):
    dl = tax_deadline(*ym)
    assert dl.date == expected and not dl.provisional and not dl.overridden


def test_tax_deadline_spring_festival_inside_deadline_needs_override():
    computed = tax_deadline(2026, 2)
    assert computed.date == date(2026, 2, 24)  # first working day after 15–23 Feb
    published = tax_deadline(2026, 2, overrides={(2026, 2): date(2026, 2, 26)})
    assert published.date == date(2026, 2, 26) and published.overridden


def test_override_wins_even_for_unknown_year():
    dl = tax_deadline(2030, 10, overrides={(2030, 10): date(2030, 10, 25)})
    assert dl == type(dl)(date(2030, 10, 25), False, True)


def test_unknown_year_is_provisional():
    dl = tax_deadline(2030, 10)
    assert dl.provisional and not dl.overridden
    # 1–3 Oct 2030 (Tue–Thu) holiday: 3 days → 3 working days after Tue 15 Oct.
    assert dl.date == date(2030, 10, 18)
    assert tax_deadline(2030, 3).date == date(2030, 3, 15)
