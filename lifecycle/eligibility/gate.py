"""The hard eligibility gate the recommendation ranking calls before blending.

``eligible_candidates`` evaluates every candidate service once for the subject and
returns a :class:`Gate`: not-eligible services are never candidates; unknown ones are
allowed but marked (the ranking puts them below eligible ones).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from lifecycle.eligibility.conditions import Conditions
from lifecycle.eligibility.evaluate import ELIGIBLE, NOT_ELIGIBLE, UNKNOWN, Verdict, evaluate
from lifecycle.subjects import Enterprise, Household

__all__ = ["Gate", "ServiceConditions", "eligible_candidates"]


@dataclass(frozen=True)
class ServiceConditions:
    code: str
    conditions: Conditions
    region_scope: str | None = None  # a local service's region prefix


@dataclass(frozen=True)
class Gate:
    verdicts: Mapping[str, Verdict]

    def allowed(self, code: str) -> bool:
        """False only for a service the subject is known not to be eligible for."""
        v = self.verdicts.get(code)
        return v is None or v.outcome != NOT_ELIGIBLE

    def unknown(self, code: str) -> bool:
        v = self.verdicts.get(code)
        return v is not None and v.outcome == UNKNOWN

    @property
    def excluded(self) -> frozenset[str]:
        return frozenset(c for c, v in self.verdicts.items() if v.outcome == NOT_ELIGIBLE)

    @property
    def eligible(self) -> frozenset[str]:
        return frozenset(c for c, v in self.verdicts.items() if v.outcome == ELIGIBLE)

    @property
    def unknowns(self) -> frozenset[str]:
        return frozenset(c for c, v in self.verdicts.items() if v.outcome == UNKNOWN)


def eligible_candidates(
    services: Iterable[ServiceConditions],
    today: date,
    *,
    household: Household | None = None,
    enterprise: Enterprise | None = None,
) -> Gate:
    """Evaluate each service's conditions for the household or the enterprise."""
    return Gate(
        {
            s.code: evaluate(
                s.conditions,
                today,
                household=household,
                enterprise=enterprise,
                region_scope=s.region_scope,
            )
            for s in services
        }
    )
