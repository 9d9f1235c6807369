"""First-run set-up: migrate to head, load the catalog, create the demo data (idempotent)."""

from __future__ import annotations

import logging

from sqlalchemy import func, select

from webapp.catalog.models import Service
from webapp.core.clock import local_today
from webapp.core.db import db
from webapp.core.migrate import upgrade
from webapp.demo.population import seed_population

log = logging.getLogger(__name__)


def seed_all(population: bool = True) -> str:
    """Catalog and demo data; each step is skipped when already done. Returns a summary."""
    from webapp import demo, duties
    from webapp.catalog.sync import load_from_path

    lines = []
    with db.transaction() as session:
        if not session.scalar(select(func.count()).select_from(Service)):
            report = load_from_path(session)
            lines.append(f"catalog: {report.services} services, {report.bundles} bundles")
            calendars = duties.load_holiday_files(session, local_today())
            lines.append(f"holiday calendars: {', '.join(str(c.year) for c in calendars)}")
    with db.transaction() as session:
        if demo.seed_demo_accounts(session, local_today()):
            lines.append("demo accounts created")
    if population:
        with db.transaction() as session:
            summary = seed_population(session, local_today())
            if summary:
                lines.append(summary)
    return "; ".join(lines) or "nothing to do: the data is there"


def bootstrap(app, population: bool = True) -> str:
    with app.app_context():
        upgrade(db.engine)
        return seed_all(population=population)
