"""The admin console in a real browser with JavaScript off: the rule flow as the demo
admin, and axe-core on every console page."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import log_in

pytestmark = pytest.mark.e2e

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
PAGES = {
    "admin-index": "/admin/",
    "admin-rules": "/admin/rules",
    "admin-rule-new": "/admin/rules/new",
    "admin-sandbox": "/admin/rules/sandbox",
    "admin-catalog": "/admin/catalog",
    "admin-service": "/admin/catalog/services/birth_service_registration",
    "admin-bundle": "/admin/catalog/bundles/bundle_newborn",
    "admin-parameters": "/admin/parameters",
    "admin-holidays": "/admin/holidays?year=2027",
    "admin-models": "/admin/models",
    "admin-dashboards": "/admin/dashboards",
    "admin-audit": "/admin/audit",
    "admin-citizens": "/admin/citizens?email=citizen@lifepage.test",
    "admin-enterprise-claims": "/admin/enterprise-claims",
}


def _admin(new_page, javascript: bool = True):
    from webapp.demo import DEMO_PASSWORD

    page = new_page(javascript=javascript)
    log_in(page, "admin@lifepage.test", DEMO_PASSWORD)
    return page


def test_console_pages_pass_axe(new_page, screenshots):
    from axe_playwright_python.sync_playwright import Axe

    page = _admin(new_page)
    for name, path in PAGES.items():
        assert page.goto(path).status == 200, path
        page.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)
        results = Axe().run(page, options=WCAG)
        assert results.violations_count == 0, f"{name}: {results.generate_report()}"


def test_rule_flow_without_javascript(new_page, screenshots):
    page = _admin(new_page, javascript=False)
    page.goto("/admin/rules")
    page.locator("form[action$='/admin/rules/publish'] button[type=submit]").click()
    assert "1" in page.locator("main").inner_text()

    page.goto("/admin/rules/new")
    page.fill("#f-name", "新生儿家庭优先生育登记")
    page.select_option("#f-action", "boost")
    page.fill("#f-weight", "5")
    page.fill("#f-targets-services", "birth_service_registration")
    page.fill("#f-segment-child_age_max", "0")
    page.locator("main form button[type=submit]").click()
    assert "新生儿家庭优先生育登记" in page.locator("main").inner_text()

    page.goto("/admin/rules/sandbox")
    page.fill("#f-email", "citizen@lifepage.test")
    page.fill("#f-purpose", "Checking the new rule for a citizen's complaint")
    page.fill("#f-sample_size", "3")
    page.locator("main form button[type=submit]").click()
    text = page.locator("main").inner_text()
    assert page.locator("#reach-h").count() == 1 and "citizen@lifepage.test" not in text
    page.screenshot(path=str(screenshots / "admin-sandbox-result.png"), full_page=True)

    page.goto("/admin/rules")
    page.locator("form[action$='/admin/rules/publish'] button[type=submit]").click()
    page.goto("/admin/rules")
    page.locator("form[action$='/admin/rules/rollback'] button[type=submit]").first.click()
    page.goto("/admin/audit")
    log = page.locator("main").inner_text()
    for action in (
        "rule.create",
        "rules.publish",
        "rules.rollback",
        "citizen.view_recommendations",
    ):
        assert action in log


def test_publish_a_holiday_calendar_without_javascript(new_page, screenshots):
    """The admin enters a year's arrangement in the browser; it is then in force."""
    page = _admin(new_page, javascript=False)
    page.goto("/admin/holidays?year=2030")
    assert "2030" in page.locator("main").inner_text()
    page.fill("#f-source", "国务院办公厅关于2030年部分节假日安排的通知（测试数据）")
    page.fill("#f-holidays", "2030-01-01\n2030-10-01..2030-10-07")
    page.fill("#f-workdays", "2030-09-29, 2030-10-12")
    with page.expect_navigation():
        page.locator("form[action$='/admin/holidays/2030'] button[type=submit]").click()
    page.screenshot(path=str(screenshots / "admin-holidays-published.png"), full_page=True)
    text = page.locator("main").inner_text()
    assert "2030-10-07" in text and "测试数据" in text
