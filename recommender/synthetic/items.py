"""Synthetic services and the item features of a catalog."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from recommender.context import ItemMeta
from recommender.dataset import FeatureTable
from recommender.features import item_features
from recommender.synthetic.vocabulary import (
    CITIZEN_EVENTS,
    CITIZEN_THEMES,
    ENTERPRISE_EVENTS,
    ENTERPRISE_THEMES,
)


def catalog_features(items: Sequence[ItemMeta]) -> FeatureTable:
    """Long-format item features of a catalog."""
    mapping = {
        it.code: item_features(
            it.department, it.themes, it.life_events, it.audience, it.online_level
        )
        for it in items
    }
    return FeatureTable.from_mapping(mapping)


def synthetic_items(n: int = 2000, seed: int = 0) -> list[ItemMeta]:
    """``n`` synthetic services with departments, themes, life events, audience and eligibility."""
    rng = np.random.default_rng(seed)
    items: list[ItemMeta] = []
    aud = rng.choice(["citizen", "enterprise", "both"], size=n, p=[0.78, 0.17, 0.05])
    for k in range(n):
        a = str(aud[k])
        ent = a == "enterprise"
        events = ENTERPRISE_EVENTS if ent else CITIZEN_EVENTS
        themes = ENTERPRISE_THEMES if ent else CITIZEN_THEMES
        ev = tuple(rng.choice(events, size=1 + int(rng.random() < 0.3), replace=False).tolist())
        th = tuple(rng.choice(themes, size=1 + int(rng.random() < 0.25), replace=False).tolist())
        elig: dict[str, object] = {}
        if "retirement" in ev and rng.random() < 0.5:
            elig["age_min"] = 50
        if "maternal" in th and rng.random() < 0.5:
            elig["gender"] = "female"
        items.append(
            ItemMeta(
                code=f"svc_{k:05d}",
                title={"zh_Hans": f"服务 {k}", "en": f"Service {k}"},
                department=f"dept_{th[0]}_{int(rng.integers(0, 3))}",
                themes=th,
                life_events=ev,
                audience=a,
                eligibility=elig,
                online_level=int(rng.integers(1, 5)),
            )
        )
    return items
