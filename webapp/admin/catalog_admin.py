"""Catalog editing for admins: services, departments, life events and bundles; import and
export of the catalog as the project's own YAML data files (``lifecycle.catalog``).

Edits are validated with the same rules the loader applies (known department, life events
and materials, online level 1–4, promised days not above statutory days, an http(s) link)
and audited with the values before and after. An import is validated completely by
``lifecycle.catalog.load_catalog`` before anything is written, then loaded in one
transaction: all or nothing.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from lifecycle.catalog.aliases import parse_aliases
from webapp.admin import catalog_delivery
from webapp.admin.schemas import (
    BundleIn,
    DeliveryIn,
    DepartmentIn,
    NamedIn,
    ServiceCreateIn,
    ServiceEditIn,
)
from webapp.catalog import search_text
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
from webapp.core import audit
from webapp.core.i18n import with_traditional
from webapp.core.model_base import utcnow
from webapp.core.service_errors import NotFound, ServiceError


def _text(data: NamedIn | ServiceEditIn, prefix: str) -> dict[str, str] | None:
    zh = getattr(data, f"{prefix}_zh_Hans")
    en = getattr(data, f"{prefix}_en")
    if not zh and not en:
        return None
    out = {"zh_Hans": zh or "", "en": en or ""}
    hant = getattr(data, f"{prefix}_zh_Hant")
    if hant:
        out["zh_Hant"] = hant
    return with_traditional(out)


def text_fields(prefix: str, value: dict | None) -> dict[str, str]:
    value = value or {}
    return {f"{prefix}_{loc}": value.get(loc, "") for loc in ("zh_Hans", "zh_Hant", "en")}


# ------------------------------------------------------------------ services
def list_services(session: Session, q: str | None = None) -> list[Service]:
    stmt = select(Service).order_by(Service.code)
    if q:
        like = f"%{q.strip().lower()}%"
        stmt = stmt.where((Service.code.like(like)) | (Service.search_text.like(like)))
    return list(session.scalars(stmt))


def get_service(session: Session, code: str) -> Service:
    row = session.scalar(select(Service).where(Service.code == code))
    if row is None:
        raise NotFound(_("No such service."))
    return row


def service_dict(s: Service) -> dict[str, Any]:
    return {
        "code": s.code,
        "name": dict(s.name),
        "aliases": {locale: list(items) for locale, items in (s.aliases or {}).items()},
        "description": dict(s.description),
        "department": s.department.code,
        "audience": s.audience,
        "life_events": [le.key for le in s.life_events],
        "themes": list(s.themes or []),
        "materials": [m.material.code for m in s.materials],
        "online_level": s.online_level,
        "statutory_days": s.statutory_days,
        "promised_days": s.promised_days,
        "legal_basis": s.legal_basis,
        "url": s.url,
        "active": s.active,
        **catalog_delivery.delivery_dict(s),
    }


def service_form_values(s: Service) -> dict[str, str]:
    d = service_dict(s)
    out = {**text_fields("name", s.name), **text_fields("description", s.description)}
    for locale in ("zh_Hans", "zh_Hant", "en"):
        out[f"aliases_{locale}"] = "\n".join((s.aliases or {}).get(locale, ()))
    for key in ("department", "audience", "legal_basis", "url"):
        out[key] = d[key] or ""
    for key in ("online_level", "statutory_days", "promised_days"):
        out[key] = "" if d[key] is None else str(d[key])
    out["life_events"] = d["life_events"]
    out["themes"] = ", ".join(d["themes"])
    out["materials"] = ", ".join(d["materials"])
    out["active"] = "on" if s.active else ""
    out.update(catalog_delivery.delivery_form_values(s))
    return out


def service_aliases(data: ServiceEditIn) -> dict[str, tuple[str, ...]]:
    """The form's aliases validated like the catalog files' (``lifecycle.catalog.aliases``)."""
    raw = {
        locale: list(getattr(data, f"aliases_{locale}"))
        for locale in ("zh_Hans", "zh_Hant", "en")
        if getattr(data, f"aliases_{locale}")
    }
    for locale, items in raw.items():
        try:
            parse_aliases({locale: items})
        except ValueError:
            raise ServiceError(
                "bad_alias",
                _("Each alias once, at most 30 per language and 60 characters each."),
                f"aliases_{locale}",
            ) from None
    return parse_aliases(raw)


def _delivery(data: ServiceEditIn) -> tuple:
    """(channel, apply_url, office, fee) from the form's fields, checked."""
    texts = [
        catalog_delivery.local_text(
            p, {loc: getattr(data, f"{p}_{loc}") for loc in catalog_delivery.LOCALES}
        )
        for p in catalog_delivery.TEXTS
    ]
    return (data.channel, catalog_delivery.check_apply_url(data.apply_url), *texts)


