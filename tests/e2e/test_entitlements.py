"""您可以享受 in a real browser: a newborn brings the infant-care deduction and 育儿补贴 with
amounts and dates; a parent born 1965 and "only child: yes" brings elderly support of
3,000 a month; a father is never shown maternity allowance; no JavaScript needed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.e2e.helpers import new_email, sign_up

pytestmark = pytest.mark.e2e


def _add_member(page, relation: str, name: str, birth: str) -> None:
    page.goto("/settings/household")
    page.select_option("#f-relation", relation)
    page.fill("#f-name", name)
    page.fill("#f-birth_date", birth)
    if page.locator("input[name=guardian_consent]").count():
        page.check("input[name=guardian_consent]")
    page.locator("main form:not(.inline) button[type=submit]").last.click()
    assert name in page.content()


def test_entitlements_in_the_browser(new_page, screenshots):
    from webapp.core.clock import local_today

    page = new_page(javascript=False)
    sign_up(page, new_email("ent"))
    page.fill("#f-full_name", "王强")
    page.fill("#f-birth_date", "1990-03-15")
    page.select_option("#f-gender", "male")
    page.fill("#f-region_code", "440106")
    page.select_option("#f-employment", "employed")
    page.locator("main form button[type=submit]").click()

    _add_member(page, "child", "王小宝", (local_today() - timedelta(days=10)).isoformat())
    page.goto("/entitlements")
    text = page.locator("main").inner_text()
    assert "育儿补贴" in text and "3,600" in text
    assert "3岁以下婴幼儿照护" in text and "2,000" in text
    assert "政策依据" in text

    _add_member(page, "parent", "王父", "1965-03-01")
    page.goto("/entitlements/facts")
    form = page.locator("form.fact", has=page.locator("input[name=key][value=only_child]"))
    form.locator("select[name=value]").select_option("true")
    form.locator("button[value=save]").click()
    page.goto("/entitlements")
    text = page.locator("main").inner_text()
    assert "赡养老人" in text and "3,000" in text
    page.screenshot(path=str(screenshots / "entitlements.png"), full_page=True)

    page.goto("/me/")
    assert "您可以享受" in page.locator("#widget-entitlements").inner_text()
    assert "maternity_allowance" not in page.content()
    page.goto("/privacy/why/maternity_allowance")
    assert "不符合" in page.locator("main").inner_text()
