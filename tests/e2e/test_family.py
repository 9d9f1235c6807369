"""Acting for a parent in a real browser: invite, accept, mandate, view as (elder mode), the
parent's ID-card reminder, revocation taking effect at once, the parent's access log."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.e2e.helpers import new_email, sign_up

pytestmark = pytest.mark.e2e
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def _axe(page, name: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, f"{name}: {results.generate_report()}"


def _profile(page, name: str, birth: str, id_card_issued: str | None = None) -> None:
    page.goto("/settings/profile")
    page.fill("#f-full_name", name)
    page.fill("#f-birth_date", birth)
    page.select_option("#f-gender", "male")
    page.fill("#f-region_code", "440106")
    if id_card_issued:
        page.fill("[name='id_card.issued_on']", id_card_issued)
    page.locator("main form button[type=submit]").click()


def test_citizen_acts_for_a_parent(new_page, screenshots):
    from webapp.core.clock import local_today

    today = local_today()
    # Issued at 31, so valid 20 years (《居民身份证法》第五条): it expires in 40 days.
    expires = today + timedelta(days=40)
    issued = expires.replace(year=expires.year - 20)
    parent_birth = issued.replace(year=issued.year - 31).isoformat()

    parent = new_page()
    sign_up(parent, new_email("parent"))
    _profile(parent, "张父", parent_birth, issued.isoformat())

    son = new_page()
    sign_up(son, new_email("son"))
    _profile(son, "李明", "1990-03-15")
    son.goto("/settings/household")
    son.select_option("#f-relation", "parent")
    son.fill("#f-name", "张父")
    son.fill("#f-birth_date", parent_birth)
    son.locator("main form:not(.inline) button[type=submit]").last.click()

    # The son invites his father; until he accepts, the entry is not confirmed by him.
    son.goto("/family/")
    assert "未经本人确认" in son.locator("main").inner_text()
    son.locator("button[data-testid^=invite-]").first.click()
    link = son.locator("[data-testid=invitation-link]").inner_text().strip()
    _axe(son, "family-invited")

    # The father accepts and grants "view + receive reminders", in elder mode.
    parent.goto(link)
    _axe(parent, "family-accept")
    parent.locator("[data-testid=accept-invitation]").click()
    assert "/family/" in parent.url
    form = parent.locator("[data-testid=grant-form]")
    form.locator("input[name=scopes][value=view]").check()
    form.locator("input[name=scopes][value=reminders]").check()
    form.locator("input[name=elder_mode]").check()
    form.locator("button[type=submit]").click()
    assert parent.locator("[data-testid^=granted-]").count() == 1

    # The son sees his father's page in elder mode, and his ID-card reminder.
    son.goto("/family/")
    son.locator("a[data-testid^=act-as-]").click()
    assert "theme-elder" in (son.locator("body").get_attribute("class") or "")
    banner = son.locator("[data-testid=acting-as]").inner_text()
    assert "张父" in banner and "李明" in banner
    son.screenshot(path=str(screenshots / "family-view-as-elder.png"), full_page=True)
    _axe(son, "family-view-as-elder")
    view_url = son.url
    son.goto("/family/")
    reminders = son.locator("[data-testid^=family-reminder-]")
    assert reminders.count() >= 1
    assert "身份证" in son.locator("#h-reminders + ul").inner_text()
    _axe(son, "family-with-mandate")

    # The father revokes: the son loses the page and the reminder at once.
    parent.goto("/family/")
    parent.locator("button[data-testid^=revoke-]").click()
    response = son.goto(view_url)
    assert response.status == 404
    son.goto("/family/")
    assert son.locator("[data-testid^=family-reminder-]").count() == 0

    # The father's access log shows the one view.
    parent.goto("/privacy/access-log")
    rows = parent.locator("main table tbody tr")
    assert rows.count() == 1
    assert "李明" in rows.first.inner_text()
