"""Colloquial names of a service (驾照 for 机动车驾驶证申领): parse, validate and dump.

Stored per locale, ``{"zh_Hans": ("驾照", "考驾照"), "en": ("driving licence",)}``; zh_Hant
is derived from zh_Hans with OpenCC unless given. Shared by the YAML loader and the admin
editor, so both accept exactly the same input.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lifecycle.catalog.chinese import to_traditional

LOCALES: tuple[str, ...] = ("zh_Hans", "zh_Hant", "en")
MAX_ALIASES = 30
MAX_ALIAS_LENGTH = 60

Aliases = dict[str, tuple[str, ...]]


def parse_aliases(value: Any) -> Aliases:
    """Validate ``{locale: [alias, ...]}`` (or ``None``) into a tuple per locale.

    Raises :class:`ValueError` with a message naming the problem. Whitespace inside an
    alias is collapsed; locales without aliases are left out.
    """
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ValueError(f"'aliases' must be a mapping of locales to lists, got {value!r}")
    out: Aliases = {}
    for locale, items in value.items():
        if locale not in LOCALES:
            raise ValueError(
                f"'aliases' has unknown locale {locale!r} (allowed: {', '.join(LOCALES)})"
            )
        out[locale] = _alias_list(locale, items)
    if out.get("zh_Hans") and not out.get("zh_Hant"):
        out["zh_Hant"] = derived_traditional(out["zh_Hans"])
    return {locale: out[locale] for locale in LOCALES if out.get(locale)}


def _alias_list(locale: str, items: Any) -> tuple[str, ...]:
    if isinstance(items, str) or not isinstance(items, list | tuple):
        raise ValueError(f"'aliases.{locale}' must be a list, got {items!r}")
    if len(items) > MAX_ALIASES:
        raise ValueError(f"'aliases.{locale}' has more than {MAX_ALIASES} aliases")
    seen: dict[str, str] = {}
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise ValueError(f"'aliases.{locale}' items must be non-empty strings, got {item!r}")
        alias = " ".join(item.split())
        if len(alias) > MAX_ALIAS_LENGTH:
            raise ValueError(f"alias {alias!r} is longer than {MAX_ALIAS_LENGTH} characters")
        if alias.casefold() in seen:
            raise ValueError(f"'aliases.{locale}' lists {alias!r} twice")
        seen[alias.casefold()] = alias
    return tuple(seen.values())


def derived_traditional(aliases: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(to_traditional(a) for a in aliases))


def dump_aliases(aliases: Mapping[str, tuple[str, ...]]) -> dict[str, list[str]]:
    """The YAML form: zh_Hans and en, plus zh_Hant only where it was written by hand."""
    out = {locale: list(aliases[locale]) for locale in ("zh_Hans", "en") if aliases.get(locale)}
    hant = tuple(aliases.get("zh_Hant", ()))
    if hant and hant != derived_traditional(tuple(aliases.get("zh_Hans", ()))):
        out["zh_Hant"] = list(hant)
    return out


def all_aliases(aliases: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    """Every locale's aliases, each once, in locale order."""
    return tuple(dict.fromkeys(a for locale in LOCALES for a in aliases.get(locale, ())))
