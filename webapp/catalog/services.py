"""Reading the catalog: browse by life event or department, search, service and bundle pages."""

from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, selectinload

from lifecycle.catalog import merged_materials  # noqa: F401  (re-exported for bundle pages)
from webapp.catalog.models import (
    Bundle,
    BundleService,
    Department,
    LifeEvent,
    Service,
    service_life_event,
)

MAX_QUERY = 100  # characters of a search query


def life_events(session: Session, audience: str | None = None) -> list[LifeEvent]:
    stmt = select(LifeEvent).order_by(LifeEvent.audience, LifeEvent.position)
    if audience:
        stmt = stmt.where(LifeEvent.audience == audience)
    return list(session.scalars(stmt))


def departments(session: Session) -> list[Department]:
    """Departments in a sensible order: those serving mainly citizens first, then those
    serving mainly enterprises; within each, those with more services first. Derived from
    the catalog, so a new department or service finds its place."""
    counts = {
        dep_id: (total, citizen or 0)
        for dep_id, total, citizen in session.execute(
            select(
                Service.department_id,
                func.count(Service.id),
                func.sum(case((Service.audience == "enterprise", 0), else_=1)),
            )
            .where(Service.active.is_(True))
            .group_by(Service.department_id)
        )
    }

    def key(dep: Department) -> tuple:
        total, citizen = counts.get(dep.id, (0, 0))
        return (total == 0 or citizen * 2 < total, -total, dep.code)

    return sorted(session.scalars(select(Department)), key=key)


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


def search(
    session: Session,
    query: str,
    life_event: str | None = None,
    audience: str | None = None,
    limit: int = 50,
) -> list[Service]:
    """Services matching ``query`` best first (see :mod:`webapp.catalog.search`); with an
    empty query, the services of the filters, those done online first."""
    from webapp.catalog.search import find

    return [f.service for f in find(session, query, life_event, audience, limit)]


def get_bundle(session: Session, code: str) -> Bundle | None:
    return session.scalar(
        select(Bundle)
        .where(Bundle.code == code)
        .options(selectinload(Bundle.services).selectinload(BundleService.service))
    )


def bundles(session: Session, enterprise_first: bool = False) -> list[Bundle]:
    """Every bundle along the life course: citizens' from birth to death, then the
    enterprise life cycle from opening to closing (the other way round with
    ``enterprise_first``, for business users); within a life event, in catalog order."""
    rows = session.execute(
        select(Bundle, LifeEvent.audience, LifeEvent.position).outerjoin(
            LifeEvent, LifeEvent.id == Bundle.life_event_id
        )
    ).all()

    def key(row) -> tuple:
        bundle, audience, position = row
        first = "enterprise" if enterprise_first else "citizen"
        return (audience != first, position if position is not None else 99, bundle.id)

    return [row[0] for row in sorted(rows, key=key)]
