"""Train/test splits of interactions: by time, at random, by user."""

from __future__ import annotations

import numpy as np

from recommender.dataset import Interactions


def split_time(
    inter: Interactions, test_fraction: float = 0.2
) -> tuple[Interactions, Interactions]:
    """The latest ``test_fraction`` of events (by timestamp) form the test set."""
    if inter.timestamps is None:
        raise ValueError("a time split needs timestamps")
    cutoff = time_cutoff(inter, test_fraction)
    test = inter.timestamps > cutoff
    return inter.subset(~test), inter.subset(test)


def time_cutoff(inter: Interactions, test_fraction: float = 0.2) -> float:
    """The timestamp after which the latest ``test_fraction`` of events lie (the split point)."""
    if inter.timestamps is None:
        raise ValueError("a time split needs timestamps")
    _check_fraction(test_fraction)
    return float(np.quantile(inter.timestamps, 1.0 - test_fraction))


def split_random(
    inter: Interactions, test_fraction: float = 0.2, seed: int = 0
) -> tuple[Interactions, Interactions]:
    _check_fraction(test_fraction)
    test = np.random.default_rng(seed).random(len(inter)) < test_fraction
    return inter.subset(~test), inter.subset(test)


def split_users(
    inter: Interactions, test_fraction: float = 0.2, seed: int = 0
) -> tuple[Interactions, Interactions]:
    """All events of a random ``test_fraction`` of users are held out (cold-start users)."""
    _check_fraction(test_fraction)
    users = np.unique(inter.user_ids)
    held = users[np.random.default_rng(seed).random(len(users)) < test_fraction]
    test = np.isin(inter.user_ids, held)
    return inter.subset(~test), inter.subset(test)


def split(inter: Interactions, how: str, test_fraction: float = 0.2, seed: int = 0):
    if how == "time":
        return split_time(inter, test_fraction)
    if how == "random":
        return split_random(inter, test_fraction, seed)
    if how == "users":
        return split_users(inter, test_fraction, seed)
    raise ValueError(f"unknown split {how!r} (time, random or users)")


def _check_fraction(f: float) -> None:
    if not 0.0 < f < 1.0:
        raise ValueError("test fraction must be between 0 and 1")
