"""The personal page against a trivial route, side by side, and SQL statements per page.

    .venv/bin/python bench/ratio.py                    # both parts
    .venv/bin/python bench/ratio.py --only sql         # statements per personal page only
    .venv/bin/python bench/ratio.py --summarise X_stats.csv   # print a Locust CSV (load.sh)

Throughput: two headless Locust runs one after the other against the same gunicorn
server and configuration (bench/deploy_local.sh), the same number of users
(``--users``, 50) with no think time, so each run saturates the server (figures counted
once every user has logged in): first the
trivial route (``/static/css/site.css`` through gunicorn and Flask, no database), then
the personal page ``/me/`` of logged-in bench citizens. Prints requests/s and
p50/p95/p99 of each and the ratio (target: page ≥ 0.5 × trivial).

SQL statements: an in-process app on the same database; a bench citizen logs in and
opens ``/me/`` three times; every statement sent to the database is counted (the first
view warms this process's caches; the later ones are what a warm worker does).
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/lifepage_bench"
DEFAULT_INSTANCE = "/tmp/lifepage-deploy/instance"


def read_stats(path: str | Path) -> list[dict]:
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh))


def _f(row: dict, key: str) -> float:
    try:
        return float(row.get(key) or 0)
    except ValueError:
        return 0.0


def summarise(path: str | Path, title: str = "") -> None:
    rows = read_stats(path)
    if title:
        print(f"\n{title}")
    print("| request | requests | failures | req/s | p50 ms | p95 ms | p99 ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        name = "**all**" if r["Name"] == "Aggregated" else f"{r['Type']} {r['Name']}"
        print(
            f"| {name} | {int(_f(r, 'Request Count'))} | {int(_f(r, 'Failure Count'))} "
            f"| {_f(r, 'Requests/s'):.1f} | {_f(r, '50%'):.0f} | {_f(r, '95%'):.0f} "
            f"| {_f(r, '99%'):.0f} |"
        )


def run_locust(url: str, scenario: str, users: int, run_time: str, out: Path) -> dict:
    prefix = out / f"ratio_{scenario}_{users}"
    env = dict(
        os.environ,
        LOCUST_SCENARIO=scenario,
        LOCUST_WAIT="0",
        LOCUST_SUMMARY=f"{prefix}_final.csv",
    )
    subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--only-summary",
            "--host",
            url,
            "-u",
            str(users),
            "-r",
            str(max(5, users // 5)),
            "--run-time",
            run_time,
            "--stop-timeout",
            "5",
            "--reset-stats",  # count from the moment every user is logged in
            "--csv",
            str(prefix),
            "--loglevel",
            "WARNING",
        ],
        env=env,
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=open(f"{prefix}.log", "w"),  # noqa: SIM115
    )
    rows = read_stats(f"{prefix}_final.csv")
    name = "trivial" if scenario == "trivial" else "/me/"
    row = next(r for r in rows if r["Name"] == name)
    return {
        "rps": _f(row, "Requests/s"),
        "p50": _f(row, "50%"),
        "p95": _f(row, "95%"),
        "p99": _f(row, "99%"),
        "n": int(_f(row, "Request Count")),
        "fail": int(_f(row, "Failure Count")),
    }


def throughput(url: str, users: int, run_time: str, out: Path) -> None:
    if not url.startswith(("http://127.0.0.1:", "http://localhost:")):
        raise SystemExit(f"refusing a non-loopback target: {url}")
    out.mkdir(parents=True, exist_ok=True)
    trivial_path = os.environ.get("TRIVIAL_PATH", "/static/css/site.css")
    print(f"throughput, {users} users, no think time, {run_time} each, {url}")
    trivial = run_locust(url, "trivial", users, run_time, out)
    page = run_locust(url, "page", users, run_time, out)
    print("| route | requests | failures | req/s | p50 ms | p95 ms | p99 ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, r in ((f"trivial `{trivial_path}`", trivial), ("personal page `/me/`", page)):
        print(
            f"| {name} | {r['n']} | {r['fail']} | {r['rps']:.1f} | {r['p50']:.0f} "
            f"| {r['p95']:.0f} | {r['p99']:.0f} |"
        )
    ratio = page["rps"] / trivial["rps"] if trivial["rps"] else 0.0
    verdict = "met" if ratio >= 0.5 else "missed"
    print(f"personal page / trivial throughput: {ratio:.2f} (target ≥ 0.50: {verdict})")


def sql_per_page(database_url: str, instance: str, email: str, password: str, show: bool) -> None:
    from sqlalchemy import event

    from webapp import create_app
    from webapp.core.db import db

    app = create_app(
        {
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": instance,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    statements: list[list] = []
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def _count(conn, cursor, statement, parameters, context, executemany):
        statements.append([" ".join(statement.split())[:140], time.perf_counter()])

    @event.listens_for(engine, "after_cursor_execute")
    def _timed(conn, cursor, statement, parameters, context, executemany):
        if statements:
            statements[-1][1] = (time.perf_counter() - statements[-1][1]) * 1000

    client = app.test_client()
    r = client.post("/login", data={"email": email, "password": password})
    if r.status_code != 302:
        raise SystemExit(f"login as {email} failed: {r.status_code}")
    print(f"SQL statements per personal page ({email}, {database_url.split('@')[-1]}):")
    for n in range(1, 4):
        statements.clear()
        started = time.perf_counter()
        r = client.get("/me/")
        elapsed = (time.perf_counter() - started) * 1000
        in_sql = sum(ms for _s, ms in statements if ms < 1e6)
        label = "first view (cold process caches)" if n == 1 else f"view {n} (warm)"
        print(
            f"  {label}: {len(statements)} statements ({in_sql:.1f} ms in SQL), "
            f"{elapsed:.1f} ms in total, HTTP {r.status_code}"
        )
        if show and n in (1, 3):
            for sql, ms in statements:
                print(f"    {ms:7.2f} ms  {sql}")
    with app.app_context():
        db.engine.dispose()


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", default=os.environ.get("BENCH_URL", "http://127.0.0.1:8077"))
    p.add_argument("--users", type=int, default=50)
    p.add_argument("--run-time", default="45s")
    p.add_argument("--out", default="/tmp/lifepage-load")
    p.add_argument("--only", choices=("throughput", "sql"))
    p.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    p.add_argument("--instance", default=os.environ.get("INSTANCE_PATH", DEFAULT_INSTANCE))
    p.add_argument("--email", default="resident0042@synthetic.lifepage.test")
    p.add_argument("--password", default="bench-password-2026")
    p.add_argument("--show-sql", action="store_true")
    p.add_argument("--summarise", metavar="STATS_CSV")
    p.add_argument("--title", default="")
    args = p.parse_args(argv)
    if args.summarise:
        summarise(args.summarise, args.title)
        return
    if args.users > 500:
        raise SystemExit("at most 500 users")
    if args.only in (None, "throughput"):
        throughput(args.url, args.users, args.run_time, Path(args.out))
    if args.only in (None, "sql"):
        sql_per_page(args.database_url, args.instance, args.email, args.password, args.show_sql)


if __name__ == "__main__":
    main()