def _check_service(session: Session, data: ServiceEditIn) -> tuple[Department, list[Material]]:
    service_aliases(data)
    _delivery(data)
    dep = session.scalar(select(Department).where(Department.code == data.department))
    if dep is None:
        raise ServiceError("unknown_department", _("Unknown department."), "department")
    for theme in data.themes:
        if not theme.replace("_", "").isalnum() or not theme.isascii() or theme != theme.lower():
            raise ServiceError(
                "bad_theme", _("Themes are lower-case codes such as childbirth."), "themes"
            )
    materials = []
    if data.materials:
        found = {
            m.code: m
            for m in session.scalars(select(Material).where(Material.code.in_(data.materials)))
        }
        unknown = [c for c in data.materials if c not in found]
        if unknown:
            raise ServiceError(
                "unknown_material",
                _("Unknown material code(s): %(codes)s", codes=", ".join(unknown)),
                "materials",
            )
        materials = [found[c] for c in dict.fromkeys(data.materials)]
    if (
        data.statutory_days is not None
        and data.promised_days is not None
        and data.promised_days > data.statutory_days
    ):
        raise ServiceError(
            "promised_over_statutory",
            _("The promised time limit must not exceed the statutory one."),
            "promised_days",
        )
    return dep, materials


def _apply_service(session: Session, row: Service, data: ServiceEditIn, dep, materials) -> None:
    row.name = _text(data, "name")
    row.aliases = {locale: list(items) for locale, items in service_aliases(data).items()}
    row.description = _text(data, "description")
    row.department_id = dep.id
    row.audience = data.audience
    row.themes = list(dict.fromkeys(data.themes))
    row.online_level = data.online_level
    row.statutory_days = data.statutory_days
    row.promised_days = data.promised_days
    row.legal_basis = data.legal_basis or None
    row.url = data.url
    row.active = data.active
    catalog_delivery.apply_delivery(row, *_delivery(data))
    row.search_text = search_text(row.name, row.description, row.themes, dep.name, row.aliases)
    row.updated_at = utcnow()  # serving rebuilds its catalog when this moves
    session.flush()
    session.execute(delete(service_life_event).where(service_life_event.c.service_id == row.id))
    events = {e.key: e.id for e in session.scalars(select(LifeEvent))}
    keys = list(dict.fromkeys(data.life_events))
    session.execute(
        insert(service_life_event),
        [
            {"service_id": row.id, "life_event_id": events[k], "position": i}
            for i, k in enumerate(keys)
        ],
    )
    for link in list(row.materials):  # the links are rewritten below with plain statements
        session.expunge(link)
    session.expire(row, ["materials"])
    session.execute(
        delete(ServiceMaterial).where(ServiceMaterial.service_id == row.id),
        execution_options={"synchronize_session": False},
    )
    if materials:
        session.execute(
            insert(ServiceMaterial),
            [
                {"service_id": row.id, "material_id": m.id, "position": i}
                for i, m in enumerate(materials)
            ],
        )
    session.flush()
    session.expire(row)


def update_service(
    session: Session, actor_id: int | None, code: str, data: ServiceEditIn
) -> Service:
    row = get_service(session, code)
    before = service_dict(row)
    dep, materials = _check_service(session, data)
    _apply_service(session, row, data, dep, materials)
    audit.record(session, actor_id, "service.update", "service", code, before, service_dict(row))
    return row


def update_delivery(session: Session, actor_id: int | None, code: str, data: DeliveryIn) -> Service:
    """Only how the service is done (channel, application address, office, fee); audited."""
    row = get_service(session, code)
    before = service_dict(row)
    texts = [
        catalog_delivery.local_text(p, getattr(data, p).model_dump() if getattr(data, p) else None)
        for p in catalog_delivery.TEXTS
    ]
    apply_url = catalog_delivery.check_apply_url(data.apply_url)
    catalog_delivery.apply_delivery(row, data.channel, apply_url, *texts)
    row.updated_at = utcnow()  # serving rebuilds its catalog when this moves
    session.flush()
    audit.record(session, actor_id, "service.update", "service", code, before, service_dict(row))
    return row


