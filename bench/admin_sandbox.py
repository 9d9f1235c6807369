"""The admin sandbox at population scale: reach, a preview with samples, publish.

    .venv/bin/python bench/admin_sandbox.py                  # 600 synthetic people, SQLite
    .venv/bin/python bench/admin_sandbox.py --users 5000
    .venv/bin/python bench/admin_sandbox.py --database-url postgresql+psycopg://…

Prints how long the sandbox takes for a draft rule (boost 生育登记 for parents of a child
under one): the reach over every citizen and enterprise (bulk contexts, consents and
switched-off tags applied), a preview with one chosen user plus N sampled users (before and
after rankings through the serving code, NDCG@10 on their hold-out), and a publish.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--users", type=int, default=600)
    parser.add_argument("--samples", type=int, default=10)
    args = parser.parse_args()
    instance = tempfile.mkdtemp(prefix="lifepage-bench-admin-")
    url = args.database_url or f"sqlite:///{instance}/bench.sqlite3"

    from sqlalchemy import func, select

    from webapp import create_app
    from webapp.admin import rules_admin, sandbox
    from webapp.admin.schemas import RuleIn
    from webapp.bootstrap import bootstrap
    from webapp.core.clock import local_today
    from webapp.core.db import db
    from webapp.demo.population import seed_population
    from webapp.models import Account

    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": instance})
    t = time.perf_counter()
    bootstrap(app, population=False)
    with app.app_context(), db.transaction() as session:
        seed_population(session, local_today(), n_users=args.users)
    print(f"set-up ({args.users} synthetic people, first model): {time.perf_counter() - t:.1f} s")

    today = local_today()
    with app.test_request_context():
        session = db.session
        n = session.scalar(
            select(func.count()).select_from(Account).where(Account.role == "citizen")
        )
        rule = RuleIn.model_validate(
            {
                "name": "新生儿家庭优先生育登记",
                "action": "boost",
                "weight": 5,
                "targets": {"services": ["birth_service_registration"]},
                "segment": {"child_age_max": 0},
            }
        )
        rules_admin.create_draft(session, None, rule)
        session.commit()
        drafts = rules_admin.to_rules(
            [rules_admin.rule_dict(r) for r in rules_admin.list_drafts(session)]
        )
        params = rules_admin.blend_params_of(rules_admin.draft_params(session))

        t = time.perf_counter()
        users, ents, reached = sandbox.reach(session, drafts, today)
        reach_s = time.perf_counter() - t
        print(
            f"reach over {n} citizens and the enterprises: {reach_s * 1000:.0f} ms → {users} users, {ents} enterprises"
        )

        chosen = session.get(Account, reached[0]) if reached else None
        t = time.perf_counter()
        result = sandbox.preview(session, drafts, params, today, chosen, args.samples)
        preview_s = time.perf_counter() - t
        print(
            f"preview (reach + {len(result.samples)} users before/after + NDCG@10, engine {result.engine}): "
            f"{preview_s * 1000:.0f} ms; NDCG@10 before {result.ndcg_before} after {result.ndcg_after} "
            f"over {result.ndcg_users} users"
        )
        t = time.perf_counter()
        rules_admin.publish(session, None, "bench")
        session.commit()
        print(f"publish: {(time.perf_counter() - t) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
