"""Reminders and traffic through the multi-process layout: no duplicate, no lost reminder.

    bench/deploy_local.sh start
    .venv/bin/python bench/check_deploy.py            # --citizens 60 --timeout 480

Against the running layout (gunicorn 4 workers, one scheduler, two dispatchers, the
aiosmtpd Maildir sink, all from bench/deploy_local.sh):

1. signs up ``--citizens`` new citizens through the JSON API, each with a driving licence
   that expires in 20 days (so its renewal duty is due a reminder today), e-mail
   reminders on and no quiet hours;
2. while the scheduler sweeps and the dispatchers deliver, keeps page traffic going
   (``--traffic-threads`` threads reading ``/api/v1/me/page`` and ``/api/v1/me/inbox``);
3. waits until nothing of theirs is pending, then checks on the database and the Maildir:
   - every duty the sweep finds due a reminder (the app's own ``_candidates`` selection)
     has exactly one inbox notification, ``sent``, and exactly one inbox item;
   - every e-mail notification that is ``sent`` arrived exactly once at the SMTP sink
     (``X-Lifepage-Notification`` header), and no e-mail arrived twice;
   - in the whole database (the bench population included): no notification with two
     inbox items, no (duty, lead) with two inbox items, every inbox item's notification
     ``sent``.
Exit status 0 when every check passes. Loopback only.
"""

from __future__ import annotations

import argparse
import mailbox
import os
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "check-deploy-password-1"


def api(session: requests.Session, base: str, method: str, path: str, token=None, **kw):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    r = session.request(method, base + "/api/v1" + path, headers=headers, timeout=30, **kw)
    if r.status_code >= 400:
        raise RuntimeError(f"{method} {path}: {r.status_code} {r.text[:300]}")
    return r.json() if r.content else None


def sign_up(base: str, run: str, n: int, today) -> list[dict]:
    people = []
    s = requests.Session()
    for i in range(n):
        email = f"deploycheck-{run}-{i:03d}@example.test"
        api(s, base, "POST", "/accounts", json={"email": email, "password": PASSWORD,
                                                 "kind": "citizen"})  # fmt: skip
        token = api(s, base, "POST", "/tokens", json={"email": email, "password": PASSWORD})[
            "token"
        ]
        api(
            s,
            base,
            "PUT",
            "/me/profile",
            token,
            json={
                "birth_date": "1985-03-14",
                "gender": "female" if i % 2 else "male",
                "region_code": "440106",
                "retirement_category": "female_worker" if i % 2 else "male",
                "driver_license": {
                    "issued_on": (today - timedelta(days=6 * 365 - 20)).isoformat(),
                    "expires_on": (today + timedelta(days=20)).isoformat(),
                },
            },
        )
        api(
            s,
            base,
            "PUT",
            "/me/notification-settings",
            token,
            json={
                "email_enabled": True,
                "quiet_start": "00:00",
                "quiet_end": "00:00",
                "digest": "none",
                "weekly_email_budget": 100,
                "muted_rules": [],
            },
        )
        people.append({"email": email, "token": token})
    return people


def verify_addresses(base: str, maildir: Path, emails: list[str], timeout: float = 60) -> None:
    """Confirm each address with the link the sign-up mailed to it (reminder e-mails go
    only to verified addresses)."""
    import re

    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True, exist_ok=True)
    left = {e.lower() for e in emails}
    s = requests.Session()
    deadline = time.monotonic() + timeout
    while left and time.monotonic() < deadline:
        for msg in mailbox.Maildir(str(maildir), create=False):
            to = str(msg["To"] or "").lower()
            if to not in left:
                continue
            for part in msg.walk():
                if part.get_content_type() != "text/plain":
                    continue
                text = part.get_payload(decode=True).decode("utf-8", "replace")
                found = re.search(r"/verify/([A-Za-z0-9_.\-]+)", text)
                if found:
                    api(s, base, "POST", "/accounts/verification", json={"token": found[1]})
                    left.discard(to)
                    break
        if left:
            time.sleep(1)
    if left:
        raise RuntimeError(f"{len(left)} verification e-mails did not arrive")


