"""What is due: the caller's duties in one list by due date (filter by person), or grouped
by person, with Done / Snooze / Dismiss / Reopen as plain POST forms (no JavaScript needed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from webapp import reminders
from webapp.catalog.models import Service
from webapp.core import clock
from webapp.core.db import db
from webapp.core.navigation import register_nav
from webapp.core.service_errors import NotFound, ServiceError
from webapp.duties import services as duties
from webapp.duties.models import OPEN_STATUSES, Duty

bp = Blueprint("duties", __name__, url_prefix="/me/duties")

register_nav("duties.index", lambda: _("What is due"), order=20, roles=("citizen", "business"))

STATUS_FILTERS = {"open": ("open",), "done": ("done",), "all": duties.VISIBLE_STATUSES}
PERIODS = {"30": 30, "year": 366, "all": None}
SNOOZE_DEFAULT_DAYS = 7


def _me():
    return db.session.merge(current_user._get_current_object())


VIEWS = ("list", "groups")


@dataclass(frozen=True)
class Filters:
    """What the page shows: status, period, one list or groups, and whose duties
    (``who`` is a subject key such as ``household-7``; empty = everyone's)."""

    status: str = "open"
    period: str = "year"
    view: str = "list"
    who: str = ""

    def args(self, **changes) -> dict[str, str]:
        values = {**self.__dict__, **changes}
        return {k: v for k, v in values.items() if v and v != getattr(Filters, k)}


def _filters(source) -> Filters:
    status = source.get("status", "open")
    period = source.get("period", "year")
    view = source.get("view", "list")
    who = source.get("who", "")
    return Filters(
        status if status in STATUS_FILTERS else "open",
        period if period in PERIODS else "year",
        view if view in VIEWS else "list",
        who if duties.SUBJECT_KEY.fullmatch(who or "") else "",
    )


@dataclass
class DutyRow:
    duty: Duty
    status: str
    overdue: bool
    service_name: dict | None  # None: the service is not in the catalog (no link)
    snooze_default: date
    error: str | None = None
    whose: str = ""  # the person or enterprise it is for, in the one-list view


def _rows(account, filters: Filters, today: date, errors: dict[int, str]):
    days = PERIODS[filters.period]
    found = duties.duties_for_account(
        db.session,
        account,
        date_to=today + timedelta(days=days) if days is not None else None,
        statuses=STATUS_FILTERS[filters.status],
        today=today,
    )
    # A duty whose form has an error is shown whatever the filter, with its message.
    shown = {d.id for d in found}
    for duty_id in errors:
        if duty_id not in shown:
            found.append(duties.get_duty(db.session, account, duty_id))
    codes = {d.service_code for d in found}
    names = (
        {
            code: name
            for code, name in db.session.execute(
                select(Service.code, Service.name).where(Service.code.in_(codes))
            )
        }
        if codes
        else {}
    )
    people = [(duties.subject_key(g.duties[0]), g) for g in duties.group_by_subject(found)]
    if filters.who:
        found = [d for d in found if duties.subject_key(d) == filters.who or d.id in errors]
    groups = []
    if filters.view == "list":
        found.sort(key=lambda d: (d.due_date, d.id))
        grouped = [duties.SubjectGroup("all", 0, "", found)] if found else []
    else:
        grouped = duties.group_by_subject(found)
    for group in grouped:
        rows = []
        for d in group.duties:
            state = duties.effective_status(d, today)
            rows.append(
                DutyRow(
                    d,
                    state,
                    overdue=state == "open" and d.due_date < today,
                    service_name=names.get(d.service_code),
                    snooze_default=min(
                        today + timedelta(days=SNOOZE_DEFAULT_DAYS),
                        d.due_date + duties.SNOOZE_MAX,
                    ),
                    error=errors.get(d.id),
                    whose=duties.subject_label(d),
                )
            )
        groups.append((group, rows))
    return groups, people


def _render(filters: Filters, errors: dict[int, str] | None = None, code: int = 200):
    today = clock.local_today()
    account = _me()
    groups, people = _rows(account, filters, today, errors or {})
    rules = [row.duty.rule for _group, rows in groups for row in rows]
    return (
        render_template(
            "duties/index.html",
            groups=groups,
            reminder_times=reminders.reminder_times(db.session, account.id, rules),
            people=people,
            filters=filters,
            status=filters.status,
            period=filters.period,
            today=today,
            snooze_min=today + timedelta(days=1),
            status_labels=status_labels(),
            open_statuses=OPEN_STATUSES,
            kind_labels={
                "self": _("Me"),
                "household": _("Household member"),
                "enterprise": _("Enterprise"),
            },
        ),
        code,
    )


def status_labels() -> dict[str, str]:
    return {
        "open": _("Open"),
        "snoozed": _("Snoozed"),
        "done": _("Done"),
        "dismissed": _("Dismissed"),
    }


@bp.route("/")
@login_required
def index():
    return _render(_filters(request.args))


def _back(filters: Filters, duty_id: int | None = None):
    url = url_for("duties.index", **filters.args())
    return redirect(url + (f"#duty-{duty_id}" if duty_id else ""))


def _act(duty_id: int, action, message: str):
    filters = _filters(request.form)
    try:
        action(db.session, _me(), duty_id)
    except NotFound:
        abort(404)
    db.session.commit()
    flash(message)
    return _back(filters, duty_id)


@bp.route("/<int:duty_id>/done", methods=["POST"])
@login_required
def done(duty_id: int):
    return _act(duty_id, duties.mark_done, _("Marked as done."))


@bp.route("/<int:duty_id>/dismiss", methods=["POST"])
@login_required
def dismiss(duty_id: int):
    return _act(duty_id, duties.dismiss, _("Dismissed. You can reopen it under “All”."))


@bp.route("/<int:duty_id>/reopen", methods=["POST"])
@login_required
def reopen(duty_id: int):
    return _act(duty_id, duties.reopen, _("Reopened."))


@bp.route("/<int:duty_id>/snooze", methods=["POST"])
@login_required
def snooze(duty_id: int):
    filters = _filters(request.form)
    account = _me()
    try:
        duties.get_duty(db.session, account, duty_id)
    except NotFound:
        abort(404)
    raw = request.form.get("until", "").strip()
    try:
        until = date.fromisoformat(raw)
    except ValueError:
        return _render(filters, {duty_id: _("Enter a date as YYYY-MM-DD.")}, 422)
    try:
        duties.snooze(db.session, account, duty_id, until)
    except ServiceError as exc:
        db.session.rollback()
        return _render(filters, {duty_id: exc.message}, 422)
    db.session.commit()
    flash(_("Snoozed until %(date)s.", date=format_date(until, "long")))
    return _back(filters, duty_id)
