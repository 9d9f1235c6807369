"""Benchmark: the privacy export of a heavy user (10,000 interactions and more).

    .venv/bin/python bench/export.py
    .venv/bin/python bench/export.py --interactions 50000 --database-url postgresql+psycopg://...

A fresh database (SQLite in a temporary directory by default) gets the catalog and one
citizen with a profile, two household members, an enterprise membership, N interactions,
500 inbox items and 200 access-log rows (plain bulk inserts, not timed). Then the export is
timed three ways: the service (``privacy.export_json``), ``GET /api/v1/me/export`` and the
privacy centre's download ``GET /privacy/export``, each as the median of --repeat runs.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import os  # noqa: E402

os.environ.setdefault("LIFEPAGE_FAST_PASSWORD_HASH", "1")

from sqlalchemy import insert, select  # noqa: E402

from webapp import create_app  # noqa: E402
from webapp.core.db import db  # noqa: E402
from webapp.core.migrate import upgrade  # noqa: E402
from webapp.models import AccessLog, InboxItem, Interaction, Service  # noqa: E402

PASSWORD = "bench-export-password"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interactions", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="bench_export_")
    url = args.database_url or f"sqlite:///{tmp}/export.sqlite3"
    app = create_app(
        {
            "DATABASE_URL": url,
            "INSTANCE_PATH": tmp,
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    from webapp.accounts import services as accounts
    from webapp.catalog.sync import load_from_path
    from webapp.enterprise import services as enterprises
    from webapp.enterprise.schemas import EnterpriseIn
    from webapp.people import services as profiles
    from webapp.people.household_schemas import HouseholdIn
    from webapp.people.schemas import ProfileIn

    with app.app_context():
        upgrade(db.engine)
        with db.transaction() as session:
            load_from_path(session)
        with app.test_request_context(), db.transaction() as session:
            account = accounts.create_account(session, "heavy@example.test", PASSWORD)
            profiles.replace_profile(
                session,
                account,
                ProfileIn.model_validate(
                    {
                        "full_name": "张伟",
                        "id_number": "11010519491231002X",
                        "birth_date": "1949-12-31",
                        "gender": "female",
                        "region_code": "110105",
                        "retirement_category": "female_worker",
                    }
                ),
            )
            for name, born in (("张小明", date(2015, 3, 1)), ("张小红", date(2019, 8, 9))):
                profiles.add_member(
                    session,
                    account,
                    HouseholdIn(
                        relation="child",
                        name=name,
                        birth_date=born,
                        gender="male",
                        guardian_consent=True,
                    ),
                )
            from lifecycle.identifiers import make_credit_code

            enterprises.register_verified(
                session,
                account,
                EnterpriseIn.model_validate(
                    {
                        "credit_code": make_credit_code("91110105MA0000001"),
                        "name": "张记餐饮有限公司",
                        "established_on": "2020-01-15",
                        "industry": "catering",
                        "size": "micro",
                        "region_code": "110105",
                    }
                ),
            )
            account_id = account.id
            service_ids = list(session.scalars(select(Service.id)))
            rng = random.Random(7)
            start = datetime(2024, 1, 1, tzinfo=UTC)
            kinds = ("impression", "view", "pin", "apply", "complete", "dismiss")
            session.execute(
                insert(Interaction),
                [
                    {
                        "account_id": account_id,
                        "service_id": rng.choice(service_ids),
                        "kind": rng.choice(kinds),
                        "source": "page",
                        "created_at": start + timedelta(minutes=97 * n),
                    }
                    for n in range(args.interactions)
                ],
            )
            session.execute(
                insert(InboxItem),
                [
                    {
                        "account_id": account_id,
                        "title": {"zh_Hans": f"提醒 {n}", "en": f"Reminder {n}"},
                        "body": {"zh_Hans": "请按时办理", "en": "Please apply in time"},
                        "created_at": start + timedelta(days=n),
                    }
                    for n in range(500)
                ],
            )
            session.execute(
                insert(AccessLog),
                [
                    {
                        "subject_account_id": account_id,
                        "actor_label": "管理员 admin@example.test",
                        "what": "profile",
                        "purpose": f"工单 {n}: 核对信息",
                        "created_at": start + timedelta(hours=n),
                    }
                    for n in range(200)
                ],
            )

    from webapp.models import Account
    from webapp.privacy import services as privacy

    def timed(fn) -> tuple[float, int]:
        runs, size = [], 0
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            size = fn()
            runs.append(time.perf_counter() - t0)
        return statistics.median(runs), size

    with app.test_request_context():
        session = db.session
        account = session.get(Account, account_id)
        service_s, size = timed(lambda: len(privacy.export_json(session, account).encode()))
        session.close()

    client = app.test_client()
    token = client.post(
        "/api/v1/tokens", json={"email": "heavy@example.test", "password": PASSWORD}
    ).json["token"]
    headers = {"Authorization": f"Bearer {token}"}

    def api() -> int:
        response = client.get("/api/v1/me/export", headers=headers)
        assert response.status_code == 200
        return len(response.data)

    api_s, api_size = timed(api)
    browser = app.test_client()
    browser.post("/login", data={"email": "heavy@example.test", "password": PASSWORD})

    def page() -> int:
        response = browser.get("/privacy/export")
        assert (
            response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
        )
        return len(response.data)

    page_s, _ = timed(page)
    data = json.loads(client.get("/api/v1/me/export", headers=headers).data)
    print(f"database: {url.split(':', 1)[0]}")
    print(
        f"interactions: {len(data['interactions'])}, inbox: {len(data['inbox'])}, "
        f"access log: {len(data['access_log'])}, duties: {len(data['duties'])}"
    )
    print(f"export size: {size / 1e6:.2f} MB (API response {api_size / 1e6:.2f} MB)")
    print(f"privacy.export_json: {service_s * 1000:.0f} ms (median of {args.repeat})")
    print(f"GET /api/v1/me/export: {api_s * 1000:.0f} ms")
    print(f"GET /privacy/export: {page_s * 1000:.0f} ms")
    with app.app_context():
        db.engine.dispose()


if __name__ == "__main__":
    main()
