"""Serving recommendations: the active model blended with life-cycle signals and admin rules.

``recommend_for_account(session, account, limit=10, today=None)`` and
``recommend_for_enterprise(session, enterprise, limit=10, today=None, account=None)``
return ``{"personalized": bool, "model_version": str | None, "items": [{"service_code",
"service_id", "title" (localised dict), "score", "reasons": [{"kind", "text" (localised
dict), "source"}]}]}``, ranked. Reason texts carry ``zh_Hans`` and ``en``; show them with
``i18n.localized``, which derives ``zh_Hant`` when that locale is asked for.

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
from webapp.core.clock import local_today
from webapp.enterprise.models import Enterprise
from webapp.people.models import CitizenProfile
from webapp.recommend import context as rec_context
from webapp.recommend.eligibility import order_unknowns_last, unknown_reason
from webapp.recommend.interaction_models import Interaction
from webapp.recommend.model_store import Loaded, ModelHolder
from webapp.recommend.models import RuleVersion
from webapp.recommend.partner import POSITIVE_KINDS, together_reasons, with_partner

DEFAULTS = {
    "REC_MODEL_CHECK_SECONDS": 30.0,
    "REC_CATALOG_CHECK_SECONDS": 60.0,
    # Recomputing reads every positive interaction (seconds at millions of rows) inside a
    # page request, once per worker: hourly is plenty for two years of history.
    "REC_POPULARITY_SECONDS": 3600.0,
}


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
        return float(self.config.get(key, DEFAULTS[key]))

    def reset(self) -> None:
        self.models.reset()
        self.models.check_seconds = self._setting("REC_MODEL_CHECK_SECONDS")
        self.catalog = None
        self._catalog_checked = float("-inf")
        self.view = None
        self.popularity = None
        self.rules = RuleState(None, (), BlendParams())

    # -- catalog
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
) -> dict:
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
    if view is not None:
        raw = view.model.score_user(ctx.user_id, ctx.feature_keys())
        raw, history = with_partner(session, view.model, ctx.user_id, raw)
        model_scores = raw[view.idx]
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
    )
    items_by_code = {it.code: it for it in cat.index.items}
    if history:
        recs = together_reasons(view.model, history, recs, items_by_code)
    recs = order_unknowns_last(recs, ctx.uncertain)
    unknown = unknown_reason() if ctx.uncertain & {r.code for r in recs} else None
    return {
        "personalized": bool(ctx.personalized),
        "model_version": view.model_version if view is not None else None,
        "items": [
            {
                "service_code": r.code,
                "service_id": cat.index.service_ids.get(r.code),
                "title": dict(items_by_code[r.code].title),
                "score": round(float(r.score), 4),
                "reasons": [
                    {"kind": x.kind, "text": dict(x.text), "source": x.source} for x in r.reasons
                ]
                + (
                    [{"kind": "eligibility_unknown", "text": unknown, "source": "eligibility"}]
                    if unknown and r.code in ctx.uncertain
                    else []
                ),
                "eligibility": "unknown" if r.code in ctx.uncertain else "eligible",
            }
            for r in recs
        ],
    }


def account_context(session: Session, account, today: date | None = None) -> UserContext:
    today = today or local_today()
    cat = serving_state().get_catalog(session)
    return rec_context.citizen_context(session, account, today, cat.index)


def recommend_for_account(
    session: Session,
    account,
    limit: int = 10,
    today: date | None = None,
    rules: list[Rule] | None = None,
    params: BlendParams | None = None,
):
    """The citizen's ranked recommendations with reasons (see the module docstring).

    ``rules``/``params`` replace the published rules and blend parameters (the admin
    sandbox's "after"); by default the current rule version applies.
    """
    today = today or local_today()
    ctx = account_context(session, account, today)
    return rank(session, ctx, today, limit, rules=rules, params=params)


def recommend_for_enterprise(
    session: Session,
    enterprise,
    limit: int = 10,
    today: date | None = None,
    account=None,
    rules: list[Rule] | None = None,
    params: BlendParams | None = None,
):
    """The enterprise's ranked recommendations; ``account`` is the member looking (optional)."""
    today = today or local_today()
    cat = serving_state().get_catalog(session)
    ctx = rec_context.enterprise_context(session, enterprise, today, cat.index, account=account)
    return rank(session, ctx, today, limit, rules=rules, params=params)
