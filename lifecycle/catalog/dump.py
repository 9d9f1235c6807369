"""Write a catalog back to the YAML layout :func:`lifecycle.catalog.loader.load_catalog` reads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from lifecycle.catalog.aliases import dump_aliases
from lifecycle.catalog.chinese import to_traditional
from lifecycle.catalog.model import CITIZEN_LIFE_EVENTS, Catalog, CatalogError, LocalText, Service

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
    }
    out.update(
        {
            key: value
            for key, value in (
                ("channel", service.channel),
                ("apply_url", service.apply_url),
                ("office", service.office and _dump_text(service.office)),
                ("fee", service.fee and _dump_text(service.fee)),
            )
            if value
        }
    )
    out["region_scope"] = service.region_scope
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
