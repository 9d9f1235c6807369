"""The service catalog as data: load, validate and dump the YAML files.

Pure Python (PyYAML and OpenCC only): no web framework, no ORM. The web app seeds its
database from :func:`load_catalog` and the admin export writes with :func:`dump_catalog`.

File layout under a catalog directory::

    departments.yaml            list of {code, name}
    materials.yaml              list of {code, name}
    bundles.yaml                list of {code, name, description, life_event, services}
    services/<audience>_<life_event>.yaml
                                list of services whose primary life event is <life_event>

Every error names the file and the entry, e.g.
``services/citizen_birth.yaml: entry 'hukou_birth_registration': unknown department 'police'``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from lifecycle.catalog.aliases import dump_aliases, parse_aliases
from lifecycle.catalog.chinese import to_traditional
from lifecycle.eligibility.conditions import ConditionError, Conditions, parse_conditions

DATA_DIR: Path = Path(__file__).resolve().parent / "data"

#: Citizen life events, in life order (docs/contracts.md; lifecycle/events.py is the authority).
CITIZEN_LIFE_EVENTS: tuple[str, ...] = (
    "birth",
    "education",
    "work",
    "marriage",
    "childbirth",
    "housing",
    "travel",
    "healthcare",
    "retirement",
    "death",
)
#: Enterprise life-cycle stages, in order.
ENTERPRISE_LIFE_EVENTS: tuple[str, ...] = (
    "establishment",
    "licensing",
    "operation",
    "change",
    "investment",
    "deregistration",
)
LIFE_EVENTS: tuple[str, ...] = CITIZEN_LIFE_EVENTS + ENTERPRISE_LIFE_EVENTS

AUDIENCES: tuple[str, ...] = ("citizen", "enterprise", "both")
ONLINE_LEVELS: tuple[int, ...] = (1, 2, 3, 4)
LOCALES: tuple[str, ...] = ("zh_Hans", "zh_Hant", "en")

_CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_REGION_RE = re.compile(r"^[1-9][0-9]{5}$")

LocalText = dict[str, str]


class CatalogError(ValueError):
    """A catalog file is malformed; ``str()`` names the file and the entry."""

    def __init__(self, file: str, entry: str | None, message: str) -> None:
        self.file = file
        self.entry = entry
        self.message = message
        super().__init__(file, entry, message)

    def __str__(self) -> str:
        if self.entry is None:
            return f"{self.file}: {self.message}"
        return f"{self.file}: entry '{self.entry}': {self.message}"


@dataclass(frozen=True)
class Department:
    code: str
    name: LocalText

    def __hash__(self) -> int:
        return hash(("department", self.code))


@dataclass(frozen=True)
class Material:
    code: str
    name: LocalText

    def __hash__(self) -> int:
        return hash(("material", self.code))


@dataclass(frozen=True)
class Service:
    """One government service item (政务服务事项)."""

    code: str
    name: LocalText
    description: LocalText
    department: str
    audience: str
    life_events: tuple[str, ...]
    themes: tuple[str, ...]
    materials: tuple[str, ...]
    online_level: int
    url: str
    statutory_days: int | None = None
    promised_days: int | None = None
    #: Colloquial names per locale (驾照 for 机动车驾驶证申领), searched like the name.
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    legal_basis: str | None = None
    region_scope: str = "national"
    eligibility: dict[str, Any] = field(default_factory=dict)

    def __hash__(self) -> int:
        return hash(("service", self.code))

    @property
    def conditions(self) -> Conditions:
        """Who the service is for (validated when the catalog was loaded)."""
        return parse_conditions(self.eligibility)

    @property
    def primary_life_event(self) -> str:
        return self.life_events[0]

    @property
    def fully_online(self) -> bool:
        """全程网办: applied for and delivered without a visit."""
        return self.online_level == 4


@dataclass(frozen=True)
class Bundle:
    """A 高效办成一件事 bundle: several services of one life event in one application."""

    code: str
    name: LocalText
    description: LocalText
    life_event: str
    services: tuple[str, ...]

    def __hash__(self) -> int:
        return hash(("bundle", self.code))


@dataclass(frozen=True)
class Catalog:
    """The whole catalog; each mapping is keyed by code and keeps file order."""

    departments: dict[str, Department]
    materials: dict[str, Material]
    services: dict[str, Service]
    bundles: dict[str, Bundle]

    def services_for(self, life_event: str) -> list[Service]:
        """Services that list ``life_event`` among their life events."""
        return [s for s in self.services.values() if life_event in s.life_events]


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


def _read_list(root: Path, relative: str) -> list[Any]:
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


class _Entry:
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
        if not isinstance(value, str) or not _CODE_RE.match(value):
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
            if not isinstance(item, str) or not _CODE_RE.match(item):
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


def _check_unique(code: str, seen: dict[str, str], file: str, kind: str) -> None:
    if code in seen:
        where = "" if seen[code] == file else f" (first defined in {seen[code]})"
        raise CatalogError(file, code, f"duplicate {kind} code '{code}'{where}")
    seen[code] = file


def _aliases(entry: _Entry) -> dict[str, tuple[str, ...]]:
    try:
        return parse_aliases(entry.raw.get("aliases"))
    except ValueError as exc:
        raise CatalogError(entry.file, entry.label, str(exc)) from None


def _load_named(root: Path, relative: str, cls: type) -> dict[str, Any]:
    out: dict[str, Any] = {}
    seen: dict[str, str] = {}
    for index, raw in enumerate(_read_list(root, relative)):
        entry = _Entry(relative, raw, index, ("code", "name"))
        code = entry.code()
        _check_unique(code, seen, relative, cls.__name__.lower())
        out[code] = cls(code=code, name=entry.text("name"))
    return out


_SERVICE_FIELDS = (
    "code",
    "name",
    "aliases",
    "description",
    "department",
    "audience",
    "life_events",
    "themes",
    "materials",
    "online_level",
    "statutory_days",
    "promised_days",
    "legal_basis",
    "url",
    "region_scope",
    "eligibility",
)


def _eligibility(entry: _Entry) -> dict[str, Any]:
    """The service's conditions in canonical form (one validator: lifecycle.eligibility)."""
    try:
        return parse_conditions(entry.raw.get("eligibility")).to_dict()
    except ConditionError as exc:
        entry.fail(str(exc))
        raise  # unreachable: fail() raises