class Traffic(threading.Thread):
    def __init__(self, base: str, people: list[dict], stop: threading.Event):
        super().__init__(daemon=True)
        self.base, self.people, self.stop = base, people, stop
        self.requests = 0
        self.errors: Counter = Counter()

    def run(self) -> None:
        s = requests.Session()
        i = 0
        while not self.stop.is_set():
            person = self.people[i % len(self.people)]
            i += 1
            for path in ("/me/page", "/me/inbox"):
                try:
                    r = s.get(
                        self.base + "/api/v1" + path,
                        headers={"Authorization": f"Bearer {person['token']}"},
                        timeout=30,
                    )
                    self.requests += 1
                    if r.status_code != 200:
                        self.errors[r.status_code] += 1
                except requests.RequestException as exc:
                    self.errors[type(exc).__name__] += 1


def maildir_counts(path: Path) -> Counter:
    for sub in ("cur", "new", "tmp"):
        (path / sub).mkdir(parents=True, exist_ok=True)
    box = mailbox.Maildir(str(path), create=False)
    counts: Counter = Counter()
    for message in box:
        tag = message.get("X-Lifepage-Notification")
        if tag:
            counts[str(tag)] += 1
    return counts


def check(app, emails: list[str], maildir: Path, today) -> tuple[list[str], dict]:
    from sqlalchemy import func, select

    from webapp.core.db import db
    from webapp.models import Account, InboxItem, Notification
    from webapp.reminders import policy
    from webapp.reminders.sweep import _candidates, _recipients

    problems: list[str] = []
    figures: dict = {}
    with app.app_context(), db.transaction() as session:
        accounts = dict(
            session.execute(
                select(Account.id, Account.email).where(Account.email.in_(emails))
            ).all()
        )
        rows, _leads = _candidates(session, policy.lead_table(session), today)
        recipients = _recipients(session, rows)
        due = {d for d, a in recipients.items() if a in accounts}
        figures["accounts"] = len(accounts)
        figures["duties due a reminder"] = len(due)
        if len(due) < len(accounts):
            problems.append(f"only {len(due)} due duties for {len(accounts)} accounts")
        notes = session.execute(
            select(Notification.id, Notification.duty_id, Notification.channel,
                   Notification.status, Notification.lead)
            .where(Notification.account_id.in_(list(accounts)))
        ).all()  # fmt: skip
        inbox_by_note = Counter(
            session.scalars(
                select(InboxItem.notification_id).where(InboxItem.account_id.in_(list(accounts)))
            )
        )
        inbox_notes = [n for n in notes if n.channel == "inbox"]
        email_notes = [n for n in notes if n.channel == "email"]
        figures["inbox notifications"] = len(inbox_notes)
        figures["inbox items"] = sum(inbox_by_note.values())
        figures["e-mail notifications"] = Counter(n.status for n in email_notes)
        per_duty = Counter(n.duty_id for n in inbox_notes)
        for duty_id in sorted(due):
            if per_duty[duty_id] != 1:
                problems.append(f"duty {duty_id}: {per_duty[duty_id]} inbox notifications")
        for n in inbox_notes:
            if n.status != "sent":
                problems.append(f"inbox notification {n.id} is {n.status}")
            if inbox_by_note[n.id] != 1:
                problems.append(f"notification {n.id}: {inbox_by_note[n.id]} inbox items")
        mails = maildir_counts(maildir)
        sent_mail = {str(n.id) for n in email_notes if n.status == "sent"}
        ours = {str(n.id) for n in email_notes}
        figures["e-mails received"] = sum(c for t, c in mails.items() if t in ours)
        email_duties = Counter(n.duty_id for n in email_notes)
        for duty_id in sorted(due):
            if email_duties[duty_id] != 1:
                problems.append(f"duty {duty_id}: {email_duties[duty_id]} e-mail notifications")
        for tag in sorted(sent_mail):
            if mails[tag] != 1:
                problems.append(f"e-mail notification {tag}: received {mails[tag]} times")
        for tag, count in mails.items():
            if count > 1:
                problems.append(f"e-mail {tag} received {count} times")
        # the whole database, the bench population included
        dup_items = session.execute(
            select(InboxItem.notification_id, func.count())
            .where(InboxItem.notification_id.is_not(None))
            .group_by(InboxItem.notification_id)
            .having(func.count() > 1)
        ).all()
        dup_leads = session.execute(
            select(Notification.duty_id, Notification.lead, func.count(InboxItem.id))
            .join(InboxItem, InboxItem.notification_id == Notification.id)
            .group_by(Notification.duty_id, Notification.lead)
            .having(func.count(InboxItem.id) > 1)
        ).all()
        unsent = session.scalar(
            select(func.count())
            .select_from(InboxItem)
            .join(Notification, Notification.id == InboxItem.notification_id)
            .where(Notification.status != "sent")
        )
        figures["all inbox items in the database"] = session.scalar(
            select(func.count()).select_from(InboxItem)
        )
        figures["duplicate inbox items (whole database)"] = len(dup_items) + len(dup_leads)
        if dup_items or dup_leads:
            problems.append(f"duplicates in the whole database: {dup_items[:5]} {dup_leads[:5]}")
        if unsent:
            problems.append(f"{unsent} inbox items whose notification is not sent")
    return problems, figures


