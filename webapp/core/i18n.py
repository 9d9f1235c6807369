"""Languages: 简体 (default), 繁體 and English; locale choice and localised catalogue text."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, g, request, session
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup, escape

from lifecycle.citations import english_citation, mark_chinese
from webapp.core.extensions import babel

LOCALES = ("zh_Hans", "zh_Hant", "en")
LOCALE_LABELS = {"zh_Hans": "简体", "zh_Hant": "繁體", "en": "English"}
HTML_LANG = {"zh_Hans": "zh-Hans", "zh_Hant": "zh-Hant", "en": "en"}
TRANSLATIONS = Path(__file__).parents[1] / "translations"


@lru_cache(maxsize=1)
def _s2t():
    from opencc import OpenCC

    return OpenCC("s2t")


def to_traditional(text: str) -> str:
    return _s2t().convert(text)


def localized(value: dict | str | None, locale: str | None = None) -> str:
    """Pick the text for the locale from a {"zh_Hans", "zh_Hant", "en"} dict, with fallbacks."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    locale = locale or current_locale()
    if value.get(locale):
        return value[locale]
    if locale == "zh_Hant" and value.get("zh_Hans"):
        return to_traditional(value["zh_Hans"])
    return value.get("zh_Hans") or value.get("en") or next(iter(value.values()), "")


def with_traditional(value: dict) -> dict:
    """Complete a localised dict with zh_Hant converted from zh_Hans."""
    out = dict(value)
    if not out.get("zh_Hant") and out.get("zh_Hans"):
        out["zh_Hant"] = to_traditional(out["zh_Hans"])
    return out


def _from_accept_language() -> str | None:
    for lang, _q in request.accept_languages:
        tag = lang.lower().replace("_", "-")
        if tag.startswith("en"):
            return "en"
        if tag in {"zh-hant", "zh-tw", "zh-hk", "zh-mo"} or tag.startswith("zh-hant"):
            return "zh_Hant"
        if tag.startswith("zh"):
            return "zh_Hans"
    return None


def select_locale() -> str:
    override = getattr(g, "locale_override", None)
    if override:
        return override
    if current_user and current_user.is_authenticated and current_user.locale in LOCALES:
        return current_user.locale
    chosen = session.get("locale")
    if chosen in LOCALES:
        return chosen
    return _from_accept_language() or "zh_Hans"


def current_locale() -> str:
    try:
        locale = get_locale()
    except Exception:  # outside a request: the default
        return "zh_Hans"
    if locale is None:
        return "zh_Hans"
    if locale.language == "en":
        return "en"
    return "zh_Hant" if locale.script == "Hant" else "zh_Hans"


def compile_catalogs(force: bool = False) -> int:
    """Compile .po files into .mo where missing or stale. Returns how many were written."""
    written = 0
    for po_path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as f:
            catalog = read_po(f, locale=po_path.parent.parent.name)
        with mo_path.open("wb") as f:
            write_mo(f, catalog)
        written += 1
    return written


def init_app(app: Flask) -> None:
    compile_catalogs()
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(TRANSLATIONS),
    )
    app.jinja_env.filters.update(citation=citation_html, lang_marked=lang_marked)
    app.jinja_env.globals.update(
        localized=localized,
        current_locale=current_locale,
        LOCALES=LOCALES,
        LOCALE_LABELS=LOCALE_LABELS,
        HTML_LANG=HTML_LANG,
    )


def citation_text(text: str | None, locale: str | None = None) -> str:
    """A legal reference as plain text in the locale: 繁體 converted, English translated."""
    locale = locale or current_locale()
    if not text:
        return ""
    if locale == "zh_Hant":
        return to_traditional(text)
    if locale == "en":
        return "".join(part.text for part in english_citation(text))
    return text


def _marked(parts) -> Markup:
    return Markup("").join(
        Markup('<span lang="{}">{}</span>').format(p.lang, p.text) if p.lang else escape(p.text)
        for p in parts
    )


def citation_html(text: str | None, locale: str | None = None) -> Markup:
    """A legal reference for a page: as citation_text, Chinese left in English pages marked."""
    locale = locale or current_locale()
    if locale == "en":
        return _marked(english_citation(text or ""))
    return escape(citation_text(text, locale))


def lang_marked(text: str | None, locale: str | None = None) -> Markup:
    """Text from the data (a name, a place) for a page: converted to 繁體 on 繁體 pages, its
    Chinese runs marked ``lang="zh-Hans"`` on English pages."""
    locale = locale or current_locale()
    if locale == "en":
        return _marked(mark_chinese(text or ""))
    if locale == "zh_Hant":
        return escape(to_traditional(text or ""))
    return escape(text or "")
