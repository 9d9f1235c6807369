"""Recall@k of catalog search on a set of queries with the services each must find.

The query set format (YAML list)::

    - {q: 驾照, expect: [driver_license_application, driver_license_renewal]}

Recall@k counts (query, expected service) pairs: the share of expected services found
among the first ``k`` results of their query.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from lifecycle.catalog.search import SearchIndex


@dataclass(frozen=True)
class QueryCase:
    query: str
    expect: tuple[str, ...]


@dataclass(frozen=True)
class QueryResult:
    case: QueryCase
    results: tuple[str, ...]  # the first k codes returned
    missed: tuple[str, ...]  # expected codes not among them

    @property
    def reciprocal_rank(self) -> float:
        """1 / rank of the first expected service within the first k (0 if none)."""
        for rank, code in enumerate(self.results, start=1):
            if code in self.case.expect:
                return 1 / rank
        return 0.0


@dataclass(frozen=True)
class RecallReport:
    k: int
    found: int
    expected: int
    results: tuple[QueryResult, ...]

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 0.0

    @property
    def mrr(self) -> float:
        """Mean reciprocal rank of each query's first expected service."""
        if not self.results:
            return 0.0
        return sum(r.reciprocal_rank for r in self.results) / len(self.results)

    @property
    def misses(self) -> tuple[QueryResult, ...]:
        return tuple(r for r in self.results if r.missed)


def load_cases(path: Path | str) -> list[QueryCase]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    cases = []
    for index, item in enumerate(data):
        if not isinstance(item, dict) or not isinstance(item.get("q"), str):
            raise ValueError(f"{path}: entry #{index + 1} needs a string 'q'")
        expect = item.get("expect")
        if not isinstance(expect, list) or not expect:
            raise ValueError(f"{path}: entry #{index + 1} ({item['q']}) needs 'expect' codes")
        cases.append(QueryCase(query=item["q"], expect=tuple(str(c) for c in expect)))
    return cases


def recall_at_k(index: SearchIndex, cases: Iterable[QueryCase], k: int = 5) -> RecallReport:
    results = []
    found = expected = 0
    for case in cases:
        codes = tuple(hit.code for hit in index.search(case.query, limit=k))
        missed = tuple(code for code in case.expect if code not in codes)
        found += len(case.expect) - len(missed)
        expected += len(case.expect)
        results.append(QueryResult(case=case, results=codes, missed=missed))
    return RecallReport(k=k, found=found, expected=expected, results=tuple(results))