def _load_service(
    entry: _Entry,
    departments: Mapping[str, Department],
    materials: Mapping[str, Material],
) -> Service:
    code = entry.code()
    name = entry.text("name")
    description = entry.text("description")
    department = entry.required("department")
    if department not in departments:
        entry.fail(f"unknown department '{department}'")
    audience = entry.required("audience")
    if audience not in AUDIENCES:
        entry.fail(f"audience must be one of {', '.join(AUDIENCES)}, got {audience!r}")
    life_events = entry.codes(
        "life_events", known=LIFE_EVENTS, what="life event", allow_empty=False
    )
    themes = entry.codes("themes", known=None, what="theme")
    service_materials = entry.codes("materials", known=materials, what="material")
    online_level = entry.required("online_level")
    if isinstance(online_level, bool) or online_level not in ONLINE_LEVELS:
        entry.fail(f"online_level must be 1, 2, 3 or 4, got {online_level!r}")
    statutory = entry.days("statutory_days")
    promised = entry.days("promised_days")
    if statutory is not None and promised is not None and promised > statutory:
        entry.fail(f"promised_days ({promised}) exceed statutory_days ({statutory})")
    url = entry.string("url")
    assert url is not None
    if not url.startswith(("https://", "http://")):
        entry.fail(f"url must be an http(s) address, got {url!r}")
    region = entry.raw.get("region_scope", "national")
    if isinstance(region, int) and not isinstance(region, bool):
        region = str(region)
    if region != "national" and not (isinstance(region, str) and _REGION_RE.match(region)):
        entry.fail(f"region_scope must be 'national' or a 6-digit region code, got {region!r}")
    return Service(
        code=code,
        name=name,
        description=description,
        department=department,
        audience=audience,
        life_events=life_events,
        themes=themes,
        materials=service_materials,
        online_level=online_level,
        url=url,
        statutory_days=statutory,
        promised_days=promised,
        aliases=_aliases(entry),
        legal_basis=entry.string("legal_basis", optional=True),
        region_scope=region,
        eligibility=_eligibility(entry),
    )


