"""Holiday calendars: see what decides a year's days off and publish the State Council's
arrangement; publishing recomputes the duties it moves."""

from __future__ import annotations

import re
from datetime import date, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from webapp import duties
from webapp.admin import bp
from webapp.admin.common import actor_id
from webapp.core import clock
from webapp.core.db import db
from webapp.core.forms import service_error_dict
from webapp.core.service_errors import ServiceError

_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\.\.(\d{4}-\d{2}-\d{2}))?$")


def parse_dates(text: str, field: str) -> list[date]:
    """Dates separated by spaces, commas or lines; ``a..b`` is every day from a to b."""
    out: list[date] = []
    for token in re.split(r"[\s,，、]+", text or ""):
        if not token:
            continue
        match = _RANGE.match(token)
        try:
            if match is None:
                raise ValueError(token)
            first = date.fromisoformat(match.group(1))
            last = date.fromisoformat(match.group(2) or match.group(1))
        except ValueError as exc:
            raise ServiceError(
                "invalid_date",
                _(
                    "“%(value)s” is not a date (YYYY-MM-DD) or a range (YYYY-MM-DD..YYYY-MM-DD).",
                    value=token[:40],
                ),
                field,
            ) from exc
        if last < first or (last - first).days > 31:
            raise ServiceError(
                "invalid_range", _("A range runs forward and spans at most a month."), field
            )
        out.extend(first + timedelta(days=i) for i in range((last - first).days + 1))
    return out


def _page(year: int, errors: dict | None = None, values: dict | None = None, status: int = 200):
    try:
        found = duties.holidays_in_force(db.session, year)
    except ServiceError:
        abort(404)
    today = clock.local_today()
    return render_template(
        "admin/holidays.html",
        year=year,
        found=found,
        years=range(today.year - 1, today.year + 3),
        errors=errors or {},
        values=values
        or {
            "source": found.source if found.origin == "published" else "",
            "holidays": "\n".join(d.isoformat() for d in found.holidays)
            if found.origin == "published"
            else "",
            "workdays": "\n".join(d.isoformat() for d in found.workdays)
            if found.origin == "published"
            else "",
        },
    ), status


@bp.route("/holidays")
def holidays():
    year = request.args.get("year", type=int) or clock.local_today().year + 1
    return _page(year)


@bp.route("/holidays/<int:year>", methods=["POST"])
def holidays_publish(year: int):
    values = {k: request.form.get(k, "")[:5000] for k in ("source", "holidays", "workdays")}
    session = db.session
    try:
        duties.holidays_in_force(session, year)
    except ServiceError:
        abort(404)
    try:
        cal = duties.build_calendar(
            year,
            values["source"],
            parse_dates(values["holidays"], "holidays"),
            parse_dates(values["workdays"], "workdays"),
        )
        report = duties.publish_holidays(session, actor_id(), cal, clock.local_today())
        session.commit()
    except ServiceError as exc:
        session.rollback()
        return _page(year, service_error_dict(exc), values, 422)
    if report.changed:
        flash(
            _(
                "The %(year)s calendar is published: %(duties)d duties moved, "
                "%(reminders)d queued reminders moved with them.",
                year=year,
                duties=report.moved_duties,
                reminders=report.moved_reminders,
            )
        )
    else:
        flash(_("Nothing changed: this calendar is already in force."))
    return redirect(url_for("admin.holidays", year=year))
