"""Recall@5 of catalog search on the real-world query set, with each query's misses.

    .venv/bin/python bench/search_recall.py            # the packaged catalog
    .venv/bin/python bench/search_recall.py --k 3 --all
    .venv/bin/python bench/search_recall.py --scale 10   # and the cost at 10× the services

The query set is tests/lifecycle/search_queries.yaml (the CI test asserts recall@5 ≥ 0.95).
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lifecycle.catalog import load_catalog  # noqa: E402
from lifecycle.catalog.search import SearchIndex, documents_from_catalog  # noqa: E402
from lifecycle.catalog.search_eval import load_cases, recall_at_k  # noqa: E402

QUERIES = ROOT / "tests" / "lifecycle" / "search_queries.yaml"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--all", action="store_true", help="print every query's results")
    parser.add_argument(
        "--scale",
        type=int,
        default=1,
        help="also time the queries over N copies of every service (cost only)",
    )
    args = parser.parse_args(argv)

    catalog = load_catalog()
    started = time.perf_counter()
    index = SearchIndex(documents_from_catalog(catalog))
    built = time.perf_counter() - started
    cases = load_cases(args.queries)
    started = time.perf_counter()
    report = recall_at_k(index, cases, k=args.k)
    elapsed = time.perf_counter() - started

    print(f"services: {len(index)}, queries: {len(cases)}, expected pairs: {report.expected}")
    print(f"index build: {built * 1000:.0f} ms; {elapsed / len(cases) * 1000:.2f} ms per query")
    print(f"recall@{args.k}: {report.recall:.3f} ({report.found}/{report.expected})")
    print(f"MRR@{args.k} (rank of the first expected service): {report.mrr:.3f}")
    shown = report.results if args.all else report.misses
    for result in shown:
        mark = "MISS" if result.missed else "ok  "
        print(
            f"{mark} {result.case.query}: missed {list(result.missed)} got {list(result.results)}"
        )
    if args.scale > 1:
        _time_scaled(catalog, cases, args.scale)
    return 0


def _time_scaled(catalog, cases, factor: int) -> None:
    documents = documents_from_catalog(catalog)
    copies = [
        dataclasses.replace(doc, code=f"{doc.code}__{n}")
        for n in range(factor)
        for doc in documents
    ]
    started = time.perf_counter()
    index = SearchIndex(copies)
    built = time.perf_counter() - started
    times = []
    for case in cases:
        started = time.perf_counter()
        index.search(case.query, limit=20)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    print(
        f"{len(index)} services: build {built * 1000:.0f} ms; per query median "
        f"{statistics.median(times):.1f} ms, p95 {times[int(len(times) * 0.95)]:.1f} ms, "
        f"slowest {times[-1]:.1f} ms"
    )


if __name__ == "__main__":
    raise SystemExit(main())
