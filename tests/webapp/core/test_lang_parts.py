"""English pages mark every Chinese fragment with its language (WCAG 3.1.2)."""

from __future__ import annotations

import re

from webapp.core.lang_parts import mark_chinese_parts

HAN = re.compile(r"[\u3400-\u9fff]")


def unmarked_chinese(html: str) -> list[str]:
    """Text runs with Chinese characters that no enclosing element marks with ``lang``."""
    from html.parser import HTMLParser

    found: list[str] = []

    class Parser(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.stack: list[tuple[str, bool]] = []

        def handle_starttag(self, tag, attrs):
            if tag in {"br", "input", "img", "meta", "link", "hr", "wbr", "source"}:
                return
            self.stack.append((tag, tag != "html" and any(k == "lang" for k, _ in attrs)))

        def handle_endtag(self, tag):
            while self.stack:
                if self.stack.pop()[0] == tag:
                    break

        def handle_data(self, data):
            if not HAN.search(data):
                return
            if any(t in {"script", "style", "title"} for t, _ in self.stack):
                return
            if not any(lang for _, lang in self.stack):
                found.append(data.strip())

    Parser().feed(html)
    return found


def test_runs_are_wrapped_but_marked_elements_left_alone():
    html = '<html lang="en"><p>Hi 王小明</p><button lang="zh-Hant">繁體</button></html>'
    out = mark_chinese_parts(html)
    assert '<span lang="zh-Hans">王小明</span>' in out
    assert '<button lang="zh-Hant">繁體</button>' in out
    assert unmarked_chinese(out) == []


def test_english_pages_have_no_unmarked_chinese(app, factories):
    from webapp.core.db import db
    from webapp.models import Account

    account = factories.citizen(full_name="王小明")
    with app.app_context(), db.transaction() as session:
        session.get(Account, account.id).locale = "en"
    client = app.test_client()
    factories.login(client, account)
    for path in ("/me/", "/services/", "/me/duties/", "/settings/household", "/privacy/tags"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert unmarked_chinese(response.get_data(as_text=True)) == [], path


def test_chinese_pages_are_left_as_they_are(client):
    html = client.get("/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert 'lang="zh-Hans">' not in html.split("<main", 1)[1]
