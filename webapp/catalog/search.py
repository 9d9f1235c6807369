"""Catalog search in the web app: ``lifecycle.catalog.search`` over the database's catalog.

The index is built once per process and catalog version (the number of active services,
their latest ``updated_at`` and the number of departments): a catalog load, an import or
an admin edit moves the version, and the next search in every process rebuilds. Results
are ranked by relevance, then by use: the recommender's count of distinct users per
service, cached per process (``webapp.recommend.service_use``).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from lifecycle.catalog.aliases import all_aliases
from lifecycle.catalog.search import SearchDocument, SearchHit, SearchIndex
from webapp.catalog.models import (
    BundleService,
    Department,
    LifeEvent,
    Service,
    service_life_event,
)
from webapp.core.i18n import current_locale, localized, to_traditional

MAX_QUERY = 100
log = logging.getLogger(__name__)
_EXTENSION = "catalog_search"
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_build_lock = threading.Lock()


@dataclass(frozen=True)
class Found:
    """One search result: the service row and, when it was found by another name
    (驾照 for 机动车驾驶证申领), that name in the reader's script."""

    service: Service
    hit: SearchHit | None  # None when listing without a query
    also_called: str | None
    also_called_lang: str | None = None  # its HTML lang when not the page's language


@dataclass(frozen=True)
class _Built:
    version: str
    index: SearchIndex


def catalog_version(session: Session) -> str:
    """Moves with every catalog load, import and admin edit of a service, a department or a
    bundle (one statement). The search index and the recommender's catalog follow it."""
    departments = select(func.count(Department.id)).scalar_subquery()
    bundles = select(func.count()).select_from(BundleService).scalar_subquery()
    count, latest, deps, bundled = session.execute(
        select(func.count(Service.id), func.max(Service.updated_at), departments, bundles).where(
            Service.active
        )
    ).one()
    if latest is not None and not isinstance(latest, str):
        latest = latest.isoformat()
    return f"{count}:{latest or '-'}:{deps}:{bundled}"


def documents(session: Session) -> list[SearchDocument]:
    """Every active service as the engine sees it (one query)."""
    rows = session.execute(
        select(
            Service.code,
            Service.name,
            Service.aliases,
            Service.description,
            Service.themes,
            Service.online_level,
            Department.name,
        )
        .join(Department, Department.id == Service.department_id)
        .where(Service.active.is_(True))
        .order_by(Service.code)
    )
    return [
        SearchDocument(
            code=code,
            names=tuple(v for v in (name or {}).values() if v),
            aliases=all_aliases(aliases or {}),
            descriptions=tuple(v for v in (description or {}).values() if v),
            departments=tuple(v for v in (department or {}).values() if v),
            themes=tuple(t.replace("_", " ") for t in themes or ()),
            online_level=online_level,
        )
        for code, name, aliases, description, themes, online_level, department in rows
    ]


def search_index(session: Session) -> SearchIndex:
    """The process's index for the current catalog version (built when it moved)."""
    version = catalog_version(session)
    built: _Built | None = current_app.extensions.get(_EXTENSION)
    if built is not None and built.version == version:
        return built.index
    with _build_lock:
        built = current_app.extensions.get(_EXTENSION)
        if built is None or built.version != version:
            built = _Built(version, SearchIndex(documents(session)))
            current_app.extensions[_EXTENSION] = built
    return built.index


def reset_index() -> None:
    """Forget the process's index (the next search rebuilds it)."""
    current_app.extensions.pop(_EXTENSION, None)


def _allowed_codes(session: Session, life_event: str | None, audience: str | None):
    if not life_event and audience not in ("citizen", "enterprise"):
        return None
    stmt = select(Service.code).where(Service.active.is_(True))
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
    return set(session.scalars(stmt))


def _use(session: Session) -> Mapping[str, float]:
    """Uses per service; search still answers (by relevance alone) if they are unavailable."""
    from webapp import recommend

    try:
        return recommend.service_use(session)
    except Exception:  # popularity only orders results: never fail a search for it
        log.exception("service use unavailable; ranking search results by relevance only")
        return {}


def find(
    session: Session,
    query: str,
    life_event: str | None = None,
    audience: str | None = None,
    limit: int = 50,
    popularity: Mapping[str, float] | None = None,
) -> list[Found]:
    """Services matching ``query`` (colloquial names, pinyin, 简/繁), best first.

    An empty query lists the services of the filters, those done online first, by name.
    """
    only = _allowed_codes(session, life_event, audience)
    if not (query or "").strip():
        return _browse(session, only, limit)
    index = search_index(session)
    if popularity is None:
        popularity = _use(session)
    hits = index.search(query[:MAX_QUERY], popularity=popularity, only=only, limit=limit)
    if not hits:
        return []
    rows = {
        s.code: s
        for s in session.scalars(select(Service).where(Service.code.in_([h.code for h in hits])))
    }
    locale = current_locale()
    found = []
    for hit in hits:
        if hit.code in rows:
            alias = _also_called(rows[hit.code], hit, locale)
            found.append(Found(rows[hit.code], hit, alias, _lang_if_foreign(alias, locale)))
    return found


def _browse(session: Session, only: set[str] | None, limit: int) -> list[Found]:
    stmt = select(Service).where(Service.active.is_(True))
    if only is not None:
        stmt = stmt.where(Service.code.in_(only))
    locale = current_locale()
    rows = sorted(session.scalars(stmt), key=lambda s: (-s.online_level, localized(s.name, locale)))
    return [Found(s, None, None) for s in rows[:limit]]


def service_aliases(service: Service, locale: str | None = None) -> list[str]:
    """The service's colloquial names in the reader's language."""
    return list((service.aliases or {}).get(locale or current_locale(), ()))


def _lang_if_foreign(text: str | None, locale: str) -> str | None:
    if not text:
        return None
    chinese = bool(_CJK.search(text))
    if chinese and locale == "en":
        return "zh-Hans"
    if not chinese and locale != "en":
        return "en"
    return None


def _also_called(service: Service, hit: SearchHit, locale: str) -> str | None:
    """The colloquial name that matched (not shown when a name matched)."""
    if not (hit.matched_alias and hit.matched_text):
        return None
    if locale == "zh_Hant":
        return to_traditional(hit.matched_text)
    return hit.matched_text
