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
    "admin-models": "/admin/models",
    "admin-dashboards": "/admin/dashboards",
    "admin-audit": "/admin/audit",
    "admin-citizens": "/admin/citizens?email=citizen@lifepage.test",
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
