"""Health of the parts: the database, the model, the scheduler heartbeat."""

from __future__ import annotations

from sqlalchemy import select, text

from ..clock import now
from ..db import db
from ..models import Heartbeat


def health() -> tuple[dict, bool]:
    report: dict = {"database": "ok"}
    ok = True
    try:
        db.session.execute(text("SELECT 1"))
        beat = db.session.scalar(select(Heartbeat).where(Heartbeat.name == "scheduler"))
        report["scheduler_heartbeat_age_seconds"] = (
            None if beat is None else int((now() - beat.beat_at).total_seconds())
        )
    except Exception:
        db.session.rollback()
        report["database"] = "unavailable"
        ok = False
    report["status"] = "ok" if ok else "unavailable"
    return report, ok
