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
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from lifecycle.identifiers import make_credit_code  # noqa: E402
from webapp.core.db import make_engine  # noqa: E402
from webapp.core.migrate import upgrade  # noqa: E402
from webapp.models import (  # noqa: E402
    Account,
    CitizenProfile,
    Consent,
    Duty,
    Enterprise,
    HouseholdMember,
    Membership,
    Permit,
)

TODAY = date(2026, 11, 26)
REGIONS = ("110105", "310115", "330106", "350203", "440106", "440305", "520102")
CHUNK = 20_000


def _chunks(rows, size=CHUNK):
    buf = []
    for row in rows:
        buf.append(row)
        if len(buf) >= size:
            yield buf
            buf = []
    if buf:
        yield buf


def _insert(conn, model, rows) -> int:
    n = 0
    for chunk in _chunks(rows):
        conn.execute(insert(model.__table__), chunk)
        n += len(chunk)
    return n


def _rand_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def generate(engine, citizens: int, seed: int = 7) -> dict[str, int]:
    """Plain synthetic rows: citizens with profiles, ~45% with a child, ~20% with a parent,
    one enterprise per 20 citizens (half with a food business licence)."""
    rng = random.Random(seed)
    enterprises = max(1, citizens // 20)
    counts = {}
    now = datetime.now(UTC)

    def accounts():
        for i in range(1, citizens + enterprises + 1):
            yield {
                "id": i,
                "email": f"u{i}@bench.test",
                "password_hash": "x",
                "role": "citizen" if i <= citizens else "business",
                "locale": "zh_Hans",
                "session_token": f"s{i}",
                "created_at": now,
            }

    def profiles():
        for i in range(1, citizens + 1):
            birth = _rand_date(rng, date(1950, 1, 1), date(2006, 12, 31))
            gender = rng.choice(("male", "female"))
            issued = _rand_date(rng, max(birth + timedelta(days=16 * 366), date(2006, 1, 1)), TODAY)
            has_dl = rng.random() < 0.5
            dl_exp = _rand_date(rng, TODAY - timedelta(days=200), TODAY + timedelta(days=3650))
            yield {
                "account_id": i,
                "full_name": f"居民{i}",
                "birth_date": birth,
                "gender": gender,
                "region_code": rng.choice(REGIONS),
                "id_card_issued_on": issued if issued < TODAY else None,
                "driver_license_issued_on": dl_exp - timedelta(days=6 * 365) if has_dl else None,
                "driver_license_expires_on": dl_exp if has_dl else None,
                "employment": rng.choice(
                    ("employed", "employed", "employed", "self_employed", "retired", "unemployed")
                ),
                "retirement_category": "male"
                if gender == "male"
                else rng.choice(("female_cadre", "female_worker")),
                "updated_at": now,
            }

    member_rows: list[dict] = []

    def members():
        mid = 0
        for i in range(1, citizens + 1):
            if rng.random() < 0.45:
                mid += 1
                yield {
                    "id": mid,
                    "account_id": i,
                    "relation": "child",
                    "name": f"孩子{mid}",
                    "birth_date": _rand_date(rng, date(2009, 1, 1), TODAY - timedelta(days=10)),
                    "gender": rng.choice(("male", "female")),
                    "guardian_consent_at": now,
                    "created_at": now,
                    "updated_at": now,
                }
            if rng.random() < 0.2:
                mid += 1
                yield {
                    "id": mid,
                    "account_id": i,
                    "relation": "parent",
                    "name": f"父母{mid}",
                    "birth_date": _rand_date(rng, date(1940, 1, 1), date(1975, 12, 31)),
                    "gender": rng.choice(("male", "female")),
                    "guardian_consent_at": None,
                    "created_at": now,
                    "updated_at": now,
                }

    def consents():
        for i in range(1, citizens + 1):
            yield {
                "account_id": i,
                "purpose": "household_data",
                "granted": True,
                "version": "1",
                "created_at": now,
            }

    def ents():
        for e in range(1, enterprises + 1):
            yield {
                "id": e,
                "credit_code": make_credit_code(f"91440101MA{e:07d}"),
                "name": f"企业{e}",
                "established_on": _rand_date(rng, date(2000, 1, 1), TODAY),
                "industry": rng.choice(("catering", "retail", "software", "manufacturing")),
                "size": "small",
                "region_code": rng.choice(REGIONS),
                "taxpayer_period": rng.choice(("monthly", "quarterly")),
                "created_at": now,
                "updated_at": now,
            }

    def memberships():
        for e in range(1, enterprises + 1):
            yield {
                "account_id": citizens + e,
                "enterprise_id": e,
                "role": "legal_representative",
                "created_at": now,
            }

    def permits():
        for e in range(1, enterprises + 1):
            if rng.random() < 0.5:
                yield {
                    "enterprise_id": e,
                    "kind": "food_business_license",
                    "number": f"JY1440101{e:08d}",
                    "issued_on": TODAY - timedelta(days=rng.randrange(1, 1800)),
                    "expires_on": TODAY + timedelta(days=rng.randrange(1, 1800)),
                }

    with engine.begin() as conn:
        counts["accounts"] = _insert(conn, Account, accounts())
        counts["profiles"] = _insert(conn, CitizenProfile, profiles())
        counts["household members"] = _insert(conn, HouseholdMember, members())
        counts["consents"] = _insert(conn, Consent, consents())
        counts["enterprises"] = _insert(conn, Enterprise, ents())
        counts["memberships"] = _insert(conn, Membership, memberships())
        counts["permits"] = _insert(conn, Permit, permits())
    del member_rows
    return counts


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


DUTY_COLS = (
    "subject_name, rule, occurrence, life_event, service_code, title, explanation, "
    "legal_basis, window_start, due_date, provisional, advisory, status, snoozed_until, "
    "status_changed_at, created_at, updated_at"
)


def replicate(engine, sample: int, citizens: int) -> dict[str, float]:
    """Scale the duty table of a ``sample``-citizen population up to ``citizens``.

    The sample's duties were computed by ``sync_all``; each copy k gets new accounts and
    enterprises (real rows, so every foreign key holds) and the sample's duty rows with
    shifted subject, owner and enterprise ids (INSERT … SELECT in the database).
    """
    copies = citizens // sample
    ents = max(1, sample // 20)
    base = sample + ents + 1  # first id after the sample's citizen and business accounts
    now = datetime.now(UTC)
    t0 = time.perf_counter()
    with engine.begin() as conn:
        max_duty = conn.execute(text("SELECT max(id) FROM duty")).scalar()
        max_member = conn.execute(
            text("SELECT coalesce(max(id), 0) FROM household_member")
        ).scalar()
        for k in range(1, copies):
            first = base + (k - 1) * sample
            _insert(
                conn,
                Account,
                (
                    {
                        "id": first + i,
                        "email": f"r{first + i}@bench.test",
                        "password_hash": "x",
                        "role": "citizen",
                        "locale": "zh_Hans",
                        "session_token": f"r{first + i}",
                        "created_at": now,
                    }
                    for i in range(sample)
                ),
            )
            _insert(
                conn,
                Enterprise,
                (
                    {
                        "id": k * ents + e,
                        "credit_code": make_credit_code(f"91440101MB{k * ents + e:07d}"),
                        "name": f"企业{k * ents + e}",
                        "established_on": date(2015, 1, 1),
                        "taxpayer_period": "monthly",
                        "created_at": now,
                        "updated_at": now,
                    }
                    for e in range(1, ents + 1)
                ),
            )
            conn.execute(
                text(
                    "INSERT INTO duty (subject_kind, subject_id, owner_account_id, enterprise_id, "
                    + DUTY_COLS
                    + ") SELECT subject_kind, CASE subject_kind "
                    "WHEN 'self' THEN subject_id - 1 + :first "
                    "WHEN 'household' THEN subject_id + :k * :members "
                    "ELSE subject_id + :k * :ents END, "
                    "CASE WHEN owner_account_id IS NULL THEN NULL "
                    "ELSE owner_account_id - 1 + :first END, "
                    "CASE WHEN enterprise_id IS NULL THEN NULL ELSE enterprise_id + :k * :ents END, "
                    + DUTY_COLS
                    + " FROM duty WHERE id <= :max_duty"
                ),
                {"first": first, "k": k, "members": max_member, "ents": ents, "max_duty": max_duty},
            )
    return {"copies": copies, "seconds": time.perf_counter() - t0}


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
