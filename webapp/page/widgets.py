"""The personal page's widgets: a registry of keys → loaders that other areas plug into.

    from webapp.page.widgets import register_widget

    register_widget(
        "my_area",
        title=lambda: _("My area"),
        loader=lambda ctx, settings: {"items": [...]},   # a plain, JSON-able dict
        order=55,
        template="my_area/_widget.html",  # optional; receives ``w`` (the widget) and ``data``
    )

A loader gets a :class:`PageContext` (session, account, today, the lifecycle Person, the
household, the stage, the rows already loaded) and the widget's settings from the user's
layout, and returns a dict used both by the template and by ``GET /api/v1/me/page``.
Keep each loader to one or two indexed queries; share rows through ``ctx.cache``.
The built-in widgets live in this package (``widgets_recommended``, ``widgets_personal``)
and call the duty, reminder and recommendation features through their public faces.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask import url_for
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select, union_all
from sqlalchemy.orm import Session

from lifecycle.events import EVENTS_BY_KEY
from lifecycle.stage import Stage
from lifecycle.subjects import Person
from webapp.accounts.models import Account
from webapp.catalog.models import Service
from webapp.core.i18n import localized
from webapp.duties import OPEN_STATUSES, effective_status
from webapp.duties.models import Duty
from webapp.enterprise.models import Membership
from webapp.page.models import PinnedService
from webapp.people.models import HouseholdMember

log = logging.getLogger(__name__)

Loader = Callable[["PageContext", dict], dict]


@dataclass
class PageContext:
    session: Session
    account: Account
    today: date
    person: Person | None = None
    household: list[Person] = field(default_factory=list)
    members: list[HouseholdMember] = field(default_factory=list)
    stage: Stage | None = None
    cache: dict[str, Any] = field(default_factory=dict)
    # Recommended services shown on this page view: recorded as impressions in one batch.
    impressions: list[str] = field(default_factory=list)
    model_version: str | None = None

    @property
    def events(self) -> list[str]:
        """The person's current, then upcoming, life events (citizen keys)."""
        if self.stage is None:
            return []
        return list(dict.fromkeys((*self.stage.current_events, *self.stage.upcoming_events)))


@dataclass(frozen=True)
class Widget:
    key: str
    title: Callable[[], str]
    loader: Loader
    order: int = 50
    template: str | None = None
    description: Callable[[], str] | None = None
    default_visible: bool = True

    @property
    def template_name(self) -> str:
        return self.template or f"page/widgets/{self.key}.html"


_registry: dict[str, Widget] = {}


def register_widget(
    key: str,
    title: Callable[[], str],
    loader: Loader,
    order: int = 50,
    template: str | None = None,
    description: Callable[[], str] | None = None,
    default_visible: bool = True,
) -> Widget:
    """Add (or replace) a widget. Replacing lets an area swap a built-in loader."""
    widget = Widget(key, title, loader, order, template, description, default_visible)
    _registry[key] = widget
    return widget


def registered() -> list[Widget]:
    return sorted(_registry.values(), key=lambda w: (w.order, w.key))


def get(key: str) -> Widget | None:
    return _registry.get(key)


def keys() -> list[str]:
    return [w.key for w in registered()]


def load(widget: Widget, ctx: PageContext, settings: dict) -> dict:
    return widget.loader(ctx, settings or {})


# ---------------------------------------------------------------- helpers


def _limit(settings: dict, default: int, most: int = 20) -> int:
    try:
        return max(1, min(most, int(settings.get("limit", default))))
    except (TypeError, ValueError):
        return default


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def service_url(code: str, src: str) -> str:
    return url_for("catalog.service", code=code, src=src)


_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def localise_dates(text: str) -> str:
    """Dates the domain writes as YYYY-MM-DD inside a sentence, in the reader's locale."""

    def repl(m: re.Match) -> str:
        try:
            return format_date(date(int(m[1]), int(m[2]), int(m[3])), "long")
        except ValueError:
            return m[0]

    return _ISO_DATE.sub(repl, text or "")


