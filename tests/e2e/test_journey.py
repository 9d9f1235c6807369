"""A new citizen's journey in a real browser, with JavaScript on and with it off."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.e2e.helpers import log_in, log_out, new_email, sign_up

pytestmark = pytest.mark.e2e


def _widget_order(page) -> list[str]:
    return [el.get_attribute("id") for el in page.locator("section.widget").all()]


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_citizen_journey(new_page, screenshots, javascript):
    from webapp.core.clock import local_today

    page = new_page(javascript=javascript)
    email = new_email("journey")

    # Sign up and fill the profile.
    sign_up(page, email)
    assert "/settings/profile" in page.url
    page.fill("#f-full_name", "张伟")
    page.fill("#f-birth_date", "1990-03-15")
    page.select_option("#f-gender", "male")
    page.fill("#f-region_code", "440106")
    page.select_option("#f-employment", "employed")
    page.locator("main form button[type=submit]").click()
    assert page.locator(".alert").first.is_visible()

    # Add a newborn child: duties (birth registration) and recommendations follow.
    page.goto("/settings/household")
    page.select_option("#f-relation", "child")
    page.fill("#f-name", "张小宝")
    page.fill("#f-birth_date", (local_today() - timedelta(days=10)).isoformat())
    page.check("input[name=guardian_consent]")
    page.locator("main form:not(.inline) button[type=submit]").last.click()
    assert "张小宝" in page.content()

    page.goto("/me/")
    stage = page.locator(".stage-words").inner_text()
    assert "出生" in stage or "生育" in stage
    due = page.locator("#widget-due_soon")
    assert due.locator("li").count() >= 1, due.inner_text()
    rec = page.locator("#widget-recommended")
    assert rec.locator("li").count() >= 1
    assert rec.locator(".reason").count() >= 1  # each recommendation says why
    assert "张小宝" in page.locator(".timeline-card").inner_text()
    page.screenshot(
        path=str(screenshots / f"me-new-citizen-{'js' if javascript else 'nojs'}.png"),
        full_page=True,
    )

    # Reorder widgets with the keyboard: focus "Move down" on the first one, press Enter.
    before = _widget_order(page)
    page.goto("/me/customise")
    page.locator("#cw-due_soon button").nth(1).focus()  # "Move down"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.goto("/me/")
    after = _widget_order(page)
    assert after[:2] == [before[1], before[0]]

    # Elder mode with the keyboard, then English.
    page.goto("/me/customise")
    page.locator("input[name=theme][value=elder]").focus()
    page.keyboard.press("Space")
    page.locator("form[action$='/me/theme'] button[type=submit]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.goto("/me/")
    assert "theme-elder" in (page.locator("body").get_attribute("class") or "")
    font = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert font >= 20
    with page.expect_navigation():
        page.locator(".lang-switch button[value=en]").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Recommended for you" in page.content()

    # Pin a service from search.
    page.goto("/services/?q=passport")
    first = page.locator(".service-list li").first
    title = first.locator("a").first.inner_text()
    with page.expect_navigation():
        first.locator("button", has_text="Pin").click()
    page.goto("/me/")
    assert title in page.locator("#widget-pinned").inner_text()

    # "Not relevant" on a recommendation: gone from then on.
    rec = page.locator("#widget-recommended li").first
    dismissed = rec.locator("a").first.inner_text()
    with page.expect_navigation():
        rec.locator("button", has_text="Not relevant").click()
    assert dismissed not in page.locator("#widget-recommended").inner_text()

    # "I applied" and "Done" on a service page.
    page.goto("/services/passport_renewal?src=page")
    with page.expect_navigation():
        page.locator(".service-actions button", has_text="I applied").click()
    assert "You noted that you applied" in page.content()
    with page.expect_navigation():
        page.locator(".service-actions button", has_text="Done").click()
    assert "as done" in page.content()

    # Log out; log in again in another browser: the page is as it was left.
    log_out(page)
    other = new_page(javascript=javascript)
    log_in(other, email)
    other.goto("/me/")
    assert other.locator("html").get_attribute("lang") == "en"
    assert "theme-elder" in (other.locator("body").get_attribute("class") or "")
    assert _widget_order(other) == after
    assert title in other.locator("#widget-pinned").inner_text()
    assert dismissed not in other.locator("#widget-recommended").inner_text()
    assert "Applied" in other.locator("#widget-recent").inner_text()
    other.screenshot(
        path=str(screenshots / f"me-elder-en-{'js' if javascript else 'nojs'}.png"), full_page=True
    )


def test_demo_business_user_sees_the_enterprise_page_and_others_get_404(
    new_page, live_server, screenshots
):
    from webapp.demo import DEMO_CREDIT_CODE, DEMO_PASSWORD

    page = new_page()
    log_in(page, "business@lifepage.test", DEMO_PASSWORD)
    page.goto("/enterprises/")
    assert DEMO_CREDIT_CODE in page.url
    assert page.locator("h1").inner_text().startswith("广州市越秀区好味道")
    assert page.locator("#duties-h").is_visible()
    page.screenshot(path=str(screenshots / "enterprise.png"), full_page=True)

    other = new_page()
    sign_up(other, new_email("biz"), kind="business")
    response = other.goto(f"/enterprises/{DEMO_CREDIT_CODE}")
    assert response.status == 404


def test_drag_and_drop_reorders_when_javascript_is_on(new_page):
    page = new_page()
    sign_up(page, new_email("drag"))
    page.goto("/me/customise")
    keys = [li.get_attribute("data-key") for li in page.locator("#widget-order > li").all()]
    with page.expect_navigation():
        page.locator("#cw-recent").drag_to(
            page.locator(f"#cw-{keys[0]}"), target_position={"x": 5, "y": 2}
        )
    after = [li.get_attribute("data-key") for li in page.locator("#widget-order > li").all()]
    assert after[0] == "recent"
    assert sorted(after) == sorted(keys)
