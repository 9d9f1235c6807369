"""A population at scale in one command, on SQLite or PostgreSQL.

    .venv/bin/python bench/population.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/lifepage_bench
    .venv/bin/python bench/population.py --database-url sqlite:////tmp/lifepage_bench.sqlite3
    .venv/bin/python bench/population.py --small      # 2,000 citizens, for a quick look

Default size: 100,000 citizens with households, 5,000 enterprises, 2,000 services (the
real catalog plus synthetic variants of its services), 2,000,000 interactions, duties
materialised for every subject (``duty_sync.sync_all``) and a trained model. It reuses the
app's own bulk paths: ``services.population.seed_population`` (which draws from
``recommender.synthetic``), ``services.duty_sync.sync_all``, ``services.training``.

Every synthetic account gets the bench password (``--password``, default
``bench-password-2026``) so the load test can log in as them: use this database for
benchmarks only. ``--reset`` drops and recreates the database first (only a database whose
name contains "bench"). INSTANCE_PATH / MODEL_DIR default to the deploy_local.sh layout so
the gunicorn workers find the trained model. Prints each step's time and the row counts.
"""

from __future__ import annotations

import argparse
import inspect
import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/lifepage_bench"
DEFAULT_INSTANCE = "/tmp/lifepage-deploy/instance"
BENCH_PASSWORD = "bench-password-2026"


def _step(name: str, started: float) -> float:
    now = time.perf_counter()
    print(f"  {name}: {now - started:.1f} s", flush=True)
    return now


