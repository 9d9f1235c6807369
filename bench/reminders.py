"""Reminder benchmark: sweep cost vs population, dispatch throughput (inbox, SMTP), one and
two dispatchers, on PostgreSQL.

    .venv/bin/python bench/reminders.py                     # 100k and 1M citizens
    .venv/bin/python bench/reminders.py --sizes 100000 --emails 2000

Each size: a fresh schema in the scratch database, N citizens with 3 duties each generated
by ``INSERT … SELECT generate_series`` (bulk, in the database), of which ``--due`` (10,000)
have a reminder lead falling today; the rest are due years ahead. Then: the sweep (first
run inserts the 10,000 outbox rows; the second finds them all present and inserts nothing).
At the first size only: dispatch of the inbox rows with 1 and then 2 dispatchers (threads,
each with its own connection), and e-mails to a local aiosmtpd server with 1 and 2
dispatchers (each its own SMTP connection).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text  # noqa: E402

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/reminders_bench"
TODAY = date(2026, 11, 26)
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai: no quiet hours


def reset(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def populate(conn, citizens: int, due: int) -> None:
    conn.execute(
        text(
            """
            INSERT INTO account (id, email, password_hash, role, locale, session_token, created_at)
            SELECT i, 'c' || i || '@bench.test', 'x', 'citizen', 'zh_Hans', md5(i::text), now()
            FROM generate_series(1, :n) AS i
            """
        ),
        {"n": citizens},
    )
    conn.execute(text("SELECT setval('account_id_seq', :n)"), {"n": citizens})
    # Three duties per citizen, due between 400 days and ~10 years ahead (no lead today).
    for k, rule, service in (
        (0, "id_card_renewal", "id_card_renewal"),
        (1, "passport_renewal", "passport_renewal"),
        (2, "driver_license_renewal", "driver_license_renewal"),
    ):
        conn.execute(
            text(
                """
                INSERT INTO duty (subject_kind, subject_id, owner_account_id, subject_name, rule,
                    occurrence, life_event, service_code, title, explanation, legal_basis,
                    window_start, due_date, provisional, advisory, status, created_at, updated_at)
                SELECT 'self', i, i, '', :rule, 'b', 'travel', :service,
                    '{"zh_Hans": "证件换领", "en": "Renew a document"}'::json,
                    '{"zh_Hans": "", "en": ""}'::json, '法',
                    d - 90, d, false, false,
                    CASE WHEN i % 7 = 0 THEN 'done' ELSE 'open' END, now(), now()
                FROM (SELECT i, (:today)::date + 400 + ((i * 37 + :k * 1231) % 3300) AS d
                      FROM generate_series(1, :n) AS i) AS s
                """
            ),
            {"rule": rule, "service": service, "n": citizens, "k": k, "today": TODAY},
        )
    # The duties due a reminder today: passports due in exactly 30 days ("30" lead).
    conn.execute(
        text(
            """
            UPDATE duty SET due_date = :due, window_start = :due - 400, status = 'open'
            WHERE rule = 'passport_renewal' AND owner_account_id <= :m
            """
        ),
        {"due": TODAY + timedelta(days=30), "m": due},
    )


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - started, result


def bench_sweep(app, repeat: int) -> dict:
    from webapp.core.db import db
    from webapp.reminders.sweep import sweep

    def once():
        with db.transaction() as session:
            return sweep(session, TODAY, NOW)

    first, report = timed(once)
    again = [timed(once)[0] for _ in range(repeat)]
    return {"first": first, "inserted": report.inserted, "again": statistics.median(again)}


def reset_outbox(app, channel: str) -> None:
    from webapp.core.db import db

    with db.transaction() as session:
        session.execute(text("DELETE FROM inbox_item"))
        session.execute(
            text(
                "UPDATE notification SET status = 'pending', claimed_by = NULL, "
                "lease_until = NULL, sent_at = NULL, attempts = 0, next_attempt_at = :now "
                "WHERE channel = :c"
            ),
            {"now": NOW, "c": channel},
        )
        other = "email" if channel == "inbox" else "inbox"
        session.execute(
            text("UPDATE notification SET status = 'cancelled' WHERE channel = :o"), {"o": other}
        )
        session.execute(text("ANALYZE notification"))


def run_dispatchers(app, n: int, smtp_url: str = "") -> tuple[float, list]:
    from webapp.core.db import db
    from webapp.reminders.channels.email import Mailer
    from webapp.reminders.dispatch import DispatchConfig, dispatch_once

    cfg = DispatchConfig(batch=100, lease_seconds=600)
    reports: list = []
    barrier = threading.Barrier(n + 1)

    def worker(i: int):
        with app.app_context():
            mailer = Mailer(smtp_url, Path(app.config["INSTANCE_PATH"]) / "outbox.log")
            barrier.wait()
            with mailer:
                reports.append(
                    dispatch_once(
                        db.new_session, NOW, TODAY, worker=f"b{i}", cfg=cfg, mailer=mailer
                    )
                )

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    return time.perf_counter() - started, reports


SINK = """
import sys, time
from aiosmtpd.controller import Controller
out = open(sys.argv[2], "a", buffering=1)
class Handler:
    async def handle_DATA(self, server, session, envelope):
        for line in envelope.content.split(b"\\n"):
            if line.startswith(b"X-Lifepage-Notification:"):
                out.write(line.split(b":", 1)[1].strip().decode() + "\\n")
        return "250 OK"
