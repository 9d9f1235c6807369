"""Reading the catalog: browse by life event or department, search, service and bundle pages."""

from __future__ import annotations

import re

from sqlalchemy import or_, select
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
from webapp.core.i18n import localized

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


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _bigrams(term: str) -> list[str]:
    """Overlapping two-character pieces of a CJK term (身份证换领 → 身份, 份证, 证换, 换领)."""
    return list(dict.fromkeys(term[i : i + 2] for i in range(len(term) - 1)))


def _score(row, terms: list[str], locale: str) -> float:
    """Relevance: exact name, then name in the reader's language, then any language's
    name, then description/department/themes; ties go to services you can do online."""
    name, rest, online_level = row.name, row.search_text, row.online_level
    own_name = localized(name, locale).lower()
    names = " ".join(name.values()).lower()
    score = 0.0
    for term in terms:
        if term == own_name or any(term == v.lower() for v in name.values()):
            score += 40
        if own_name.startswith(term):
            score += 12
        if term in own_name:
            score += 10
        elif term in names:
            score += 6
        elif term in rest:
            score += 1 + min(rest.count(term), 3) * 0.5
    return score + online_level * 0.1


_RANK_COLUMNS = (Service.id, Service.name, Service.search_text, Service.online_level)


def _filtered(stmt, life_event: str | None, audience: str | None):
    stmt = stmt.where(Service.active.is_(True))
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
    return stmt


def _load(session: Session, ids: list[int]) -> list[Service]:
    by_id = {s.id: s for s in session.scalars(select(Service).where(Service.id.in_(ids)))}
    return [by_id[i] for i in ids if i in by_id]


def search(
    session: Session,
    query: str,
    life_event: str | None = None,
    audience: str | None = None,
    limit: int = 50,
    locale: str | None = None,
) -> list[Service]:
    """Ranked search over every locale's names, descriptions, departments and themes.

    Works for Chinese without word segmentation: each term is matched as a substring, so
    one- and two-character terms (出生, 社保) work — a trigram index cannot answer those.
    When nothing contains a long Chinese term as a whole (换领身份证 vs 居民身份证换领),
    the term's overlapping two-character pieces are matched instead and services sharing
    at least half of them are ranked by how many they share. Ranking reads four columns;
    only the page of results is loaded whole. See docs/architecture.md, "Search".
    """
    from webapp.core.i18n import current_locale

    locale = locale or current_locale()
    terms = _terms(query)
    stmt = _filtered(select(*_RANK_COLUMNS), life_event, audience)
    for term in terms:
        stmt = stmt.where(Service.search_text.contains(term, autoescape=True))
    rows = session.execute(stmt).all()
    if rows or not terms:
        rows.sort(key=lambda r: (-_score(r, terms, locale), localized(r.name, locale)))
        return _load(session, [r.id for r in rows[:limit]])
    # No service contains every term as written: match the terms' two-character pieces.
    pieces = [p for t in terms for p in (_bigrams(t) if _CJK.search(t) and len(t) > 2 else [t])]
    stmt = _filtered(select(*_RANK_COLUMNS), life_event, audience).where(
        or_(*(Service.search_text.contains(p, autoescape=True) for p in pieces))
    )
    scored = []
    for row in session.execute(stmt):
        shared = [p for p in pieces if p in row.search_text]
        if len(shared) * 2 >= len(pieces):
            scored.append((len(shared) * 5 + _score(row, shared, locale), row))
    scored.sort(key=lambda x: (-x[0], localized(x[1].name, locale)))
    return _load(session, [row.id for _points, row in scored[:limit]])


def get_bundle(session: Session, code: str) -> Bundle | None:
    return session.scalar(
        select(Bundle)
        .where(Bundle.code == code)
        .options(selectinload(Bundle.services).selectinload(BundleService.service))
    )


def bundles(session: Session) -> list[Bundle]:
    return list(session.scalars(select(Bundle).order_by(Bundle.code)))
