import datetime as dt

import pytest

from recommender.context import ItemMeta
from recommender.dataset import build_dataset
from recommender.model import HybridModel
from recommender.synthetic import synthetic_data, synthetic_items

TODAY = dt.date(2026, 1, 1)


@pytest.fixture(scope="session")
def small_data():
    items = synthetic_items(120, seed=1)
    return synthetic_data(items, n_users=600, n_interactions=12000, seed=2)


@pytest.fixture(scope="session")
def fitted(small_data):
    ds = build_dataset(
        small_data.interactions(),
        small_data.user_features(),
        small_data.item_features(),
        items=[i.code for i in small_data.items],
    )
    return HybridModel(components=16, epochs=5, threads=1, seed=3).fit(ds)


def item(code, themes=("t",), events=(), audience="citizen", dept="d", **elig):
    return ItemMeta(code, {"zh_Hans": code, "en": code}, dept, themes, events, audience, elig)