def event_name(key: str) -> str:
    event = EVENTS_BY_KEY.get(key)
    return localized(event.name) if event else key


# ---------------------------------------------------------------- shared rows


def consents(ctx: PageContext) -> dict[str, bool]:
    if "consents" not in ctx.cache:
        from webapp.privacy import current_consents

        ctx.cache["consents"] = current_consents(ctx.session, ctx.account.id)
    return ctx.cache["consents"]


def duty_rows(ctx: PageContext) -> list[Duty]:
    """The account's open and snoozed duties (own, household's, its enterprises') from a
    year ago on: one query shared by "due soon" and the recommender's duty signals."""
    if "duties" not in ctx.cache:
        live = (
            Duty.status.in_(OPEN_STATUSES),
            Duty.due_date >= ctx.today - timedelta(days=366),
        )
        own = select(Duty.id).where(Duty.owner_account_id == ctx.account.id, *live)
        if not consents(ctx).get("household_data"):
            own = own.where(Duty.subject_kind != "household")
        # Two indexed branches (ix_duty_owner, ix_duty_enterprise_id) in one statement: an
        # OR with a membership subquery made PostgreSQL read every enterprise duty.
        theirs = (
            select(Duty.id)
            .join(Membership, Membership.enterprise_id == Duty.enterprise_id)
            .where(
                Membership.account_id == ctx.account.id, Duty.subject_kind == "enterprise", *live
            )
        )
        ctx.cache["duties"] = list(
            ctx.session.scalars(
                select(Duty)
                .where(Duty.id.in_(union_all(own, theirs)))
                .order_by(Duty.due_date, Duty.window_start, Duty.id)
            )
        )
    return ctx.cache["duties"]


def pinned_rows(ctx: PageContext) -> list[Service]:
    if "pinned" not in ctx.cache:
        ctx.cache["pinned"] = list(
            ctx.session.scalars(
                select(Service)
                .join(PinnedService, PinnedService.service_id == Service.id)
                .where(PinnedService.account_id == ctx.account.id)
                .order_by(PinnedService.position, PinnedService.created_at)
            )
        )
    return ctx.cache["pinned"]


def pinned_ids(ctx: PageContext) -> set[int]:
    return {s.id for s in pinned_rows(ctx)}


# ---------------------------------------------------------------- due soon


def _duty_dict(duty: Any, today: date) -> dict:
    due = _get(duty, "due_date")
    code = _get(duty, "service_code") or ""
    return {
        "id": _get(duty, "id"),
        "rule": _get(duty, "rule"),
        "title": localized(_get(duty, "title")),
        "subject_name": _get(duty, "subject_name") or "",
        "service_code": code,
        "window_start": _get(duty, "window_start"),
        "due_date": due,
        "days_left": (due - today).days if isinstance(due, date) else None,
        "status": _get(duty, "status", "open"),
        "legal_basis": _get(duty, "legal_basis") or "",
        "advisory": bool(_get(duty, "advisory", False)),
        "computed_expiry": bool(_get(duty, "computed_expiry", False)),
        "url": service_url(code, "duty") if code else None,
    }


def load_due_soon(ctx: PageContext, settings: dict) -> dict:
    """Open duties due within ``days`` (overdue ones included), soonest first — the same
    selection as ``duties.due_soon``, taken from the rows the page shares."""
    days = _limit({"limit": settings.get("days", 90)}, 90, 366)
    limit = _limit(settings, 5)
    horizon = ctx.today + timedelta(days=days)
    rows = [
        d
        for d in duty_rows(ctx)
        if d.due_date <= horizon and effective_status(d, ctx.today) == "open"
    ][:limit]
    return {"days": days, "items": [_duty_dict(d, ctx.today) for d in rows]}


register_widget("due_soon", lambda: _("Due soon"), load_due_soon, order=10)

# The other built-in widgets register themselves on import.
from webapp.page import widgets_personal, widgets_recommended  # noqa: E402,F401
