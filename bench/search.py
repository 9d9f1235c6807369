"""Catalog search cost in the app (webapp.catalog.search: the per-process engine index, the
filters and loading the result rows) over the real catalog and over a catalog 10× and 50×
larger (copies of every service), on SQLite, and on PostgreSQL when BENCH_DATABASE_URL
points at a scratch database. The index build is reported apart: it runs once per process
and catalog version.

    .venv/bin/python bench/search.py
    BENCH_FACTORS=1,10 .venv/bin/python bench/search.py      # skip the 50× catalog
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/page_bench .venv/bin/python bench/search.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("LIFEPAGE_FAST_PASSWORD_HASH", "1")

from sqlalchemy import func, insert, select, text  # noqa: E402

QUERIES = ["身份证", "换领身份证", "护照", "出生", "passport", "社保", "营业执照 注销", "退休"]


def _median_ms(fn, repeat: int = 30) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def _grow(session, factor: int) -> int:
    from webapp.models import Service

    base = list(session.scalars(select(Service).where(~Service.code.contains("__copy"))))
    have = session.scalar(select(func.count()).select_from(Service))
    want = len(base) * factor
    rows = []
    n = 0
    while have + len(rows) < want:
        for s in base:
            if have + len(rows) >= want:
                break
            n += 1
            rows.append(
                {
                    "code": f"{s.code}__copy{have + n}",
                    "department_id": s.department_id,
                    "audience": s.audience,
                    "name": s.name,
                    "description": s.description,
                    "themes": s.themes,
                    "online_level": s.online_level,
                    "eligibility": s.eligibility,
                    "search_text": s.search_text,
                    "region_scope": "national",
                    "active": True,
                }
            )
    if rows:
        session.execute(insert(Service), rows)
    session.commit()
    return session.scalar(select(func.count()).select_from(Service))


def main() -> None:
    from webapp import create_app
    from webapp.catalog import services as catalog
    from webapp.catalog.search import search_index
    from webapp.catalog.sync import load_from_path
    from webapp.core.db import db
    from webapp.core.migrate import upgrade

    url = os.environ.get("BENCH_DATABASE_URL")
    tmp = tempfile.mkdtemp()
    if not url:
        url = f"sqlite:///{tmp}/bench.sqlite3"
    elif url.startswith("postgresql"):
        from sqlalchemy import create_engine

        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": tmp, "SECRET_KEY": "bench"})
    print(f"database: {url.split('://')[0]}")
    with app.app_context():
        upgrade(db.engine)
        with db.transaction() as session:
            load_from_path(session)
        with app.test_request_context():
            session = db.session
            factors = [int(f) for f in os.environ.get("BENCH_FACTORS", "1,10,50").split(",")]
            for factor in factors:
                count = (
                    _grow(session, factor)
                    if factor > 1
                    else session.scalar(text("SELECT count(*) FROM service"))
                )
                started = time.perf_counter()
                search_index(session)  # built once per catalog version, outside the timing
                catalog.search(session, "预热")  # and the per-process use counts
                built = (time.perf_counter() - started) * 1000
                figures = {q: _median_ms(lambda q=q: catalog.search(session, q)) for q in QUERIES}
                worst = max(figures, key=figures.get)
                scan = _median_ms(lambda: catalog.search(session, "zzzzzz"))
                print(
                    f"{count:6d} services: index {built:.0f} ms; median per query "
                    f"{statistics.median(figures.values()):.2f} ms, "
                    f"slowest {worst!r} {figures[worst]:.2f} ms; no match {scan:.2f} ms"
                )
        db.engine.dispose()


if __name__ == "__main__":
    main()
