"""Searching the catalog in a real browser the way people type: 驾照, sfz, 繁體."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_home_search_finds_services_by_colloquial_name_and_initials(new_page, javascript):
    page = new_page(javascript=javascript)
    page.goto("/")
    page.fill("#home-q", "驾照")
    page.locator("form[role=search] button[type=submit]").click()
    first = page.locator("ul.service-list > li").first
    assert "机动车驾驶证申领" in first.inner_text()
    assert "驾照" in first.locator(".also-called").inner_text()

    page.fill("#q", "sfz")
    page.locator("main form[role=search] button[type=submit]").click()
    titles = page.locator("ul.service-list > li > a").all_inner_texts()
    assert {"居民身份证申领", "居民身份证换领", "居民身份证补领"} <= set(titles[:4])
    page.locator("ul.service-list > li > a", has_text="居民身份证换领").click()
    assert page.locator("h1").inner_text() == "居民身份证换领"
    assert "身份证过期" in page.locator("dl.facts").inner_text()


def test_traditional_chinese_search(new_page):
    page = new_page(locale="zh-TW")
    page.goto("/services/?q=護照過期")
    first = page.locator("ul.service-list > li > a").first
    assert "/services/passport_renewal" in first.get_attribute("href")
    assert first.inner_text().startswith("普通護照")
