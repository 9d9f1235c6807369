"""axe-core in real Chromium: no WCAG 2.1 A/AA violation on the main pages, in each theme."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import log_in

pytestmark = pytest.mark.e2e

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def _check(page, name: str, screenshots) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)
    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, f"{name}: {results.generate_report()}"


PUBLIC = {
    "home": "/",
    "signup": "/signup",
    "login": "/login",
    "search": "/services/?q=护照",
    "search-empty": "/services/?q=zzzzqqq",
    "service": "/services/passport_renewal",
    "bundle": "/services/bundles/bundle_newborn",
    "forgot-password": "/password/forgot",
    "reset-password": "/password/reset/not-a-token",
}


@pytest.mark.parametrize("name", list(PUBLIC))
def test_public_pages(new_page, screenshots, name):
    page = new_page()
    assert page.goto(PUBLIC[name]).status == 200
    _check(page, name, screenshots)


@pytest.mark.parametrize("theme", ["standard", "elder", "dark"])
@pytest.mark.parametrize("language", ["zh_Hans", "zh_Hant", "en"])
def test_personal_page_in_each_theme(new_page, screenshots, theme, language):
    from webapp.demo import DEMO_PASSWORD

    page = new_page()
    log_in(page, "citizen@lifepage.test", DEMO_PASSWORD)
    page.goto("/me/customise")
    page.check(f"input[name=theme][value={theme}]")
    with page.expect_navigation():
        page.locator("form[action$='/me/theme'] button[type=submit]").click()
    with page.expect_navigation():
        page.locator(f".lang-switch button[value={language}]").click()
    page.goto("/me/")
    _check(page, f"me-{theme}-{language}", screenshots)
    if theme == "standard" and language == "zh_Hans":
        for path, name in (
            ("/me/customise", "customise"),
            ("/settings/", "settings"),
            ("/services/passport_renewal", "service-signed-in"),
            ("/services/?q=身份证", "search-signed-in"),
            ("/entitlements", "entitlements"),
            ("/entitlements/facts", "questionnaire"),
            ("/privacy/why/iit_special_deduction", "why"),
        ):
            page.goto(path)
            _check(page, name, screenshots)


def test_enterprise_page(new_page, screenshots):
    from webapp.demo import DEMO_PASSWORD

    page = new_page()
    log_in(page, "business@lifepage.test", DEMO_PASSWORD)
    page.goto("/enterprises/")
    _check(page, "enterprise-page", screenshots)


def test_enterprise_identity_and_token_pages(new_page, screenshots):
    """Members and invitations (with a fresh code shown), claims, accepting, API tokens."""
    from webapp.demo import DEMO_PASSWORD

    page = new_page()
    log_in(page, "business@lifepage.test", DEMO_PASSWORD)
    page.goto("/enterprises/")
    page.locator("a[href$='/members']").first.click()
    with page.expect_navigation():
        page.locator("form[action$='/invitations'] button[type=submit]").click()
    assert page.locator("main code").count() >= 1
    _check(page, "enterprise-members", screenshots)
    for path, name in (
        ("/settings/enterprises", "settings-enterprises"),
        ("/enterprises/invitations/accept", "invitation-accept"),
        ("/settings/tokens", "settings-tokens"),
    ):
        page.goto(path)
        _check(page, name, screenshots)


def test_personal_page_is_light(new_page, live_server):
    """HTML + CSS + JavaScript of the personal page together under 100 KB."""
    from webapp.demo import DEMO_PASSWORD

    page = new_page()
    sizes: dict[str, int] = {}

    def on_response(response):
        if response.request.resource_type in ("document", "stylesheet", "script"):
            try:
                sizes[response.url] = len(response.body())
            except Exception:  # redirects have no body
                sizes[response.url] = 0

    log_in(page, "citizen@lifepage.test", DEMO_PASSWORD)
    page.on("response", on_response)
    page.goto("/me/")
    page.wait_for_load_state("networkidle")
    assert sum(sizes.values()) < 100 * 1024, sizes


def test_household_member_page_with_the_death_form(new_page, screenshots):
    """The member page, with the form that records a death, passes axe."""
    from webapp.demo import DEMO_PASSWORD

    page = new_page()
    log_in(page, "citizen@lifepage.test", DEMO_PASSWORD)
    page.goto("/settings/household")
    _check(page, "household", screenshots)
    page.locator("main table a[href*='/settings/household/']").first.click()
    page.wait_for_load_state()
    assert page.locator("form[action$='/death']").count() == 1
    _check(page, "household-member", screenshots)
