"""Load the catalog data files into the database, idempotently (update, never duplicate)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from lifecycle.catalog import Catalog, load_catalog
from lifecycle.catalog.aliases import all_aliases
from lifecycle.events import CITIZEN_EVENTS, ENTERPRISE_EVENTS
from webapp.catalog.models import (
    Bundle,
    BundleService,
    Department,
    LifeEvent,
    Material,
    Service,
    ServiceMaterial,
    service_life_event,
)
from webapp.core.i18n import with_traditional
from webapp.core.model_base import utcnow


@dataclass
class LoadReport:
    departments: int = 0
    materials: int = 0
    life_events: int = 0
    services: int = 0
    bundles: int = 0


def search_text(
    name: dict, description: dict, themes, department_name: dict, aliases: dict | None = None
) -> str:
    """Every locale's name, aliases, description, themes and department, lower-cased: the
    admin console's service filter (the public search uses webapp.catalog.search)."""
    parts = [*name.values(), *all_aliases(aliases or {}), *description.values(), *themes]
    parts += department_name.values()
    return " ".join(p for p in parts if p).lower()


def _upsert(session: Session, model, key_attr: str, key, values: dict):
    row = session.scalar(select(model).where(getattr(model, key_attr) == key))
    if row is None:
        row = model(**{key_attr: key}, **values)
        session.add(row)
    else:
        for attr, value in values.items():
            if getattr(row, attr) != value:
                setattr(row, attr, value)
    return row


def sync_life_events(session: Session) -> dict[str, LifeEvent]:
    out = {}
    for event in (*CITIZEN_EVENTS, *ENTERPRISE_EVENTS):
        existing = session.scalar(select(LifeEvent).where(LifeEvent.key == event.key))
        values = {
            "audience": event.audience,
            "position": event.position,
            "name": with_traditional(event.name),
            "description": with_traditional(event.description),
        }
        if existing is not None:
            # Admins may have edited the names; keep theirs, only fill what is missing.
            values.pop("name")
            values.pop("description")
        out[event.key] = _upsert(session, LifeEvent, "key", event.key, values)
    session.flush()
    return out


def load_into_db(session: Session, catalog: Catalog) -> LoadReport:
    """Upsert the whole catalog in the caller's transaction (all or nothing)."""
    report = LoadReport()
    events = sync_life_events(session)
    report.life_events = len(events)
    departments = {}
    for dep in catalog.departments.values():
        departments[dep.code] = _upsert(
            session, Department, "code", dep.code, {"name": with_traditional(dep.name)}
        )
    materials = {}
    for mat in catalog.materials.values():
        materials[mat.code] = _upsert(
            session, Material, "code", mat.code, {"name": with_traditional(mat.name)}
        )
    session.flush()
    report.departments, report.materials = len(departments), len(materials)

    services = {}
    for svc in catalog.services.values():
        name, description = with_traditional(svc.name), with_traditional(svc.description)
        dep = departments[svc.department]
        row = _upsert(
            session,
            Service,
            "code",
            svc.code,
            {
                "department_id": dep.id,
                "audience": svc.audience,
                "name": name,
                "aliases": {locale: list(items) for locale, items in svc.aliases.items()},
                "description": description,
                "themes": list(svc.themes),
                "online_level": svc.online_level,
                "statutory_days": svc.statutory_days,
                "promised_days": svc.promised_days,
                "legal_basis": svc.legal_basis,
                "url": svc.url,
                "delivery": svc.delivery,
                "apply_url": svc.apply_url,
                "office": svc.office,
                "fee": svc.fee,
                "region_scope": svc.region_scope,
                "eligibility": dict(svc.eligibility),
                "search_text": search_text(name, description, svc.themes, dep.name),
                "active": True,
            },
        )
        with_aliases = search_text(name, description, svc.themes, dep.name, svc.aliases)
        if row.search_text != with_aliases:
            row.search_text = with_aliases
        services[svc.code] = (row, svc)
    session.flush()
    service_ids = [row.id for row, _ in services.values()]
    session.execute(
        delete(service_life_event).where(service_life_event.c.service_id.in_(service_ids))
    )
    session.execute(delete(ServiceMaterial).where(ServiceMaterial.service_id.in_(service_ids)))
    link_rows = [
        {"service_id": row.id, "life_event_id": events[key].id, "position": i}
        for row, svc in services.values()
        for i, key in enumerate(svc.life_events)
    ]
    if link_rows:
        session.execute(insert(service_life_event), link_rows)
    material_rows = [
        {"service_id": row.id, "material_id": materials[code].id, "position": i}
        for row, svc in services.values()
        for i, code in enumerate(svc.materials)
    ]
    if material_rows:
        session.execute(insert(ServiceMaterial), material_rows)
    report.services = len(services)

    for bundle in catalog.bundles.values():
        row = _upsert(
            session,
            Bundle,
            "code",
            bundle.code,
            {
                "name": with_traditional(bundle.name),
                "description": with_traditional(bundle.description),
                "life_event_id": events[bundle.life_event].id
                if bundle.life_event in events
                else None,
            },
        )
        session.flush()
        session.execute(delete(BundleService).where(BundleService.bundle_id == row.id))
        session.execute(
            insert(BundleService),
            [
                {"bundle_id": row.id, "service_id": services[code][0].id, "position": i}
                for i, code in enumerate(bundle.services)
            ],
        )
    report.bundles = len(catalog.bundles)
    session.flush()
    for row, _svc in services.values():
        session.expire(row)
    return report


def load_from_path(session: Session, path: Path | None = None) -> LoadReport:
    """Validate the files first (nothing is written if any is malformed), then load."""
    catalog = load_catalog(path)
    report = load_into_db(session, catalog)
    session.info["catalog_loaded_at"] = utcnow()
    return report
