"""The duties page in a real browser: one accessible list by due date, a person filter."""

from __future__ import annotations

import re

import pytest

from tests.e2e.helpers import log_in
from tests.e2e.test_accessibility import _check

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_duties_one_list_by_due_date_with_a_person_filter(new_page, screenshots, javascript):
    from webapp.demo import DEMO_PASSWORD

    page = new_page(javascript=javascript)
    log_in(page, "citizen@lifepage.test", DEMO_PASSWORD)
    page.goto("/me/duties/?status=all&period=all")
    if javascript:  # axe runs in the page
        _check(page, "duties-list", screenshots)
    dates = [t.get_attribute("datetime") for t in page.locator("ol.duty-list time").all()]
    assert len(dates) > 2 and dates == sorted(dates)
    people = page.locator("nav.duty-filters a[href*='who=']")
    assert people.count() >= 2  # the citizen and their child
    person = people.nth(1)
    name = person.inner_text()
    person.click()
    assert re.search(r"who=(self|household)-\d+", page.url)
    whose = page.locator("p.whose").all_inner_texts()
    assert whose and all(name in w for w in whose)