Controller(Handler(), hostname="127.0.0.1", port=int(sys.argv[1])).start()
print("ready", flush=True)
time.sleep(100000)
"""


class SinkProcess:
    """aiosmtpd in its own process (so it does not share the dispatchers' GIL); each
    received message's X-Lifepage-Notification tag is appended to a file."""

    def __init__(self):
        import socket
        import subprocess

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.path = Path(tempfile.mkdtemp(prefix="bench-smtp-")) / "tags.txt"
        self.proc = subprocess.Popen(
            [sys.executable, "-c", SINK, str(self.port), str(self.path)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout.readline().strip() == "ready"
        self.url = f"smtp://127.0.0.1:{self.port}"

    def tags(self) -> list[str]:
        time.sleep(0.5)
        return self.path.read_text().split() if self.path.exists() else []

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)
        self.proc.stdout.close()


def enable_email(app, accounts: int) -> None:
    from webapp.core.db import db

    with db.transaction() as session:
        session.execute(
            text(
                """
                INSERT INTO notification_settings (account_id, email_enabled, quiet_start,
                    quiet_end, digest, weekly_email_budget, muted_rules)
                SELECT i, true, '00:00', '00:00', 'none', 1000, '[]'::json
                FROM generate_series(1, :m) AS i
                """
            ),
            {"m": accounts},
        )
        session.execute(
            text(
                """
                INSERT INTO consent (account_id, purpose, granted, version, created_at)
                SELECT i, 'email_reminders', true, '1', now() FROM generate_series(1, :m) AS i
                """
            ),
            {"m": accounts},
        )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--emails", type=int, default=3000, help="e-mails per SMTP run")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    from webapp import create_app
    from webapp.core.db import db
    from webapp.core.migrate import upgrade

    sizes = [int(s) for s in args.sizes.split(",")]
    instance = tempfile.mkdtemp(prefix="bench-reminders-")
    print(f"database {args.database_url}; {args.due:,} duties due a reminder today")
    for index, size in enumerate(sizes):
        reset(args.database_url)
        app = create_app(
            {
                "DATABASE_URL": args.database_url,
                "INSTANCE_PATH": instance,
                "SECRET_KEY": "b",
                "SMTP_URL": "",
            }
        )
        with app.app_context():
            upgrade(db.engine)
            seconds, _ = timed(_populate, db, size, args.due)
            with db.engine.connect() as conn:
                duties = conn.execute(text("SELECT count(*) FROM duty")).scalar()
            print(f"\n{size:,} citizens, {duties:,} duties (generated in {seconds:.1f} s)")
            result = bench_sweep(app, args.repeat)
            print(
                f"  sweep, first run: {result['first'] * 1000:.0f} ms, "
                f"{result['inserted']:,} outbox rows inserted"
            )
            print(
                f"  sweep, again (all present, nothing inserted): "
                f"{result['again'] * 1000:.0f} ms (median of {args.repeat})"
            )
            if index == 0:
                bench_dispatch(app, args)
        db_dispose(app)


def _populate(db, size: int, due: int) -> None:
    with db.engine.begin() as conn:
        populate(conn, size, due)
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))


def db_dispose(app) -> None:
    with app.app_context():
        from webapp.core.db import db

        db.engine.dispose()


def bench_dispatch(app, args) -> None:
    from webapp.core.db import db

    inbox_rows = args.due
    for n in (1, 2):
        reset_outbox(app, "inbox")
        seconds, reports = run_dispatchers(app, n)
        sent = sum(r.outcomes.get("sent", 0) for r in reports)
        with db.engine.connect() as conn:
            items = conn.execute(text("SELECT count(*) FROM inbox_item")).scalar()
        assert sent == inbox_rows == items, (sent, inbox_rows, items)
        print(
            f"  dispatch to the inbox, {n} dispatcher(s): {sent:,} in {seconds:.1f} s = "
            f"{sent / seconds:,.0f}/s (inbox items: {items:,}, each once)"
        )
    # E-mail: the first --emails accounts opt in; the sweep adds their e-mail rows.
    enable_email(app, args.emails)
    from webapp.reminders.sweep import sweep

    with db.transaction() as session:
        # E-mail goes out with new reminders only: start the outbox afresh.
        session.execute(text("DELETE FROM inbox_item"))
        session.execute(text("DELETE FROM notification"))
        sweep(session, TODAY, NOW)
    for n in (1, 2):
        sink = SinkProcess()
        try:
            reset_outbox(app, "email")
            seconds, reports = run_dispatchers(app, n, sink.url)
            sent = sum(r.outcomes.get("sent", 0) for r in reports)
            tags = sink.tags()
        finally:
            sink.stop()
        assert sent == len(tags) == len(set(tags)) == args.emails, (sent, len(tags))
        print(
            f"  dispatch by e-mail to a local aiosmtpd, {n} dispatcher(s): {sent:,} in "
            f"{seconds:.1f} s = {sent / seconds:,.0f}/s (received {len(tags):,}, each once)"
        )


if __name__ == "__main__":
    main()
