"""Serving recommendations: the active model blended with life-cycle signals and admin rules.

``rank(session, ctx, today, limit)`` ranks the catalog for a ``UserContext`` and returns a
``results.Ranking``; callers use ``ranking.recommend`` (the feature's entry point). Reason
texts carry ``zh_Hans`` and ``en``; views show them with ``i18n.localized``, which derives
``zh_Hant`` when that locale is asked for.

Per process (and per app) the serving state is cached: the active model (``ModelHolder``:
checked at most every ``REC_MODEL_CHECK_SECONDS``, loaded outside the lock, swapped with
one assignment), the catalog as ``recommender.blend.Catalog`` (rebuilt when the catalog
version changes, checked every ``REC_CATALOG_CHECK_SECONDS``), the item-aligned scoring
view of the model for that catalog, global and regional popularity (recomputed every
``REC_POPULARITY_SECONDS``) and the parsed rules of the current rule version (re-parsed
when the current version changes). A page view costs the user's rows (profile, household,
consents, tags, duties, dismissals), one look-up of the current rule version and one dot
product.
"""

from __future__ import annotations

import copy
import threading
import time
from dataclasses import dataclass
from datetime import date

import numpy as np
from flask import current_app, has_app_context
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from recommender.blend import BlendParams, Catalog, recommend
from recommender.context import UserContext
from recommender.features import item_features
from recommender.model import HybridModel
from recommender.rules import Rule
from webapp.enterprise.models import Enterprise
from webapp.people.models import CitizenProfile
from webapp.recommend import context as rec_context
from webapp.recommend.eligibility import order_unknowns_last, unknown_reason
from webapp.recommend.interaction_models import Interaction
from webapp.recommend.model_store import Loaded, ModelHolder
from webapp.recommend.models import RuleVersion
from webapp.recommend.partner import (
    POSITIVE_KINDS,
    cold_blend_for,
    cold_mix_score,
    together_reasons,
    with_partner,
)
from webapp.recommend.results import RankedService, Ranking, Reason


@dataclass(frozen=True)
class CatalogState:
    index: rec_context.CatalogIndex
    catalog: Catalog


@dataclass(frozen=True)
class ScoringView:
    """The model with every catalog item known (cold items from their features)."""

    model_version: str
    catalog_version: str
    model: HybridModel
    idx: np.ndarray  # catalog position → model item index


@dataclass(frozen=True)
class Popularity:
    computed_at: float
    catalog_version: str
    overall: np.ndarray
    by_region: dict[str, np.ndarray]


@dataclass(frozen=True)
class RuleState:
    version_id: int | None
    rules: tuple[Rule, ...]
    params: BlendParams


class ServingState:
    """Everything a process caches to serve recommendations; each part swapped whole."""

    def __init__(self, config):
        self.config = config
        self.models = ModelHolder(self._setting("REC_MODEL_CHECK_SECONDS"))
        self._lock = threading.Lock()
        self.catalog: CatalogState | None = None
        self._catalog_checked = float("-inf")
        self.view: ScoringView | None = None
        self.popularity: Popularity | None = None
        self.rules: RuleState = RuleState(None, (), BlendParams())

    def _setting(self, key: str) -> float:
        # REC_POPULARITY_SECONDS: recomputing reads every positive interaction (seconds at
        # millions of rows) inside a page request, once per worker: hourly is plenty.
        return float(self.config[key])

    def reset(self) -> None:
        self.models.reset()
        self.models.check_seconds = self._setting("REC_MODEL_CHECK_SECONDS")
        self.catalog = None
        self._catalog_checked = float("-inf")
        self.view = None
        self.popularity = None
        self.rules = RuleState(None, (), BlendParams())

    # -- catalog
    def recheck_catalog(self) -> None:
        self._catalog_checked = float("-inf")

    def get_catalog(self, session: Session) -> CatalogState:
        state = self.catalog
        now = time.monotonic()
        if state is not None and now - self._catalog_checked < self._setting(
            "REC_CATALOG_CHECK_SECONDS"
        ):
            return state
        self._catalog_checked = now
        if state is not None and rec_context.catalog_version(session) == state.index.version:
            return state
        index = rec_context.load_catalog(session)
        state = CatalogState(index, Catalog(index.items))
        self.catalog = state
        return state

    # -- model
    def get_view(self, session: Session, cat: CatalogState) -> ScoringView | None:
        self.models.check_seconds = self._setting("REC_MODEL_CHECK_SECONDS")
        loaded = self.models.current(session)
        if loaded is None:
            return None
        view = self.view
        if (
            view is not None
            and view.model_version == loaded.version
            and view.catalog_version == cat.index.version
        ):
            return view
        view = build_view(loaded, cat.index)
        self.view = view
        return view

    # -- popularity
    def get_popularity(self, session: Session, cat: CatalogState) -> Popularity:
        pop = self.popularity
        if (
            pop is not None
            and pop.catalog_version == cat.index.version
            and time.monotonic() - pop.computed_at < self._setting("REC_POPULARITY_SECONDS")
        ):
            return pop
        pop = compute_popularity(session, cat.index)
        self.popularity = pop
        return pop

    # -- rules
    def get_rules(self, session: Session) -> RuleState:
        current = session.execute(
            select(RuleVersion.id).where(RuleVersion.is_current).order_by(RuleVersion.id.desc())
        ).first()
        current_id = current[0] if current else None
        state = self.rules
        if state.version_id == current_id:
            return state
        if current_id is None:
            state = RuleState(None, (), BlendParams())
        else:
            row = session.get(RuleVersion, current_id)
            state = RuleState(
                current_id,
                tuple(rec_context.parse_rules(row.rules or [])),
                rec_context.blend_params_from(row.blend_params),
            )
        self.rules = state
        return state


