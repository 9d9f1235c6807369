"""Translation upkeep: English is the source language, zh_Hant follows zh_Hans."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po, write_po

from webapp.core.i18n import to_traditional


def fill_derived(translations: Path) -> str:
    """en gets msgstr = msgid; zh_Hant gets OpenCC(zh_Hans) where it has no translation."""
    zh_path = translations / "zh_Hans/LC_MESSAGES/messages.po"
    with zh_path.open("rb") as f:
        zh = read_po(f, locale="zh_Hans")
    filled = {"en": 0, "zh_Hant": 0}
    for locale in ("en", "zh_Hant"):
        path = translations / locale / "LC_MESSAGES/messages.po"
        with path.open("rb") as f:
            catalog = read_po(f, locale=locale)
        for message in catalog:
            filled_already = (
                all(message.string) if isinstance(message.string, tuple) else bool(message.string)
            )
            if not message.id or (filled_already and not message.fuzzy):
                continue
            if locale == "en":
                message.string = message.id  # a plural id is the (singular, plural) tuple
            else:
                source = zh.get(message.id)
                if source is None or not source.string or source.fuzzy:
                    continue
                message.string = (
                    tuple(to_traditional(s) for s in source.string)
                    if isinstance(source.string, tuple)
                    else to_traditional(source.string)
                )
            message.flags.discard("fuzzy")
            filled[locale] += 1
        with path.open("wb") as f:
            write_po(f, catalog, width=100, omit_header=False)
    return f"filled {filled['en']} en and {filled['zh_Hant']} zh_Hant messages"


def missing_translations(translations: Path) -> dict[str, list[str]]:
    """Message ids without a translation, per locale (the i18n test asserts none)."""
    pot_path = translations / "messages.pot"
    with pot_path.open("rb") as f:
        pot = read_po(f)
    out: dict[str, list[str]] = {}
    for locale in ("zh_Hans", "zh_Hant", "en"):
        with (translations / locale / "LC_MESSAGES/messages.po").open("rb") as f:
            catalog = read_po(f, locale=locale)
        missing = []
        for message in pot:
            if not message.id:
                continue
            found = catalog.get(message.id)
            strings = found.string if found is not None else None
            if (
                not strings
                or (isinstance(strings, tuple) and not all(strings))
                or (found is not None and found.fuzzy)
            ):
                missing.append(message.id if isinstance(message.id, str) else message.id[0])
        out[locale] = missing
    return out
