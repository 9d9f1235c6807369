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
from lifecycle.params import DEFAULT_PARAMS

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


# The State Taxation Administration's declaration calendars (实行每月或者每季度期满后15日内
# 申报纳税的各税种), as published:
# - 2025: 《国家税务总局办公厅关于明确2025年度申报纳税期限的通知》税总办征科函〔2024〕71号,
#   as reprinted in 国家税务总局广东省税务局《2025年征期日历》 (cjtax.cn/a/202501/15wujby1fnit4.shtml).
# - 2026: 《国家税务总局办公厅关于明确2026年度申报纳税期限的通知》税总办征科函〔2025〕64号
#   (reported by 中新网, 2025-12-12: gxkgg.com/cj/2025/12-12/10532404.shtml).
PUBLISHED_CALENDAR = {
    2025: {
        1: date(2025, 1, 15),
        2: date(2025, 2, 20),  # 2月1日至4日放假4天
        3: date(2025, 3, 17),  # 3月15日为星期六
        4: date(2025, 4, 18),  # 4月4日至6日放假3天
        5: date(2025, 5, 22),  # 5月1日至5日放假5天
        6: date(2025, 6, 16),  # 6月15日为星期日
        7: date(2025, 7, 15),
        8: date(2025, 8, 15),
        9: date(2025, 9, 15),
        10: date(2025, 10, 27),  # 10月1日至8日放假8天
        11: date(2025, 11, 17),  # 11月15日为星期六
        12: date(2025, 12, 15),
    },
    2026: {
        1: date(2026, 1, 20),  # 1月1日至3日放假3天
        2: date(2026, 2, 24),  # 2月15日至23日放假9天
        3: date(2026, 3, 16),  # 3月15日为星期日
        4: date(2026, 4, 20),  # 4月4日至6日放假3天
        5: date(2026, 5, 22),  # 5月1日至5日放假5天
        6: date(2026, 6, 15),
        7: date(2026, 7, 15),
        8: date(2026, 8, 17),  # 8月15日为星期六
        9: date(2026, 9, 15),
        10: date(2026, 10, 26),  # 10月1日至7日放假7天
        11: date(2026, 11, 16),  # 11月15日为星期日
        12: date(2026, 12, 15),
    },
}


@pytest.mark.parametrize("year", [2025, 2026])
@pytest.mark.parametrize("month", range(1, 13))
def test_tax_deadline_reproduces_published_calendar(year, month):
    """实施细则第一百零九条 as applied in 税总办征科函〔2024〕71号 (2025) and
    税总办征科函〔2025〕64号 (2026): the formula alone gives every month, without overrides."""
    dl = tax_deadline(year, month)
    assert dl.date == PUBLISHED_CALENDAR[year][month]
    assert not dl.provisional and not dl.overridden


def test_february_2026_is_the_24th_without_override():
    """税总办征科函〔2025〕64号 第三项: 2月15日至23日放假9天，申报纳税期限顺延至2月24日."""
    assert DEFAULT_PARAMS.tax_overrides == {}
    assert tax_deadline(2026, 2, overrides=DEFAULT_PARAMS.tax_overrides).date == date(2026, 2, 24)


def test_override_wins_even_for_unknown_year():
    dl = tax_deadline(2030, 10, overrides={(2030, 10): date(2030, 10, 25)})
    assert dl == type(dl)(date(2030, 10, 25), False, True)


def test_unknown_year_is_provisional():
    dl = tax_deadline(2030, 10)
    assert dl.provisional and not dl.overridden
    # 1–3 Oct 2030 (Tue–Thu) holiday: 3 days → 3 working days after Tue 15 Oct.
    assert dl.date == date(2030, 10, 18)
    assert tax_deadline(2030, 3).date == date(2030, 3, 15)
