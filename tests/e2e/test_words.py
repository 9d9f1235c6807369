"""Every word right in three languages, in a real browser (简体, 繁體, English).

Fails on: English words on a Chinese error page, a Chinese fragment without ``lang`` on an
English page, an unconverted 简体 citation on a 繁體 page, an internal identifier in visible
text. And the journeys: a new person follows the 新生儿出生一件事 steps, ticks them and sees the
progress on return; a business user lands on their enterprise page.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.helpers import log_in, log_out, new_email, sign_up
from webapp.core.i18n import to_traditional
from webapp.demo import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

LOCALES = {"zh_Hans": "zh-CN", "zh_Hant": "zh-TW", "en": "en-GB"}
IDENTIFIER = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b|（规则 #|\(rule #|\b[a-z]+\.[a-z_]+_[a-z]+\b")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
UNMARKED_CHINESE = """() => {
  const out = [];
  const han = /[\\u3400-\\u9fff]/;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!han.test(node.textContent)) continue;
    const parent = node.parentElement;
    if (!parent || ["SCRIPT", "STYLE", "TITLE"].includes(parent.tagName)) continue;
    const marked = parent.closest("[lang]");
    if (!marked || marked === document.documentElement) out.push(node.textContent.trim());
  }
  return out;
}"""
# The text of an element without <code> (where a console field asks for a code, its example
# is shown as code).
TEXT_WITHOUT_CODE = """(selector) => {
  const copy = document.querySelector(selector).cloneNode(true);
  copy.querySelectorAll("code, script, style").forEach((el) => el.remove());
  return copy.textContent;
}"""
CITIZEN_PAGES = ("/me/", "/me/duties/", "/services/", "/services/bundles/bundle_newborn",
                 "/services/hukou_birth_registration", "/privacy/tags", "/settings/notifications",
                 "/inbox")  # fmt: skip


def _main_text(page) -> str:
    return page.locator("main").inner_text()


def _citizen(new_page, locale: str, **kwargs):
    page = new_page(locale=LOCALES[locale], **kwargs)
    sign_up(page, new_email(f"words-{locale}"))
    page.fill("#f-full_name", "李建国")
    page.fill("#f-birth_date", "1988-06-18")
    page.fill("#f-region_code", "440106")
    page.locator("main form button[type=submit]").click()
    return page


@pytest.mark.parametrize("locale", ["zh_Hans", "zh_Hant"])
def test_chinese_error_pages_have_no_english_words(new_page, locale):
    page = new_page(locale=LOCALES[locale])
    for path in ("/no-such-page", "/services/no_such_service", "/logout"):
        page.goto(path)
        text = _main_text(page)
        assert not LATIN_WORD.search(text), (path, text)
        assert page.locator("header.site-header").count() == 1  # in the site layout
        assert page.locator("main a[href='/']").count() >= 1  # a way on


def test_expired_form_says_so_and_offers_to_sign_in_again(new_page):
    page = _citizen(new_page, "zh_Hans")
    page.goto("/settings/profile")
    page.context.clear_cookies()  # the session has expired
    page.locator("main form button[type=submit]").click()
    text = _main_text(page)
    assert "表单已过期" in text and "重新登录" in text
    assert not LATIN_WORD.search(text), text


def test_english_pages_mark_every_chinese_fragment(new_page):
    page = _citizen(new_page, "en")
    for path in CITIZEN_PAGES:
        page.goto(path)
        assert page.evaluate(UNMARKED_CHINESE) == [], path
    page.goto("/services/hukou_birth_registration")
    assert "Regulations of the PRC on Household Registration, Art. 7" in _main_text(page)


def test_traditional_pages_convert_citations_and_names(new_page):
    page = _citizen(new_page, "zh_Hant")
    for path in ("/services/hukou_birth_registration", "/services/bundles/bundle_newborn", "/me/"):
        page.goto(path)
        text = _main_text(page)
        simplified = [line for line in text.splitlines() if to_traditional(line) != line]
        assert simplified == [], (path, simplified)
    assert "李建國" in page.locator("h1").inner_text()


@pytest.mark.parametrize("locale", list(LOCALES))
def test_no_internal_identifier_in_visible_text(new_page, locale):
    page = _citizen(new_page, locale)
    for path in CITIZEN_PAGES:
        page.goto(path)
        found = IDENTIFIER.findall(page.locator("body").inner_text())
        assert found == [], (locale, path, found)


def test_no_internal_identifier_in_the_console(new_page):
    page = new_page()
    log_in(page, "admin@lifepage.test", DEMO_PASSWORD)
    assert page.url.rstrip("/").endswith("/admin")  # the admin lands on the console
    for path in ("/admin/", "/admin/models", "/admin/dashboards", "/admin/rules/new",
                 "/admin/parameters", "/admin/catalog", "/admin/audit"):  # fmt: skip
        page.goto(path)
        found = IDENTIFIER.findall(page.evaluate(TEXT_WITHOUT_CODE, "main"))
        assert found == [], (path, found)


def test_new_person_follows_the_newborn_steps_and_sees_progress_on_return(new_page):
    page = new_page()
    email = new_email("steps")
    sign_up(page, email)
    page.goto("/services/bundles/bundle_newborn")
    steps = page.locator("ol.step-by-step > li")
    assert steps.count() == 5
    assert "第 1 步" in steps.nth(0).inner_text() and "所需材料" in steps.nth(0).inner_text()
    for n in (0, 1):
        page.locator("ol.step-by-step > li").nth(n).get_by_role("button", name="标记为完成").click()
        assert "#step-" in page.url
    assert "已完成 2 步，共 5 步" in _main_text(page)
    log_out(page)
    log_in(page, email)
    page.goto("/services/bundles/bundle_newborn")
    assert "已完成 2 步，共 5 步" in _main_text(page)
    done = page.locator("ol.step-by-step > li.step-done")
    assert done.count() == 2 and "已完成" not in steps.nth(2).inner_text()


def test_business_user_lands_on_their_enterprise_page(new_page):
    page = new_page()
    log_in(page, "business@lifepage.test", DEMO_PASSWORD)
    assert "/enterprises/" in page.url
    assert "您和家人" not in _main_text(page)
