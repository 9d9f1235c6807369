"""Reading the catalog: browse by life event or department, search, service and bundle pages."""

from __future__ import annotations

import re

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from lifecycle.catalog import merged_materials  # noqa: F401  (re-exported for bundle pages)

from ..i18n import localized
from ..models import Bundle, BundleService, Department, LifeEvent, Service, service_life_event

MAX_QUERY = 100


def life_events(session: Session, audience: str | None = None) -> list[LifeEvent]:
    stmt = select(LifeEvent).order_by(LifeEvent.audience, LifeEvent.position)
    if audience:
        stmt = stmt.where(LifeEvent.audience == audience)
    return list(session.scalars(stmt))


def departments(session: Session) -> list[Department]:
    return list(session.scalars(select(Department).order_by(Department.code)))


def get_service(session: Session, code: str) -> Service | None:
    return session.scalar(
        select(Service)
        .where(Service.code == code, Service.active.is_(True))
        .options(selectinload(Service.life_events), selectinload(Service.materials))
    )


def services_for_event(session: Session, key: str) -> list[Service]:
    return list(
        session.scalars(
            select(Service)
            .join(service_life_event, service_life_event.c.service_id == Service.id)
            .join(LifeEvent, LifeEvent.id == service_life_event.c.life_event_id)
            .where(LifeEvent.key == key, Service.active.is_(True))
            .order_by(service_life_event.c.position, Service.code)
        )
    )


def services_for_department(session: Session, code: str) -> list[Service]:
    return list(
        session.scalars(
            select(Service)
            .join(Department)
            .where(Department.code == code, Service.active.is_(True))
            .order_by(Service.code)
        )
    )


def _terms(query: str) -> list[str]:
    query = (query or "").strip().lower()[:MAX_QUERY]
    return [t for t in re.split(r"[\s,，、。;；]+", query) if t]


def search(
    session: Session,
    query: str,
    life_event: str | None = None,
    audience: str | None = None,
    limit: int = 50,
) -> list[Service]:
    """Ranked search over every locale's names and descriptions.

    Works for Chinese without word segmentation: each term is matched as a substring
    (a two-character term such as 出生 is common in Chinese queries, which trigram indexes
    cannot answer). A match in the name ranks above one in the description.
    """
    terms = _terms(query)
    stmt = select(Service).where(Service.active.is_(True))
    for term in terms:
        stmt = stmt.where(Service.search_text.contains(term, autoescape=True))
    if life_event:
        stmt = stmt.where(
            Service.id.in_(
                select(service_life_event.c.service_id)
                .join(LifeEvent, LifeEvent.id == service_life_event.c.life_event_id)
                .where(LifeEvent.key == life_event)
            )
        )
    if audience in ("citizen", "enterprise"):
        stmt = stmt.where(or_(Service.audience == audience, Service.audience == "both"))
    rows = list(session.scalars(stmt.order_by(Service.code)))

    def rank(service: Service) -> tuple:
        names = " ".join(service.name.values()).lower()
        in_name = sum(1 for t in terms if t in names)
        exact = any(t == v.lower() for t in terms for v in service.name.values())
        return (-int(exact), -in_name, -service.online_level, localized(service.name))

    rows.sort(key=rank)
    return rows[:limit]


def get_bundle(session: Session, code: str) -> Bundle | None:
    return session.scalar(
        select(Bundle)
        .where(Bundle.code == code)
        .options(selectinload(Bundle.services).selectinload(BundleService.service))
    )


def bundles(session: Session) -> list[Bundle]:
    return list(session.scalars(select(Bundle).order_by(Bundle.code)))


def bundle_checklist(bundle: Bundle) -> list[tuple[dict, list[Service]]]:
    """Each material once, with the services in the bundle that need it."""
    seen: dict[int, tuple[dict, list[Service]]] = {}
    for link in bundle.services:
        for sm in link.service.materials:
            entry = seen.setdefault(sm.material.id, (sm.material.name, []))
            entry[1].append(link.service)
    return list(seen.values())
