"""Dashboards for admins: each is a table of figures (exported as CSV) and an SVG chart.

* reminders sent / failed / expired per channel per day (the notification outbox),
* duties open / done / overdue per life event (the duty table),
* recommendation impressions, views and applications per week, with click-through by rule
  and by model version (the interaction table),
* the most used services,
* service efficiency: promised against statutory time limits by department.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from webapp.admin import charts
from webapp.admin.labels import term
from webapp.catalog.models import Department, Service
from webapp.core.i18n import localized
from webapp.duties import OPEN_STATUSES
from webapp.duties.models import Duty
from webapp.recommend import Interaction
from webapp.reminders.models import Notification

CHARTS = (
    "reminders",
    "duties",
    "recommendations",
    "ctr_rules",
    "ctr_models",
    "top_services",
    "efficiency",
)


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    chart: Markup | None = None

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(self.columns)
        writer.writerows(self.rows)
        return out.getvalue()


def _since(today: date, days: int) -> datetime:
    return datetime.combine(today - timedelta(days=days - 1), time(), UTC)


def _day(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def reminders(session: Session, today: date, days: int = 30) -> Table:
    statuses = ("sent", "failed", "expired")
    day = func.date(func.coalesce(Notification.sent_at, Notification.created_at))
    rows = session.execute(
        select(day, Notification.channel, Notification.status, func.count())
        .where(
            Notification.status.in_(statuses),
            func.coalesce(Notification.sent_at, Notification.created_at) >= _since(today, days),
        )
        .group_by(day, Notification.channel, Notification.status)
    ).all()
    counts: dict[tuple[date, str, str], int] = {}
    channels = set()
    for d, channel, status, n in rows:
        counts[(_day(d), channel, status)] = n
        channels.add(channel)
    days_list = [today - timedelta(days=i) for i in range(days - 1, -1, -1)]
    t = Table(
        "reminders",
        _("Reminders per channel per day"),
        ["day", "channel", "sent", "failed", "expired"],
    )
    for d in days_list:
        for ch in sorted(channels):
            t.rows.append([d.isoformat(), ch, *(counts.get((d, ch, s), 0) for s in statuses)])
    series = {
        f"{term(ch)} · {term(s)}": [counts.get((d, ch, s), 0) for d in days_list]
        for ch in sorted(channels)
        for s in statuses
    }
    t.chart = charts.bar_chart(
        t.title, [d.strftime("%m-%d") for d in days_list], series or {"—": []}
    )
    return t


def duties(session: Session, today: date) -> Table:
    overdue = case(
        (Duty.status.in_(OPEN_STATUSES) & (Duty.due_date < today), "overdue"),
        (Duty.status.in_(OPEN_STATUSES), "open"),
        (Duty.status == "done", "done"),
        else_="other",
    )
    rows = session.execute(
        select(Duty.life_event, overdue, func.count()).group_by(Duty.life_event, overdue)
    ).all()
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for event, state, n in rows:
        counts[event or "—"][state] += n
    events = sorted(counts)
    t = Table("duties", _("Duties per life event"), ["life_event", "open", "done", "overdue"])
    for e in events:
        t.rows.append([e, counts[e]["open"], counts[e]["done"], counts[e]["overdue"]])
    t.chart = charts.bar_chart(
        t.title,
        [term(e) for e in events],
        {term(s): [counts[e][s] for e in events] for s in ("open", "done", "overdue")},
    )
    return t


def _week(d: date) -> date:
    return d - timedelta(days=d.weekday())


def recommendations(session: Session, today: date, weeks: int = 12) -> Table:
    kinds = ("impression", "view", "apply")
    since = datetime.combine(_week(today) - timedelta(weeks=weeks - 1), time(), UTC)
    day = func.date(Interaction.created_at)
    rows = session.execute(
        select(day, Interaction.kind, func.count())
        .where(Interaction.kind.in_(kinds), Interaction.created_at >= since)
        .group_by(day, Interaction.kind)
    ).all()
    counts: dict[tuple[date, str], int] = defaultdict(int)
    for d, kind, n in rows:
        counts[(_week(_day(d)), kind)] += n
    week_list = [_week(today) - timedelta(weeks=i) for i in range(weeks - 1, -1, -1)]
    t = Table(
        "recommendations",
        _("Recommendation impressions, views and applications per week"),
        ["week", *kinds],
    )
    for w in week_list:
        t.rows.append([w.isoformat(), *(counts[(w, k)] for k in kinds)])
    t.chart = charts.bar_chart(
        t.title,
        [w.strftime("%m-%d") for w in week_list],
        {term(k): [counts[(w, k)] for w in week_list] for k in kinds},
    )
    return t


def _ctr(session: Session, column, key: str, title: str, label: str) -> Table:
    rows = session.execute(
        select(column, Interaction.kind, func.count())
        .where(column.is_not(None), Interaction.kind.in_(("impression", "view", "apply")))
        .group_by(column, Interaction.kind)
    ).all()
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for value, kind, n in rows:
        counts[str(value)][kind] += n
    t = Table(key, title, [label, "impressions", "views", "applications", "click_through"])
    for value in sorted(counts):
        c = counts[value]
        ctr = round(c["view"] / c["impression"], 4) if c["impression"] else 0.0
        t.rows.append([value, c["impression"], c["view"], c["apply"], ctr])
    t.chart = charts.hbar_chart(t.title, [str(r[0]) for r in t.rows], [r[4] for r in t.rows])
    return t


def ctr_rules(session: Session, today: date) -> Table:
    return _ctr(session, Interaction.rule_id, "ctr_rules", _("Click-through by rule"), "rule_id")


def ctr_models(session: Session, today: date) -> Table:
    return _ctr(
        session,
        Interaction.model_version,
        "ctr_models",
        _("Click-through by model version"),
        "model_version",
    )


def top_services(session: Session, today: date, limit: int = 15) -> Table:
    n = func.count(Interaction.id)
    rows = session.execute(
        select(Service.code, n)
        .join(Interaction, Interaction.service_id == Service.id)
        .where(Interaction.kind.in_(("view", "pin", "apply", "complete")))
        .group_by(Service.code)
        .order_by(n.desc(), Service.code)
        .limit(limit)
    ).all()
    names = dict(
        session.execute(
            select(Service.code, Service.name).where(Service.code.in_([r[0] for r in rows]))
        ).all()
    )
    t = Table("top_services", _("The most used services"), ["service_code", "name", "uses"])
    for code, count in rows:
        t.rows.append([code, localized(names.get(code)), count])
    t.chart = charts.hbar_chart(t.title, [r[1] for r in t.rows], [r[2] for r in t.rows])
    return t


def efficiency(session: Session, today: date) -> Table:
    rows = session.execute(
        select(
            Department.code,
            func.count(Service.id),
            func.avg(Service.statutory_days),
            func.avg(Service.promised_days),
        )
        .join(Service, Service.department_id == Department.id)
        .where(
            Service.statutory_days.is_not(None),
            Service.promised_days.is_not(None),
            Service.active.is_(True),
        )
        .group_by(Department.code)
        .order_by(Department.code)
    ).all()
    names = dict(session.execute(select(Department.code, Department.name)).all())
    t = Table(
        "efficiency",
        _("Promised against statutory time limits by department (working days, average)"),
        ["department", "name", "services", "statutory_days", "promised_days", "saved_share"],
    )
    for code, n, stat, prom in rows:
        stat, prom = float(stat or 0), float(prom or 0)
        name = names.get(code)
        t.rows.append(
            [
                code,
                localized(name),
                n,
                round(stat, 1),
                round(prom, 1),
                round(1 - prom / stat, 3) if stat else 0,
            ]
        )
    t.chart = charts.bar_chart(
        t.title,
        [r[1] for r in t.rows],
        {_("statutory"): [r[3] for r in t.rows], _("promised"): [r[4] for r in t.rows]},
    )
    return t


_BUILDERS = {
    "reminders": reminders,
    "duties": duties,
    "recommendations": recommendations,
    "ctr_rules": ctr_rules,
    "ctr_models": ctr_models,
    "top_services": top_services,
    "efficiency": efficiency,
}


def build(session: Session, key: str, today: date) -> Table:
    return _BUILDERS[key](session, today)


def build_all(session: Session, today: date) -> list[Table]:
    return [fn(session, today) for fn in _BUILDERS.values()]