def build_view(loaded: Loaded, index: rec_context.CatalogIndex) -> ScoringView:
    model = copy.copy(loaded.model)  # add_items rebinds attributes: the original stays as is
    model.add_items(
        {
            it.code: item_features(
                it.department, it.themes, it.life_events, it.audience, it.online_level
            )
            for it in index.items
        }
    )
    idx = np.array([model.items.get(it.code) for it in index.items], dtype=np.int64)
    return ScoringView(loaded.version, index.version, model, idx)


def compute_popularity(session: Session, index: rec_context.CatalogIndex) -> Popularity:
    """Distinct users per service (positive interactions), overall and per city."""
    pos = {code: i for i, code in enumerate(it.code for it in index.items)}
    by_id = {sid: pos[code] for code, sid in index.service_ids.items()}
    n = len(index.items)
    overall = np.zeros(n, dtype=np.float32)
    by_region: dict[str, np.ndarray] = {}
    users = func.count(func.distinct(Interaction.account_id))
    positive = Interaction.kind.in_(POSITIVE_KINDS)
    for sid, count in session.execute(
        select(Interaction.service_id, users).where(positive).group_by(Interaction.service_id)
    ):
        if sid in by_id:
            overall[by_id[sid]] = count
    citizen_rows = session.execute(
        select(CitizenProfile.region_code, Interaction.service_id, users)
        .join(CitizenProfile, CitizenProfile.account_id == Interaction.account_id)
        .where(positive, Interaction.enterprise_id.is_(None))
        .group_by(CitizenProfile.region_code, Interaction.service_id)
    )
    enterprise_rows = session.execute(
        select(Enterprise.region_code, Interaction.service_id, users)
        .join(Enterprise, Enterprise.id == Interaction.enterprise_id)
        .where(positive)
        .group_by(Enterprise.region_code, Interaction.service_id)
    )
    for rows in (citizen_rows, enterprise_rows):
        for region, sid, count in rows:
            city = rec_context.city_region(region)
            if not city or sid not in by_id:
                continue
            arr = by_region.setdefault(city, np.zeros(n, dtype=np.float32))
            arr[by_id[sid]] += count
    return Popularity(time.monotonic(), index.version, overall, by_region)


def serving_state() -> ServingState:
    app = current_app._get_current_object()
    state = app.extensions.get("recommendations")
    if state is None:
        state = app.extensions.setdefault("recommendations", ServingState(app.config))
    return state


def reload_model() -> None:
    """Check the active model version at the next request (after an admin activation)."""
    if has_app_context():
        serving_state().models.recheck()


def recheck() -> None:
    """Look at the active model and the catalog version at the next ranking, whatever
    their check intervals (a page rebuilt because either changed ranks with the new one)."""
    if has_app_context():
        state = serving_state()
        state.models.recheck()
        state.recheck_catalog()


def reset_caches() -> None:
    """Forget the cached model, catalog, popularity and rules (tests, admin actions)."""
    if has_app_context():
        serving_state().reset()


# ---------------------------------------------------------------------- ranking
def rank(
    session: Session,
    ctx: UserContext,
    today: date,
    limit: int = 10,
    rules: list[Rule] | tuple[Rule, ...] | None = None,
    params: BlendParams | None = None,
) -> Ranking:
    """Rank the catalog for ``ctx``. ``rules``/``params`` override the published ones (preview)."""
    state = serving_state()
    cat = state.get_catalog(session)
    if rules is None or params is None:
        published = state.get_rules(session)
        rules = published.rules if rules is None else rules
        params = published.params if params is None else params
    view = state.get_view(session, cat) if ctx.personalized else None
    pop = state.get_popularity(session, cat)
    model_scores = None
    history: list[int] = []
    cold_blend = None
    if view is not None:
        features = ctx.feature_keys()
        raw = view.model.score_user(ctx.user_id, features)
        raw = cold_mix_score(view.model, ctx.user_id, features, raw)
        raw, history = with_partner(session, view.model, ctx.user_id, raw)
        model_scores = raw[view.idx]
        cold_blend = cold_blend_for(view.model, ctx.user_id)
    region = ctx.effective().region_code
    recs = recommend(
        ctx,
        cat.catalog,
        today,
        model_scores=model_scores,
        rules=list(rules),
        params=params,
        popularity=pop.overall,
        region_popularity=pop.by_region.get(region) if region else None,
        limit=limit,
        cold_blend=cold_blend,
        has_history=view is not None and view.model.users.get(str(ctx.user_id)) >= 0,
    )
    items_by_code = {it.code: it for it in cat.index.items}
    if history:
        recs = together_reasons(view.model, history, recs, items_by_code)
    recs = order_unknowns_last(recs, ctx.uncertain)
    unknown = unknown_reason() if ctx.uncertain & {r.code for r in recs} else None
    source = "model" if view is not None else "blend"
    return Ranking(
        items=tuple(
            RankedService(
                service_code=r.code,
                service_id=cat.index.service_ids.get(r.code),
                title=dict(items_by_code[r.code].title),
                score=round(float(r.score), 4),
                reasons=tuple(Reason(x.kind, dict(x.text), x.source) for x in r.reasons)
                + (
                    (Reason("eligibility_unknown", dict(unknown), "eligibility"),)
                    if unknown and r.code in ctx.uncertain
                    else ()
                ),
                source=source,
                eligibility="unknown" if r.code in ctx.uncertain else "eligible",
            )
            for r in recs
        ),
        personalized=bool(ctx.personalized),
        model_version=view.model_version if view is not None else None,
    )
