"""The recommend feature's typed results: a ``Ranking`` of ``RankedService`` with ``Reason``s.

Titles and reason texts are localised mappings (``{"zh_Hans": …, "en": …}``); the view
renders them in the reader's locale.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Reason:
    """Why a service is ranked: ``kind`` (lifecycle, duty, similar_users, together, rule,
    popular, entitlement, eligibility_unknown), ``text`` (localised), ``source`` (the data
    it came from)."""

    kind: str
    text: Mapping[str, str]
    source: str


@dataclass(frozen=True)
class RankedService:
    service_code: str
    service_id: int | None
    title: Mapping[str, str]
    score: float
    reasons: tuple[Reason, ...]
    # "model": the active model's score blended with life-cycle signals, rules and
    # popularity; "blend": the same without a model (none active, or not personalised).
    source: str
    # "eligible": the stated facts meet its conditions (or it has none); "unknown": a fact
    # that decides it is not stated (ranked after the eligible ones, with the reason).
    eligibility: str = "eligible"


@dataclass(frozen=True)
class Ranking:
    items: tuple[RankedService, ...]
    personalized: bool
    model_version: str | None
    # False when the recommender failed: the caller says so instead of showing a ranking.
    available: bool = True

    @property
    def codes(self) -> list[str]:
        return [i.service_code for i in self.items]


UNAVAILABLE = Ranking(items=(), personalized=False, model_version=None, available=False)
