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

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lifecycle.catalog.dump import dump_catalog, service_file_name
from lifecycle.catalog.entries import REGION_RE, Entry, aliases_of, check_unique, read_list
from lifecycle.catalog.model import (
    AUDIENCES,
    CHANNELS,
    CITIZEN_LIFE_EVENTS,
    DATA_DIR,
    ENTERPRISE_LIFE_EVENTS,
    LIFE_EVENTS,
    LOCALES,
    ONLINE_LEVELS,
    Bundle,
    Catalog,
    CatalogError,
    Department,
    LocalText,
    Material,
    Service,
    merged_materials,
)
from lifecycle.eligibility.conditions import ConditionError, parse_conditions

__all__ = [
    "AUDIENCES",
    "CHANNELS",
    "CITIZEN_LIFE_EVENTS",
    "DATA_DIR",
    "ENTERPRISE_LIFE_EVENTS",
    "LIFE_EVENTS",
    "LOCALES",
    "ONLINE_LEVELS",
    "Bundle",
    "Catalog",
    "CatalogError",
    "Department",
    "LocalText",
    "Material",
    "Service",
    "dump_catalog",
    "load_catalog",
    "merged_materials",
    "service_file_name",
]


def _load_named(root: Path, relative: str, cls: type) -> dict[str, Any]:
    out: dict[str, Any] = {}
    seen: dict[str, str] = {}
    for index, raw in enumerate(read_list(root, relative)):
        entry = Entry(relative, raw, index, ("code", "name"))
        code = entry.code()
        check_unique(code, seen, relative, cls.__name__.lower())
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
    "channel",
    "apply_url",
    "office",
    "fee",
    "region_scope",
    "eligibility",
)


def _eligibility(entry: Entry) -> dict[str, Any]:
    """The service's conditions in canonical form (one validator: lifecycle.eligibility)."""
    try:
        return parse_conditions(entry.raw.get("eligibility")).to_dict()
    except ConditionError as exc:
        entry.fail(str(exc))
        raise  # unreachable: fail() raises


def _load_service(
    entry: Entry,
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
    channel = entry.raw.get("channel", "")
    if channel not in ("", *CHANNELS):
        entry.fail(f"channel must be one of {', '.join(CHANNELS)}, got {channel!r}")
    apply_url = entry.string("apply_url", optional=True)
    if apply_url is not None and not apply_url.startswith("https://"):
        entry.fail(f"apply_url must be an https address, got {apply_url!r}")
    region = entry.raw.get("region_scope", "national")
    if isinstance(region, int) and not isinstance(region, bool):
        region = str(region)
    if region != "national" and not (isinstance(region, str) and REGION_RE.match(region)):
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
        aliases=aliases_of(entry),
        legal_basis=entry.string("legal_basis", optional=True),
        region_scope=region,
        eligibility=_eligibility(entry),
        channel=channel,
        apply_url=apply_url,
        office=entry.text("office") if "office" in entry.raw else None,
        fee=entry.text("fee") if "fee" in entry.raw else None,
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
        for index, raw in enumerate(read_list(root, relative)):
            entry = Entry(relative, raw, index, _SERVICE_FIELDS)
            check_unique(entry.code(), seen, relative, "service")
            service = _load_service(entry, departments, materials)
            services[service.code] = service

    bundles: dict[str, Bundle] = {}
    seen_bundles: dict[str, str] = {}
    relative = "bundles.yaml"
    fields = ("code", "name", "description", "life_event", "services")
    for index, raw in enumerate(read_list(root, relative)):
        entry = Entry(relative, raw, index, fields)
        code = entry.code()
        check_unique(code, seen_bundles, relative, "bundle")
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