def create_service(session: Session, actor_id: int | None, data: ServiceCreateIn) -> Service:
    if session.scalar(select(Service.id).where(Service.code == data.code)) is not None:
        raise ServiceError("duplicate", _("A service with this code exists already."), "code")
    dep, materials = _check_service(session, data)
    row = Service(
        code=data.code,
        department_id=dep.id,
        audience=data.audience,
        name={},
        description={},
        themes=[],
        online_level=data.online_level,
        eligibility={},
        region_scope="national",
    )
    session.add(row)
    session.flush()
    _apply_service(session, row, data, dep, materials)
    audit.record(session, actor_id, "service.create", "service", data.code, None, service_dict(row))
    return row


# ------------------------------------------------------------------ departments, events, bundles
def list_departments(session: Session) -> list[Department]:
    return list(session.scalars(select(Department).order_by(Department.code)))


def save_department(session: Session, actor_id: int | None, data: DepartmentIn) -> Department:
    row = session.scalar(select(Department).where(Department.code == data.code))
    before = {"code": row.code, "name": dict(row.name)} if row else None
    if row is None:
        row = Department(code=data.code, name=_text(data, "name"))
        session.add(row)
    else:
        row.name = _text(data, "name")
    session.flush()
    audit.record(
        session,
        actor_id,
        "department.update" if before else "department.create",
        "department",
        data.code,
        before,
        {"code": row.code, "name": dict(row.name)},
    )
    return row


def list_life_events(session: Session) -> list[LifeEvent]:
    return list(
        session.scalars(select(LifeEvent).order_by(LifeEvent.audience.desc(), LifeEvent.position))
    )


def save_life_event(session: Session, actor_id: int | None, key: str, data: NamedIn) -> LifeEvent:
    row = session.scalar(select(LifeEvent).where(LifeEvent.key == key))
    if row is None:
        raise NotFound(_("No such life event."))
    before = {"name": dict(row.name), "description": dict(row.description)}
    row.name = _text(data, "name")
    description = _text(data, "description")
    if description is None:
        raise ServiceError("missing", _("This field is required."), "description_zh_Hans")
    row.description = description
    session.flush()
    audit.record(
        session,
        actor_id,
        "life_event.update",
        "life_event",
        key,
        before,
        {"name": dict(row.name), "description": dict(row.description)},
    )
    return row


def list_bundles(session: Session) -> list[Bundle]:
    return list(session.scalars(select(Bundle).order_by(Bundle.code)))


def get_bundle(session: Session, code: str) -> Bundle:
    row = session.scalar(select(Bundle).where(Bundle.code == code))
    if row is None:
        raise NotFound(_("No such bundle."))
    return row


def bundle_dict(b: Bundle) -> dict[str, Any]:
    return {
        "code": b.code,
        "name": dict(b.name),
        "description": dict(b.description),
        "life_event": b.life_event.key if b.life_event else None,
        "services": [bs.service.code for bs in b.services],
    }


def save_bundle(session: Session, actor_id: int | None, code: str, data: BundleIn) -> Bundle:
    row = get_bundle(session, code)
    before = bundle_dict(row)
    codes = list(dict.fromkeys(data.services))
    found = {s.code: s for s in session.scalars(select(Service).where(Service.code.in_(codes)))}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ServiceError(
            "unknown_service",
            _("Unknown service code(s): %(codes)s", codes=", ".join(unknown)),
            "services",
        )
    description = _text(data, "description")
    if description is None:
        raise ServiceError("missing", _("This field is required."), "description_zh_Hans")
    row.name = _text(data, "name")
    row.description = description
    row.life_event_id = session.scalar(select(LifeEvent.id).where(LifeEvent.key == data.life_event))
    session.execute(delete(BundleService).where(BundleService.bundle_id == row.id))
    session.execute(
        insert(BundleService),
        [
            {"bundle_id": row.id, "service_id": found[c].id, "position": i}
            for i, c in enumerate(codes)
        ],
    )
    session.flush()
    session.expire(row)
    audit.record(session, actor_id, "bundle.update", "bundle", code, before, bundle_dict(row))
    return row
