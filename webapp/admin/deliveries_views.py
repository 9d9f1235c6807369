"""Failed deliveries: reminders the dispatcher gave up on (or is retrying after an error),
with the recorded reason; in the console and as JSON for admins."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from flask import render_template

from webapp import reminders
from webapp.admin import bp
from webapp.core.api import bp as api_bp
from webapp.core.api.spec import endpoint
from webapp.core.db import db
from webapp.core.schemas import OutModel


@bp.route("/deliveries")
def deliveries():
    rows = reminders.failed_deliveries(db.session)
    return render_template("admin/deliveries.html", rows=rows)


class FailedDeliveryOut(OutModel):
    id: int
    channel: str
    lead: str
    rule: str | None
    status: str
    attempts: int
    reason: str
    created_at: datetime
    next_attempt_at: datetime | None


class FailedDeliveryList(OutModel):
    items: list[FailedDeliveryOut]


@endpoint(
    api_bp,
    "/admin/deliveries/failed",
    summary="Reminder deliveries that failed or wait to retry after an error",
    tag="admin",
    response=FailedDeliveryList,
    admin=True,
)
def api_failed_deliveries():
    return {"items": [asdict(r) for r in reminders.failed_deliveries(db.session)]}
