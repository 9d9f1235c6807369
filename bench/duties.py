"""Benchmark: materialise duties for N synthetic citizens (with households) and enterprises,
then show that "what is due in the next 7 days" is an indexed range query.

    .venv/bin/python bench/duties.py --sizes 100000,1000000
    .venv/bin/python bench/duties.py --quick                 # 10,000 citizens, a smoke run
    .venv/bin/python bench/duties.py --sizes 100000 --database-url postgresql://...  # empty DB

Each size gets a fresh database (SQLite in a temporary directory by default). The synthetic
rows (accounts, profiles, household members, consents, enterprises, permits) are written
with plain bulk inserts and not timed; the timed part is the real ``duty_sync.sync_all``:
read subjects in batches, evaluate ``lifecycle.rules`` for each, insert the duty rows.
Then the range queries the reminder sweep and the pages use are timed and EXPLAINed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bench.duties_data import TODAY, generate, replicate  # noqa: E402
from webapp.core.db import make_engine  # noqa: E402
from webapp.core.migrate import upgrade  # noqa: E402
from webapp.models import Account, Duty  # noqa: E402


def explain(engine, sql: str, params: dict) -> list[str]:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            rows = conn.execute(text("EXPLAIN QUERY PLAN " + sql), params)
            return [str(r[-1]) for r in rows]
        rows = conn.execute(text("EXPLAIN " + sql), params)
        return [str(r[0]) for r in rows]


def timed_query(engine, sql: str, params: dict, runs: int = 21) -> tuple[float, int]:
    """Median wall time in ms over ``runs`` (after one warm-up), and the row count."""
    times = []
    n = 0
    with engine.connect() as conn:
        conn.execute(text(sql), params).fetchall()
        for _ in range(runs):
            t0 = time.perf_counter()
            n = len(conn.execute(text(sql), params).fetchall())
            times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), n


DUE_7 = (
    "SELECT id, subject_kind, subject_id, owner_account_id, enterprise_id, rule, due_date "
    "FROM duty WHERE due_date >= :d0 AND due_date <= :d1 AND status = 'open'"
)
DUE_7_PAGE = DUE_7 + " ORDER BY due_date LIMIT 1000"
OWNER = (
    "SELECT id, rule, due_date FROM duty WHERE owner_account_id = :a "
    "AND due_date <= :d1 AND status IN ('open', 'snoozed') ORDER BY due_date"
)


def run_size(url: str | None, citizens: int, batch: int, sample: int | None = None) -> dict:
    from webapp.duties import sync as duty_sync

    tmp = None
    if url is None:
        tmp = tempfile.TemporaryDirectory(prefix="bench-duties-")
        url = f"sqlite:///{tmp.name}/bench.sqlite3"
    engine = make_engine(url)
    with engine.connect() as conn:
        if (
            engine.dialect.name != "sqlite"
            and conn.execute(
                text("SELECT count(*) FROM information_schema.tables WHERE table_schema='public'")
            ).scalar()
        ):
            raise SystemExit("--database-url must point at an empty database")
    upgrade(engine)
    t0 = time.perf_counter()
    scaled = sample is not None and sample < citizens
    computed = sample if scaled else citizens
    counts = generate(engine, computed)
    gen_s = time.perf_counter() - t0
    subjects = counts["profiles"] + counts["household members"] + counts["enterprises"]
    print(f"\n== {citizens:,} citizens ({engine.dialect.name}) ==")
    if scaled:
        print(f"duties computed for {computed:,} citizens, then replicated to {citizens:,}")
    print("generated (not timed for duties):", counts, f"in {gen_s:.1f} s")

    last = [time.perf_counter()]
    phase: dict[str, tuple[float, float, int]] = {}  # kind → (wall end, cpu end, subjects)

    def progress(kind, report):
        phase[kind] = (time.perf_counter(), time.process_time(), report.subjects)
        if time.perf_counter() - last[0] > 60:
            last[0] = time.perf_counter()
            print(f"  … {kind}: {report}", flush=True)

    with Session(engine, expire_on_commit=False) as session:
        t0, c0 = time.perf_counter(), time.process_time()
        report = duty_sync.sync_all(
            session, TODAY, batch_size=batch, commit=True, progress=progress
        )
        session.commit()
        sync_s = time.perf_counter() - t0
        sync_cpu = time.process_time() - c0
    aw, ac, an = phase["accounts"]
    ew, ec, en = phase.get("enterprises", (aw, ac, an))
    people = counts["profiles"] + counts["household members"]
    print(
        f"  people ({people:,}): {aw - t0:.1f} s wall, {ac - c0:.1f} s CPU = "
        f"{(ac - c0) / people * 100_000:.1f} s CPU per 100,000 people"
    )
    print(
        f"  enterprises ({counts['enterprises']:,}): {ew - aw:.1f} s wall, {ec - ac:.1f} s CPU "
        f"= {(ec - ac) / counts['enterprises'] * 1000:.1f} ms CPU per enterprise"
    )
    with Session(engine) as session:
        duty_rows = session.scalar(select(func.count()).select_from(Duty))
    print(f"sync_all: {report}")
    print(
        f"compute+store: {sync_s:.1f} s wall ({sync_cpu:.1f} s CPU) for {subjects:,} subjects "
        f"({duty_rows:,} duty rows) = {sync_s / subjects * 100_000:.1f} s wall, "
        f"{sync_cpu / subjects * 100_000:.1f} s CPU per 100,000 subjects"
    )
    # Idempotency at scale: a second run over a sample changes nothing.
    with Session(engine) as session:
        ids = list(session.scalars(select(Account.id).order_by(Account.id).limit(2000)))
        t0 = time.perf_counter()
        again = duty_sync._sync_accounts(session, ids, TODAY, duty_sync.current_params(session))
        resync_ms = (time.perf_counter() - t0) * 1000
        session.rollback()
    print(f"resync of 2,000 accounts (nothing to change): {again} in {resync_ms:.0f} ms")
    computed_rows = duty_rows
    if scaled:
        rep = replicate(engine, computed, citizens)
        with Session(engine) as session:
            duty_rows = session.scalar(select(func.count()).select_from(Duty))
        print(
            f"replicated ×{rep['copies']} to {citizens:,} citizens: {duty_rows:,} duty rows "
            f"in {rep['seconds']:.0f} s"
        )
    with engine.begin() as conn:
        conn.execute(text("ANALYZE" if engine.dialect.name == "sqlite" else "ANALYZE duty"))

    params = {"d0": TODAY, "d1": TODAY + timedelta(days=7), "a": citizens // 2}
    results = {}
    for name, sql in (
        ("due in 7 days (all rows)", DUE_7),
        ("due in 7 days (first 1,000)", DUE_7_PAGE),
        ("one account's page", OWNER),
    ):
        p = dict(params)
        if name == "one account's page":
            p["d1"] = TODAY + timedelta(days=366)
        ms, n = timed_query(engine, sql, p)
        plan = explain(engine, sql, p)
        results[name] = (ms, n)
        print(f"{name}: {n:,} rows, median {ms:.2f} ms ({ms / max(n, 1) * 1000:.2f} µs/row)")
        for line in plan:
            print("   plan:", line)
    engine.dispose()
    if tmp is not None:
        tmp.cleanup()
    return {
        "citizens": citizens,
        "computed": computed,
        "computed_rows": computed_rows,
        "subjects": subjects,
        "duty_rows": duty_rows,
        "sync_s": sync_s,
        "sync_cpu": sync_cpu,
        "per_100k_s": sync_s / subjects * 100_000,
        "per_100k_cpu": sync_cpu / subjects * 100_000,
        "queries": results,
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="100000,1000000", help="citizens per run, comma-separated"
    )
    parser.add_argument("--quick", action="store_true", help="one small run (10,000 citizens)")
    parser.add_argument(
        "--database-url", default=None, help="an EMPTY database (default: SQLite in a temp dir)"
    )
    parser.add_argument("--batch", type=int, default=2000, help="accounts per sync batch")
    parser.add_argument(
        "--replicate-from",
        type=int,
        default=None,
        metavar="N",
        help="for sizes above N: compute duties for N citizens, replicate the rows to the size",
    )
    args = parser.parse_args(argv)
    sizes = [10_000] if args.quick else [int(s) for s in args.sizes.split(",") if s]
    if args.database_url and len(sizes) > 1:
        raise SystemExit("with --database-url give one size per (empty) database")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, today = {TODAY}")
    out = [run_size(args.database_url, n, args.batch, args.replicate_from) for n in sizes]
    print("\nsummary")
    print(
        "| citizens (computed) | subjects computed | duty rows | compute+store wall (CPU) | "
        "per 100k subjects wall (CPU) | due in 7 days: all rows | first 1,000 | one account |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in out:
        q = r["queries"]
        cells = [f"{q[k][0]:.2f} ms ({q[k][1]:,} rows)" for k in q]
        print(
            f"| {r['citizens']:,} ({r['computed']:,}) | {r['subjects']:,} | {r['duty_rows']:,} | "
            f"{r['sync_s']:.0f} s ({r['sync_cpu']:.0f} s) | "
            f"{r['per_100k_s']:.1f} s ({r['per_100k_cpu']:.1f} s) | " + " | ".join(cells) + " |"
        )


if __name__ == "__main__":
    main()
