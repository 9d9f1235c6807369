"""Cost of the eligibility gate and of the entitlement rules for one household.

    .venv/bin/python bench/eligibility.py [--repeat 2000]

Prints µs per gate (every catalog service evaluated once for a household of four with
stated facts) and per ``person_entitlements`` run, median of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lifecycle.catalog import load_catalog  # noqa: E402
from lifecycle.eligibility import ServiceConditions, eligible_candidates  # noqa: E402
from lifecycle.entitlements import person_entitlements  # noqa: E402
from lifecycle.subjects import Household, Person  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=2000)
    args = parser.parse_args()
    today = date(2026, 11, 30)
    services = [
        ServiceConditions(
            s.code, s.conditions, None if s.region_scope == "national" else s.region_scope
        )
        for s in load_catalog().services.values()
    ]
    household = Household(
        Person("self:1", "me", "self", date(1988, 6, 18), "male", "440106", "employed",
               marital_status="married", insured=frozenset({"employee_medical"}), only_child=True,
               income_band="b144k"),
        (
            Person("household:1", "child", "child", date(2021, 7, 1), "male"),
            Person("household:2", "spouse", "spouse", date(1990, 2, 11), "female"),
            Person("household:3", "parent", "parent", date(1962, 11, 3), "male"),
        ),
    )  # fmt: skip
    gate, rules = [], []
    for _ in range(args.repeat):
        t = time.perf_counter()
        eligible_candidates(services, today, household=household)
        gate.append(time.perf_counter() - t)
        t = time.perf_counter()
        person_entitlements(household, today)
        rules.append(time.perf_counter() - t)
    print(f"services: {len(services)}")
    print(f"gate per household: median {statistics.median(gate) * 1e6:.0f} µs")
    print(f"entitlement rules per household: median {statistics.median(rules) * 1e6:.0f} µs")


if __name__ == "__main__":
    main()
