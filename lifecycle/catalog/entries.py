"""Reading catalog YAML files (duplicate keys, size and depth refused) and validating one
entry of one file; every error names the file and the entry."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from lifecycle.catalog.aliases import parse_aliases
from lifecycle.catalog.chinese import to_traditional
from lifecycle.catalog.model import LOCALES, CatalogError, LocalText

CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
REGION_RE = re.compile(r"^[1-9][0-9]{5}$")

# --------------------------------------------------------------------------- YAML


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys in a mapping (PyYAML silently keeps the last)."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False):
    seen: set[Any] = set()
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            duplicate = key in seen
        except TypeError:  # unhashable key: let PyYAML report it
            duplicate = False
        if duplicate:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                f"found duplicate key {key!r}",
                key_node.start_mark,
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


MAX_FILE_CHARS = 5 * 1024 * 1024


def read_list(root: Path, relative: str) -> list[Any]:
    path = root / relative
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CatalogError(relative, None, "file not found") from None
    except UnicodeDecodeError as exc:
        raise CatalogError(relative, None, f"not UTF-8: {exc}") from None
    if len(text) > MAX_FILE_CHARS:
        raise CatalogError(relative, None, "the file is too large")
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise CatalogError(relative, None, f"invalid YAML: {exc}") from None
    except RecursionError:  # nested thousands deep: refused, not a crash
        raise CatalogError(relative, None, "the YAML is nested too deeply") from None
    if data is None:
        return []
    if not isinstance(data, list):
        raise CatalogError(relative, None, "the file must contain a list of entries")
    return data


# --------------------------------------------------------------------------- validation


class Entry:
    """Validation helpers bound to one entry of one file."""

    def __init__(self, file: str, raw: Any, index: int, allowed: Iterable[str]) -> None:
        self.file = file
        self.index = index
        label = f"#{index + 1}"
        if isinstance(raw, dict) and isinstance(raw.get("code"), str) and raw["code"]:
            label = raw["code"]
        self.label = label
        if not isinstance(raw, dict):
            self.fail(f"an entry must be a mapping, got {type(raw).__name__}")
        self.raw: dict[str, Any] = raw
        unknown = sorted(str(k) for k in raw if k not in allowed)
        if unknown:
            self.fail(f"unknown field(s): {', '.join(unknown)}")

    def fail(self, message: str) -> None:
        raise CatalogError(self.file, self.label, message)

    def required(self, key: str) -> Any:
        if key not in self.raw or self.raw[key] is None:
            self.fail(f"missing required field '{key}'")
        return self.raw[key]

    def code(self) -> str:
        value = self.required("code")
        if not isinstance(value, str) or not CODE_RE.match(value):
            self.fail(f"code must be snake_case ASCII, got {value!r}")
        return value

    def text(self, key: str) -> LocalText:
        value = self.required(key)
        if not isinstance(value, dict):
            self.fail(f"'{key}' must be a mapping of locales (zh_Hans, en), got {value!r}")
        for locale in ("zh_Hans", "en"):
            if locale not in value:
                self.fail(f"'{key}' is missing '{locale}'")
        out: LocalText = {}
        for locale, text in value.items():
            if locale not in LOCALES:
                self.fail(f"'{key}' has unknown locale {locale!r} (allowed: {', '.join(LOCALES)})")
            if not isinstance(text, str) or not text.strip():
                self.fail(f"'{key}.{locale}' must be a non-empty string")
            out[locale] = text.strip()
        if "zh_Hant" not in out:
            out["zh_Hant"] = to_traditional(out["zh_Hans"])
        return {locale: out[locale] for locale in LOCALES}

    def string(self, key: str, *, optional: bool = False) -> str | None:
        value = self.raw.get(key) if optional else self.required(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(f"'{key}' must be a non-empty string, got {value!r}")
        return value.strip()

    def codes(
        self,
        key: str,
        *,
        known: Mapping[str, Any] | Iterable[str] | None,
        what: str,
        allow_empty: bool = True,
    ) -> tuple[str, ...]:
        value = self.raw.get(key, [])
        if value is None:
            value = []
        if not isinstance(value, list):
            self.fail(f"'{key}' must be a list, got {value!r}")
        if not value and not allow_empty:
            self.fail(f"'{key}' must not be empty")
        seen: list[str] = []
        for item in value:
            if not isinstance(item, str) or not CODE_RE.match(item):
                self.fail(f"'{key}' items must be snake_case codes, got {item!r}")
            if known is not None and item not in known:
                self.fail(f"unknown {what} '{item}'")
            if item in seen:
                self.fail(f"'{key}' lists '{item}' twice")
            seen.append(item)
        return tuple(seen)

    def days(self, key: str) -> int | None:
        value = self.raw.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.fail(f"'{key}' must be a positive number of working days or null, got {value!r}")
        return value


def check_unique(code: str, seen: dict[str, str], file: str, kind: str) -> None:
    if code in seen:
        where = "" if seen[code] == file else f" (first defined in {seen[code]})"
        raise CatalogError(file, code, f"duplicate {kind} code '{code}'{where}")
    seen[code] = file


def aliases_of(entry: Entry) -> dict[str, tuple[str, ...]]:
    try:
        return parse_aliases(entry.raw.get("aliases"))
    except ValueError as exc:
        raise CatalogError(entry.file, entry.label, str(exc)) from None
