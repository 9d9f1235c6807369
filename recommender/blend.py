"""Blending: model score + life-cycle signals + rules, then filters, pins and diversity.

``score = w_model·norm(model) + w_life·lifecycle_signal + w_popularity·norm(popularity)
+ Σ rule boosts − Σ rule buries``; then hides, dismissals, audience and eligibility
filters; then pins at their positions; then at most ``diversity_cap`` items per theme
(items over the cap move below the others rather than disappearing). Every result carries
reasons naming the data they came from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .context import ItemMeta, LifecycleSignal, Reason, Recommendation, UserContext
from .features import region_words, segment_words
from .rules import Rule
from .scales import NORMALIZATIONS, normalize

if TYPE_CHECKING:
    from .cold import ColdBlend

NON_PERSONALISED = {"zh_Hans": "非个性化推荐", "en": "non-personalised ranking"}


@dataclass(frozen=True)
class BlendParams:
    """Blend weights. ``w_life`` weighs signals of current life events and open duties,
    ``w_life_next`` those of upcoming events (strength 1 when the event's need window
    opens now, falling linearly to 0 at 120 days ahead — the scale the defaults were
    tuned for); ``normalization`` is how the model score is
    put on a common scale (``rank``: percentile rank, ``zscore``, ``minmax``) and
    ``pop_normalization`` the same for popularity (``log``: min-max of log(1 + count))."""

    # defaults chosen for the served model (z(LightFM) + w·z(EASE)) on time-based
    # validation folds of the synthetic benchmark's training data (bench/recommender_blend.py,
    # bench/README.md); users without history have weights of their own (cold.ColdBlend)
    w_model: float = 1.0
    w_life: float = 0.35
    w_popularity: float = 0.4
    diversity_cap: int = 3
    model_reason_threshold: float = 0.6  # norm(model) above which "similar users" is a reason
    popular_reason_threshold: float = 0.6
    w_life_next: float = 0.5
    normalization: str = "rank"
    pop_normalization: str = "log"
    # An open or imminent duty (from the duty rules, with its legal due date) is a fact the
    # person must act on, not a guess: it weighs on top of the life-cycle signal so it
    # outranks what similar users merely often use. Not tuned on the synthetic benchmark,
    # which has no duties; set by the product rule "what is due comes first".
    w_duty: float = 1.0

    def __post_init__(self) -> None:
        for name in ("normalization", "pop_normalization"):
            if getattr(self, name) not in NORMALIZATIONS:
                raise ValueError(f"{name} must be one of {', '.join(NORMALIZATIONS)}")


def blend_scores(
    model: np.ndarray | None,
    life: np.ndarray | None,
    popularity: np.ndarray | None,
    params: BlendParams,
    life_next: np.ndarray | None = None,
    duty: np.ndarray | None = None,
) -> np.ndarray:
    """The blended score before rules (vectorised: rows are users), used by serving and evaluation.

    ``life`` holds the strengths (0–1) of current life events and duties, ``life_next``
    those of upcoming events, ``duty`` those of the person's duties alone (weighed again
    with ``w_duty``).
    """
    parts = [a for a in (model, life, popularity, life_next) if a is not None]
    if not parts:
        raise ValueError("nothing to blend")
    shape = np.broadcast_shapes(*(np.shape(a) for a in parts))
    out = np.zeros(shape, dtype=np.float32)
    if model is not None and params.w_model:
        out += params.w_model * normalize(model, params.normalization)
    if life is not None and params.w_life:
        out += params.w_life * np.clip(np.nan_to_num(life), 0.0, 1.0)
    if life_next is not None and params.w_life_next:
        out += params.w_life_next * np.clip(np.nan_to_num(life_next), 0.0, 1.0)
    if popularity is not None and params.w_popularity:
        out += params.w_popularity * normalize(popularity, params.pop_normalization)
    if duty is not None and params.w_duty:
        out += params.w_duty * np.clip(np.nan_to_num(duty), 0.0, 1.0)
    return out


class Catalog:
    """Items with indexes built once, so rules and filters cost array look-ups per page."""

    def __init__(self, items: Sequence[ItemMeta]):
        self.items = list(items)
        self.codes = [it.code for it in self.items]
        self.index = {c: i for i, c in enumerate(self.codes)}
        self._by: dict[str, dict[str, list[int]]] = {
            "themes": {},
            "life_events": {},
            "departments": {},
        }
        for i, it in enumerate(self.items):
            for t in it.themes:
                self._by["themes"].setdefault(t, []).append(i)
            for e in it.life_events:
                self._by["life_events"].setdefault(e, []).append(i)
            self._by["departments"].setdefault(it.department, []).append(i)
        n = len(self.items)
        self.audience = np.array([it.audience for it in self.items], dtype=object)
        el = [it.eligibility or {} for it in self.items]
        self.age_min = np.array(
            [e.get("age_min", -1) if e.get("age_min") is not None else -1 for e in el], float
        )
        self.age_max = np.array(
            [e.get("age_max", 999) if e.get("age_max") is not None else 999 for e in el], float
        )
        self.gender = np.array([e.get("gender") or "" for e in el], dtype=object)
        self.region_prefix = np.array([e.get("region_prefix") or "" for e in el], dtype=object)
        self.has_region = np.flatnonzero(self.region_prefix != "")
        self._rule_cache: dict[Rule, np.ndarray] = {}
        self.n = n

    def __len__(self) -> int:
        return self.n

    def target_mask(self, rule: Rule) -> np.ndarray:
        mask = self._rule_cache.get(rule)
        if mask is None:
            mask = np.zeros(self.n, dtype=bool)
            t = rule.targets
            for c in t.services:
                if c in self.index:
                    mask[self.index[c]] = True
            for key, values in (
                ("themes", t.themes),
                ("life_events", t.life_events),
                ("departments", t.departments),
            ):
                for v in values:
                    mask[self._by[key].get(v, [])] = True
            self._rule_cache[rule] = mask
        return mask

    def allowed(self, ctx: UserContext) -> np.ndarray:
        """Audience, eligibility and dismissals: what may be shown to ``ctx`` at all."""
        ok = (self.audience == ctx.audience) | (self.audience == "both")
        if ctx.age is not None:
            ok &= (self.age_min <= ctx.age) & (ctx.age <= self.age_max)
        if ctx.gender:
            ok &= (self.gender == "") | (self.gender == ctx.gender)
        for i in self.has_region:
            if not (ctx.region_code or "").startswith(self.region_prefix[i]):
                ok[i] = False
        for code in ctx.dismissed:
            i = self.index.get(code)
            if i is not None:
                ok[i] = False
        return ok


def _signals(
    ctx: UserContext, catalog: Catalog
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[int, LifecycleSignal]]:
    """Strengths of current (and duty) signals, of upcoming-event signals, of duty signals
    alone, and the signals."""
    life = np.zeros(len(catalog), dtype=np.float32)
    nxt = np.zeros(len(catalog), dtype=np.float32)
    duty = np.zeros(len(catalog), dtype=np.float32)
    by_index: dict[int, LifecycleSignal] = {}
    for code, sig in ctx.lifecycle_signals.items():
        i = catalog.index.get(code)
        if i is not None:
            target = nxt if sig.timing == "next" else life
            target[i] = max(target[i], float(sig.strength))
            if sig.kind == "duty":
                duty[i] = max(duty[i], float(sig.strength))
            by_index[i] = sig
    return life, nxt, duty, by_index


def recommend(
    ctx: UserContext,
    items: Catalog | Sequence[ItemMeta],
    today: dt.date,
    model_scores: np.ndarray | None = None,
    rules: Sequence[Rule] = (),
    params: BlendParams | None = None,
    popularity: np.ndarray | None = None,
    region_popularity: np.ndarray | None = None,
    limit: int = 10,
    cold_blend: ColdBlend | None = None,
    has_history: bool = True,
) -> list[Recommendation]:
    """Rank the catalog for ``ctx``. Arrays are aligned with the catalog's item order.

    ``model_scores`` come from ``HybridModel.score_items`` for ``ctx.feature_keys()``;
    ``popularity`` is the global usage count, ``region_popularity`` the count in the
    user's region. With ``ctx.personalized`` false, only popularity and rules with an
    empty segment are used, and every reason says the ranking is not personalised. For a
    user without history (no interactions in the model) the caller passes the model's
    ``cold_blend``: its weights replace ``params``' life-cycle and popularity weights, and
    ``has_history=False``: with no features either, nothing is known that would make
    "used by people like you" true, so the reason given is popularity.
    """
    params = params or BlendParams()
    if cold_blend is not None:
        params = cold_blend.apply(params)
    catalog = items if isinstance(items, Catalog) else Catalog(items)
    n = len(catalog)
    eff = ctx.effective()
    personal = ctx.personalized

    if personal:
        life, life_next, duty, sigs = _signals(ctx, catalog)
        pop = (
            region_popularity if (region_popularity is not None and eff.region_code) else popularity
        )
        pop_is_regional = pop is region_popularity and pop is not None
        model = model_scores if model_scores is not None and len(model_scores) == n else None
        score = blend_scores(model, life, pop, params, life_next, duty)
        model_norm = normalize(model) if model is not None else None  # for reasons: min-max
        active = [r for r in rules if r.matches_user(ctx, today)]
    else:
        sigs, model_norm, pop_is_regional = {}, None, False
        pop = popularity
        score = (
            normalize(pop, params.pop_normalization)
            if pop is not None
            else np.zeros(n, dtype=np.float32)
        )
        active = [r for r in rules if r.active_on(today) and r.segment.is_empty()]
    pop_norm = normalize(pop) if pop is not None else None

    allowed = catalog.allowed(ctx)
    rule_hits: dict[int, list[Rule]] = {}
    pins: list[Rule] = []
    for rule in sorted(active, key=lambda r: (-r.priority, r.id)):
        mask = catalog.target_mask(rule)
        if rule.action == "boost":
            score = score + rule.weight * mask
        elif rule.action == "bury":
            score = score - rule.weight * mask
        elif rule.action == "hide":
            allowed = allowed & ~mask
        else:
            pins.append(rule)
        if rule.action in ("boost", "pin"):
            for i in np.flatnonzero(mask):
                rule_hits.setdefault(int(i), []).append(rule)

    candidates = np.flatnonzero(allowed)
    order = candidates[np.lexsort((candidates, -score[candidates]))]

    pinned: dict[int, int] = {}  # position (0-based) -> item index
    placed: set[int] = set()
    for rule in pins:
        pos = (rule.position or 1) - 1
        for i in order[catalog.target_mask(rule)[order]]:
            i = int(i)
            if i in placed:
                continue
            while pos in pinned:
                pos += 1
            pinned[pos] = i
            placed.add(i)
            pos += 1

    cap = params.diversity_cap
    counts: dict[str, int] = {}
    for i in placed:
        for t in set(catalog.items[i].themes):
            counts[t] = counts.get(t, 0) + 1
    accepted: list[int] = []
    deferred: list[int] = []
    need = limit
    for i in order:
        i = int(i)
        if i in placed:
            continue
        themes = set(catalog.items[i].themes)
        if cap and any(counts.get(t, 0) >= cap for t in themes):
            deferred.append(i)
            continue
        for t in themes:
            counts[t] = counts.get(t, 0) + 1
        accepted.append(i)
        if len(accepted) >= need:
            break
    rest = iter(accepted + deferred)
    final: list[int] = []
    while len(final) < limit:
        if len(final) in pinned:
            final.append(pinned[len(final)])
            continue
        nxt = next(rest, None)
        if nxt is None:
            # pins further down than the list is long still land, right after the rest
            final.extend(
                pinned[p] for p in sorted(pinned) if p > len(final) and pinned[p] not in final
            )
            break
        final.append(nxt)
    final = final[:limit]

    seg = segment_words(eff.feature_keys()) if personal else None
    knows_user = has_history or bool(eff.feature_keys())
    region = region_words(eff.region_code) if pop_is_regional and eff.region_code else None
    out: list[Recommendation] = []
    for i in final:
        rs: list[Reason] = []
        if personal:
            sig = sigs.get(i)
            if sig is not None and sig.strength > 0:
                rs.append(Reason(sig.kind, dict(sig.reason), sig.source))
        for rule in rule_hits.get(i, []):
            rs.append(Reason("rule", rule.reason_text(not personal), f"rule:{rule.id}"))
        if (
            personal
            and knows_user
            and model_norm is not None
            and (model_norm[i] >= params.model_reason_threshold or not rs)
        ):
            rs.append(Reason("similar_users", _similar_text(seg), "model:interactions"))
        if pop_norm is not None and (pop_norm[i] >= params.popular_reason_threshold or not rs):
            rs.append(Reason("popular", _popular_text(region, personal), "usage_statistics"))
        if not rs:
            rs.append(Reason("popular", _popular_text(None, personal), "catalog"))
        out.append(Recommendation(catalog.codes[i], float(score[i]), rs))
    return out


def _similar_text(seg: dict[str, str] | None) -> dict[str, str]:
    if seg is None:
        return {
            "zh_Hans": "与您兴趣相近的用户常用",
            "en": "often used by people with similar interests",
        }
    return {"zh_Hans": f"{seg['zh_Hans']}常用", "en": f"often used by {seg['en']}"}


def _popular_text(region: dict[str, str] | None, personal: bool) -> dict[str, str]:
    if not personal:
        return {
            "zh_Hans": f"全体用户常用（{NON_PERSONALISED['zh_Hans']}）",
            "en": f"popular with all users ({NON_PERSONALISED['en']})",
        }
    if region is not None:
        return {"zh_Hans": f"{region['zh_Hans']}热门服务", "en": f"popular in {region['en']}"}
    return {"zh_Hans": "热门服务", "en": "popular with all users"}
