"""How much each service is used: the recommender's popularity as a plain mapping, for
ranking outside the recommender (catalog search ranks by relevance, then by use)."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session

from webapp.recommend.recommendations import serving_state

_last: dict[tuple[float, str], Mapping[str, float]] = {}


def service_use(session: Session) -> Mapping[str, float]:
    """Distinct users per service code (positive interactions), cached per process with
    the recommender's popularity (refreshed with it, hourly by default)."""
    state = serving_state()
    catalog = state.get_catalog(session)
    popularity = state.get_popularity(session, catalog)
    key = (popularity.computed_at, popularity.catalog_version)
    cached = _last.get(key)
    if cached is None:
        cached = {
            item.code: float(count)
            for item, count in zip(catalog.index.items, popularity.overall, strict=True)
            if count > 0
        }
        _last.clear()
        _last[key] = cached
    return cached
