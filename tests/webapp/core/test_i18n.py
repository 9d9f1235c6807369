"""Every UI string has a translation in 简体, 繁體 and English, and the catalogs are current."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[3]
TRANSLATIONS = ROOT / "webapp" / "translations"


def _extract(tmp_path: Path) -> Path:
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "_l",
            "--no-location",
            "-o",
            str(pot),
            str(ROOT / "webapp"),
        ],
        check=True,
        cwd=ROOT,
    )
    return pot


def test_every_ui_string_is_translated(tmp_path):
    pot_path = _extract(tmp_path)
    with pot_path.open("rb") as f:
        pot = read_po(f)
    ids = [m.id for m in pot if m.id]
    assert len(ids) > 100
    missing = {}
    for locale in ("zh_Hans", "zh_Hant", "en"):
        with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as f:
            catalog = read_po(f, locale=locale)
        gaps = []
        for msgid in ids:
            message = catalog.get(msgid)
            strings = None if message is None else message.string
            if (
                message is None
                or message.fuzzy
                or not strings
                or (isinstance(strings, tuple) and not all(strings))
            ):
                gaps.append(msgid if isinstance(msgid, str) else msgid[0])
        if gaps:
            missing[locale] = gaps[:20] + ([f"... {len(gaps) - 20} more"] if len(gaps) > 20 else [])
    assert missing == {}, "run `flask --app webapp translate update` and translate: " + repr(
        missing
    )


def test_simplified_chinese_is_really_chinese():
    with (TRANSLATIONS / "zh_Hans" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f, locale="zh_Hans")
    same = [
        m.id
        for m in catalog
        if m.id
        and isinstance(m.string, str)
        and m.string == m.id
        and any(c.isalpha() for c in m.id)
        and len(m.id) > 3
    ]
    # Brand-like strings may stay as they are; sentences may not.
    assert len(same) <= 5, same


def test_citation_filter_per_locale(app):
    from webapp.core.i18n import citation_html, lang_marked

    text = "《中华人民共和国居民身份证法》第五条"
    with app.test_request_context():
        assert str(citation_html(text, "zh_Hans")) == text
        assert "中華人民共和國居民身份證法" in str(citation_html(text, "zh_Hant"))
        assert str(citation_html(text, "en")) == "Resident Identity Card Law of the PRC, Art. 5"
        assert str(lang_marked("李建国", "zh_Hant")) == "李建國"
        assert (
            str(lang_marked("李建国 <b>", "en")) == '<span lang="zh-Hans">李建国</span> &lt;b&gt;'
        )