def load_catalog(path: Path | str | None = None) -> Catalog:
    """Load and validate the catalog under ``path`` (default: the packaged :data:`DATA_DIR`).

    Raises :class:`CatalogError` naming the file and the entry at the first problem.
    """
    root = Path(path) if path is not None else DATA_DIR
    if not root.is_dir():
        raise CatalogError(str(root), None, "catalog directory not found")
    departments: dict[str, Department] = _load_named(root, "departments.yaml", Department)
    materials: dict[str, Material] = _load_named(root, "materials.yaml", Material)

    services: dict[str, Service] = {}
    seen: dict[str, str] = {}
    service_files = sorted((root / "services").glob("*.yaml"))
    if not service_files:
        raise CatalogError("services/", None, "no service files (services/*.yaml)")
    for file in service_files:
        relative = f"services/{file.name}"
        for index, raw in enumerate(_read_list(root, relative)):
            entry = _Entry(relative, raw, index, _SERVICE_FIELDS)
            _check_unique(entry.code(), seen, relative, "service")
            service = _load_service(entry, departments, materials)
            services[service.code] = service

    bundles: dict[str, Bundle] = {}
    seen_bundles: dict[str, str] = {}
    relative = "bundles.yaml"
    fields = ("code", "name", "description", "life_event", "services")
    for index, raw in enumerate(_read_list(root, relative)):
        entry = _Entry(relative, raw, index, fields)
        code = entry.code()
        _check_unique(code, seen_bundles, relative, "bundle")
        if code in services:
            entry.fail(f"bundle code '{code}' is already a service code")
        life_event = entry.required("life_event")
        if life_event not in LIFE_EVENTS:
            entry.fail(f"unknown life event '{life_event}'")
        bundles[code] = Bundle(
            code=code,
            name=entry.text("name"),
            description=entry.text("description"),
            life_event=life_event,
            services=entry.codes("services", known=services, what="service", allow_empty=False),
        )
    return Catalog(departments=departments, materials=materials, services=services, bundles=bundles)


# --------------------------------------------------------------------------- queries


def merged_materials(bundle: Bundle, catalog: Catalog) -> list[tuple[Material, list[str]]]:
    """The bundle's merged checklist: each material once, with the services that need it.

    Materials come in the order of first use along the bundle's services.
    """
    needed_by: dict[str, list[str]] = {}
    for service_code in bundle.services:
        for material_code in catalog.services[service_code].materials:
            needed_by.setdefault(material_code, []).append(service_code)
    return [(catalog.materials[code], services) for code, services in needed_by.items()]


# --------------------------------------------------------------------------- dump


def _dump_text(text: LocalText) -> dict[str, str]:
    out = {"zh_Hans": text["zh_Hans"], "en": text["en"]}
    hant = text.get("zh_Hant")
    if hant and hant != to_traditional(text["zh_Hans"]):
        out["zh_Hant"] = hant  # a hand-corrected conversion: keep it
    return out


def _dump_service(service: Service) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": service.code,
        "name": _dump_text(service.name),
        "aliases": dump_aliases(service.aliases),
        "description": _dump_text(service.description),
        "department": service.department,
        "audience": service.audience,
        "life_events": list(service.life_events),
        "themes": list(service.themes),
        "materials": list(service.materials),
        "online_level": service.online_level,
        "statutory_days": service.statutory_days,
        "promised_days": service.promised_days,
        "legal_basis": service.legal_basis,
        "url": service.url,
        "region_scope": service.region_scope,
    }
    if service.eligibility:
        out["eligibility"] = dict(service.eligibility)
    return out


def service_file_name(life_event: str) -> str:
    """``services/<audience>_<life_event>.yaml`` for a primary life event."""
    kind = "citizen" if life_event in CITIZEN_LIFE_EVENTS else "enterprise"
    return f"{kind}_{life_event}.yaml"


def _write(path: Path, data: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(text, encoding="utf-8")


def dump_catalog(catalog: Catalog, path: Path | str) -> None:
    """Write ``catalog`` under ``path`` in the layout :func:`load_catalog` reads.

    Service files are grouped by primary life event. Refuses to write into a directory
    whose ``services/`` holds other YAML files, which would be loaded alongside.
    """
    root = Path(path)
    groups: dict[str, list[dict[str, Any]]] = {}
    for service in catalog.services.values():
        name = service_file_name(service.primary_life_event)
        entry = _dump_service(service)
        if not entry["aliases"]:
            del entry["aliases"]
        groups.setdefault(name, []).append(entry)
    services_dir = root / "services"
    if services_dir.is_dir():
        stale = sorted(p.name for p in services_dir.glob("*.yaml") if p.name not in groups)
        if stale:
            raise CatalogError(
                "services/", None, f"would leave other service files behind: {', '.join(stale)}"
            )
    _write(
        root / "departments.yaml",
        [{"code": d.code, "name": _dump_text(d.name)} for d in catalog.departments.values()],
    )
    _write(
        root / "materials.yaml",
        [{"code": m.code, "name": _dump_text(m.name)} for m in catalog.materials.values()],
    )
    for name, entries in groups.items():
        _write(services_dir / name, entries)
    _write(
        root / "bundles.yaml",
        [
            {
                "code": b.code,
                "name": _dump_text(b.name),
                "description": _dump_text(b.description),
                "life_event": b.life_event,
                "services": list(b.services),
            }
            for b in catalog.bundles.values()
        ],
    )