def pending(app, emails: list[str]) -> int:
    from sqlalchemy import func, select

    from webapp.core.db import db
    from webapp.models import Account, Notification

    with app.app_context(), db.transaction() as session:
        return session.scalar(
            select(func.count())
            .select_from(Notification)
            .join(Account, Account.id == Notification.account_id)
            .where(Account.email.in_(emails), Notification.status.in_(("pending", "claimed", "retry")))
        )  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", default=os.environ.get("BENCH_URL", "http://127.0.0.1:8077"))
    p.add_argument("--database-url", default=os.environ.get("DATABASE_URL",
                   "postgresql+psycopg://postgres@127.0.0.1:5432/lifepage_bench"))  # fmt: skip
    p.add_argument("--instance", default=os.environ.get("INSTANCE_PATH",
                   "/tmp/lifepage-deploy/instance"))  # fmt: skip
    p.add_argument("--maildir", default=os.environ.get("MAILDIR", "/tmp/lifepage-deploy/maildir"))
    p.add_argument("--citizens", type=int, default=60)
    p.add_argument("--traffic-threads", type=int, default=4)
    p.add_argument("--timeout", type=float, default=480)
    args = p.parse_args(argv)
    if not args.url.startswith(("http://127.0.0.1:", "http://localhost:")):
        raise SystemExit(f"refusing a non-loopback target: {args.url}")

    from webapp import create_app
    from webapp.core.clock import local_today

    app = create_app({"DATABASE_URL": args.database_url, "INSTANCE_PATH": args.instance})
    today = local_today()
    run = uuid.uuid4().hex[:8]
    started = time.perf_counter()
    print(f"check_deploy run {run}: {args.citizens} citizens via {args.url}", flush=True)
    people = sign_up(args.url, run, args.citizens, today)
    emails = [x["email"] for x in people]
    verify_addresses(args.url, Path(args.maildir), emails)
    print(f"  signed up in {time.perf_counter() - started:.1f} s; traffic and reminders…")
    stop = threading.Event()
    threads = [Traffic(args.url, people, stop) for _ in range(args.traffic_threads)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + args.timeout
    time.sleep(5)
    while time.monotonic() < deadline:
        left = pending(app, emails)
        problems, figures = check(app, emails, Path(args.maildir), today)
        if left == 0 and not problems:
            break
        time.sleep(5)
    stop.set()
    for t in threads:
        t.join(timeout=40)
    waited = time.perf_counter() - started
    problems, figures = check(app, emails, Path(args.maildir), today)
    figures["pending at the end"] = pending(app, emails)
    figures["traffic requests"] = sum(t.requests for t in threads)
    errors = sum((t.errors for t in threads), Counter())
    figures["traffic errors"] = dict(errors) or 0
    if errors:
        problems.append(f"traffic errors: {dict(errors)}")
    if figures["pending at the end"]:
        problems.append(f"{figures['pending at the end']} notifications still pending")
    for key, value in figures.items():
        print(f"  {key}: {value}")
    print(f"  elapsed: {waited:.1f} s")
    with app.app_context():
        from webapp.core.db import db

        db.engine.dispose()
    if problems:
        print("FAILED:")
        for line in problems[:40]:
            print(f"  - {line}")
        return 1
    print("OK: every due reminder delivered exactly once (inbox and e-mail), no duplicates")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
