"""The recommender benchmark's serving latency: one user over the catalog with rules and
reasons (see ``bench/recommender.py``)."""

from __future__ import annotations

import datetime as dt
import time

import numpy as np

from recommender.blend import BlendParams, Catalog, recommend
from recommender.cold import ColdMix
from recommender.context import LifecycleSignal, UserContext
from recommender.ease import partner_blend
from recommender.model import HybridModel
from recommender.rules import Rule, Segment, Targets
from recommender.synthetic import (
    CITIZEN_THEMES,
    synthetic_items,
)


def serving(model: HybridModel, n_items: int, requests: int) -> None:
    items = synthetic_items(n_items, seed=1)
    catalog = Catalog(items)
    model.add_items({})
    rng = np.random.default_rng(0)
    rules = [
        Rule(
            id=str(k),
            name=f"rule {k}",
            action=("boost", "bury", "pin", "hide")[k % 4],
            weight=0.3,
            position=2 if k % 4 == 2 else None,
            targets=Targets(
                themes=(CITIZEN_THEMES[k % len(CITIZEN_THEMES)],) if k % 4 != 2 else (),
                services=(items[int(rng.integers(0, n_items))].code,) if k % 4 == 2 else (),
            ),
            segment=Segment(age_min=18 + k),
        )
        for k in range(20)
    ]
    pop = rng.random(n_items)
    users = model.users.ids
    idx = np.array([model.items.get(c) for c in catalog.codes])  # once, as the web app's view
    choice = (model.selection or {}).get("choice") or {}
    mix = ColdMix(tuple(choice.get("cold_weights", (1.0, 0.0, 0.0, 0.0))))
    lat: list[float] = []
    cpu: list[float] = []
    today = dt.date(2026, 1, 1)
    for r in range(requests):
        uid = users[int(rng.integers(0, len(users)))] if r % 5 else None
        signals = {
            items[int(rng.integers(0, n_items))].code: LifecycleSignal(
                0.9, {"zh_Hans": "孩子出生", "en": "your child was born"}, "household"
            )
            for _ in range(5)
        }
        signals.update(
            {
                items[int(rng.integers(0, n_items))].code: LifecycleSignal(
                    0.6,
                    {"zh_Hans": "孩子将满 6 岁", "en": "your child turns 6 soon"},
                    "household",
                    timing="next",
                )
                for _ in range(5)
            }
        )
        ctx = UserContext(
            user_id=uid,
            age=int(rng.integers(18, 80)),
            gender="female",
            region_code="440100",
            life_stages_current=("childbirth", "work"),
            life_stages_next=("education",),
            child_ages=(0, 5),
            employment="employed",
            lifecycle_signals=signals,
            dismissed={items[3].code},
        )
        t, c = time.perf_counter(), time.thread_time()
        scores = model.score_items(ctx.user_id, ctx.feature_keys(), catalog.codes)
        if uid is None and model.cold_tables is not None:  # without history: the cold mix
            row = model.score_user(None, ctx.feature_keys())
            scores = model.cold_tables.score(mix, ctx.feature_keys(), row)[idx]
        if uid is not None and model.ease is not None:
            used = rng.choice(n_items, 12, replace=False)
            ease = model.ease.score_history(used)[idx]
            scores = partner_blend(scores, ease, model.ease_weight or 1.0)
        recs = recommend(ctx, catalog, today, scores, rules, BlendParams(), pop, pop, limit=10)
        lat.append((time.perf_counter() - t) * 1000)
        cpu.append((time.thread_time() - c) * 1000)
        assert recs and all(rec.reasons for rec in recs)
    lat_arr, cpu_arr = np.array(lat[10:]), np.array(cpu[10:])
    cold_lat = np.array(lat[10:][::5]) if model.cold_tables is not None else None
    print(
        f"serving: one user over {n_items} services with {len(rules)} rules and reasons, {requests} requests: "
        f"wall p50 {np.percentile(lat_arr, 50):.2f} ms, p95 {np.percentile(lat_arr, 95):.2f} ms; "
        f"CPU (thread time) p50 {np.percentile(cpu_arr, 50):.2f} ms, p95 {np.percentile(cpu_arr, 95):.2f} ms"
    )
    if cold_lat is not None:
        print(
            f"  of which users without history (cold mix, every 5th request): wall p50 "
            f"{np.percentile(cold_lat, 50):.2f} ms, p95 {np.percentile(cold_lat, 95):.2f} ms"
        )