def reset_database(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    u = make_url(url)
    name = u.database or ""
    if "bench" not in Path(name).name:
        raise SystemExit(f"--reset refuses a database whose name lacks 'bench': {name}")
    if u.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(name + suffix).unlink(missing_ok=True)
        return
    admin = create_engine(u.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def add_synthetic_services(session, total: int, seed: int = 7) -> int:
    """Grow the catalog to ``total`` active services with variants of the real ones.

    Each variant copies a real service's department, audience, themes, life events and
    region scope (so the catalog's shape stays realistic) under a new code and name.
    """
    import numpy as np
    from sqlalchemy import func, insert, select

    from webapp.catalog.models import service_life_event
    from webapp.models import Service

    have = session.scalar(select(func.count()).select_from(Service).where(Service.active))
    if have >= total:
        return 0
    real = session.scalars(select(Service).where(Service.active).order_by(Service.id)).all()
    events: dict[int, list[int]] = {}
    for sid, eid in session.execute(
        select(service_life_event.c.service_id, service_life_event.c.life_event_id).order_by(
            service_life_event.c.service_id, service_life_event.c.position
        )
    ):
        events.setdefault(sid, []).append(eid)
    rng = np.random.default_rng(seed)
    rows, links = [], []
    for k in range(total - have):
        t = real[int(rng.integers(len(real)))]
        n = k + 1
        name = {
            "zh_Hans": f"{t.name.get('zh_Hans', t.code)}（地方事项 {n}）",
            "zh_Hant": f"{t.name.get('zh_Hant', t.name.get('zh_Hans', t.code))}（地方事項 {n}）",
            "en": f"{t.name.get('en', t.code)} (local item {n})",
        }
        rows.append(
            {
                "code": f"bench_svc_{n:05d}",
                "department_id": t.department_id,
                "audience": t.audience,
                "name": name,
                "description": dict(t.description or {}),
                "themes": list(t.themes or []),
                "online_level": int(rng.integers(1, 5)),
                "statutory_days": t.statutory_days,
                "promised_days": t.promised_days,
                "legal_basis": t.legal_basis,
                "url": None,
                "region_scope": t.region_scope,
                "eligibility": {},
                "search_text": " ".join(name.values()),
                "active": True,
            }
        )
        links.append(events.get(t.id, []))
    session.execute(insert(Service), rows)
    ids = {
        code: sid
        for code, sid in session.execute(
            select(Service.code, Service.id).where(Service.code.like("bench_svc_%"))
        )
    }
    link_rows = [
        {"service_id": ids[r["code"]], "life_event_id": eid, "position": pos}
        for r, evs in zip(rows, links, strict=True)
        for pos, eid in enumerate(evs)
    ]
    if link_rows:
        session.execute(insert(service_life_event), link_rows)
    return len(rows)


def seed(session, today: date, citizens: int, enterprises: int, interactions: int) -> str | None:
    """``seed_population`` with the requested citizen/enterprise split."""
    from webapp.demo import population

    n_users = citizens + enterprises
    share = enterprises / n_users
    params = inspect.signature(population.seed_population).parameters
    kwargs = {"n_users": n_users, "n_interactions": interactions, "train": False}
    if "enterprise_share" in params:
        return population.seed_population(session, today, enterprise_share=share, **kwargs)
    # seed_population fixes the enterprise share; draw with ours instead.
    original = population.synthetic_data

    def synthetic_data(items, **kw):
        kw["enterprise_share"] = share
        return original(items, **kw)

    population.synthetic_data = synthetic_data
    try:
        return population.seed_population(session, today, **kwargs)
    finally:
        population.synthetic_data = original


def counts(session) -> dict[str, int]:
    from sqlalchemy import func, select

    from webapp.models import (
        Account,
        Duty,
        Enterprise,
        HouseholdMember,
        Interaction,
        ModelVersion,
        Service,
    )

    def n(model, *where):
        return session.scalar(select(func.count()).select_from(model).where(*where))

    return {
        "citizens": n(Account, Account.role == "citizen"),
        "business accounts": n(Account, Account.role == "business"),
        "enterprises": n(Enterprise),
        "household members": n(HouseholdMember),
        "services": n(Service, Service.active),
        "interactions": n(Interaction),
        "duties": n(Duty),
        "active models": n(ModelVersion, ModelVersion.active.is_(True)),
    }


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    p.add_argument("--instance", default=os.environ.get("INSTANCE_PATH", DEFAULT_INSTANCE))
    p.add_argument("--citizens", type=int, default=100_000)
    p.add_argument("--enterprises", type=int, default=5_000)
    p.add_argument("--services", type=int, default=2_000)
    p.add_argument("--interactions", type=int, default=2_000_000)
    p.add_argument("--password", default=BENCH_PASSWORD)
    p.add_argument("--no-train", action="store_true")
    p.add_argument("--reset", action="store_true", help="drop and recreate the database first")
    p.add_argument("--small", action="store_true", help="2,000 citizens, 100 enterprises")
    args = p.parse_args(argv)
    if args.small:
        args.citizens, args.enterprises, args.interactions = 2_000, 100, 40_000
    os.environ.setdefault("MODEL_DIR", str(Path(args.instance) / "models"))

    from sqlalchemy import text, update

    from webapp import create_app
    from webapp.bootstrap import seed_all
    from webapp.core.clock import local_today
    from webapp.core.db import db
    from webapp.core.migrate import upgrade
    from webapp.core.security.passwords import hash_password
    from webapp.demo.population import DOMAIN
    from webapp.models import Account

    print(
        f"population: {args.citizens:,} citizens, {args.enterprises:,} enterprises, "
        f"{args.services:,} services, {args.interactions:,} interactions "
        f"on {args.database_url.split('@')[-1]}",
        flush=True,
    )
    total = t = time.perf_counter()
    if args.reset:
        reset_database(args.database_url)
        t = _step("reset database", t)
    app = create_app({"DATABASE_URL": args.database_url, "INSTANCE_PATH": args.instance})
    today = local_today()
    with app.app_context():
        upgrade(db.engine)
        seed_all(population=False)
        t = _step("migrate, catalog, demo accounts", t)
        with db.transaction() as session:
            added = add_synthetic_services(session, args.services)
        t = _step(f"synthetic services (+{added})", t)
        with db.transaction() as session:
            summary = seed(session, today, args.citizens, args.enterprises, args.interactions)
        print(f"    {summary or 'population exists already: kept'}", flush=True)
        t = _step("accounts, profiles, households, enterprises, interactions, duties", t)
        with db.transaction() as session:
            session.execute(
                update(Account)
                .where(Account.email.like(f"%@{DOMAIN}"))
                .values(password_hash=hash_password(args.password))
            )
        t = _step("bench password", t)
        # Planner statistics after the bulk load (autovacuum would get there, later).
        with db.engine.connect() as conn:
            conn.execute(text("ANALYZE"))
            conn.commit()
        t = _step("analyze", t)
        if not args.no_train:
            from webapp.recommend.training import train_and_maybe_activate

            row = train_and_maybe_activate(app, today)
            print(f"    model {row.version}: {row.status}, {row.metadata_}", flush=True)
            t = _step("training", t)
        with db.transaction() as session:
            for name, value in counts(session).items():
                print(f"  {name:18} {value:>10,}")
        db.engine.dispose()
    print(f"  total: {time.perf_counter() - total:.1f} s", flush=True)


if __name__ == "__main__":
    main()
