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
The built-in widgets call the duty, reminder and recommendation services when those
modules exist (imported lazily) and fall back honestly when they do not.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask import url_for
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import case, func, select, union_all
from sqlalchemy.orm import Session

from lifecycle.events import EVENTS_BY_KEY
from lifecycle.stage import Stage
from lifecycle.subjects import Person
from webapp import recommend
from webapp.accounts.models import Account
from webapp.catalog.models import Bundle, LifeEvent, Service, service_life_event
from webapp.core.i18n import localized
from webapp.duties import OPEN_STATUSES, effective_status
from webapp.duties.models import Duty
from webapp.enterprise.models import Membership
from webapp.page import queries
from webapp.page.models import PinnedService
from webapp.people.models import HouseholdMember
from webapp.reminders.models import InboxItem

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


# ---------------------------------------------------------------- recommended


def hidden_ids(ctx: PageContext) -> set[int]:
    if "hidden_ids" not in ctx.cache:
        ctx.cache["hidden_ids"] = queries.hidden_service_ids(ctx.session, ctx.account.id)
    return ctx.cache["hidden_ids"]


def _reason_dict(reason: Any) -> dict:
    text = _get(reason, "text")
    return {
        "kind": _get(reason, "kind") or "other",
        "text": localise_dates(localized(text) if isinstance(text, dict) else str(text or "")),
        "source": localized(_get(reason, "source"))
        if isinstance(_get(reason, "source"), dict)
        else (_get(reason, "source") or ""),
    }


def dismissed_codes(ctx: PageContext) -> set[str]:
    """Codes the person hid ("not relevant") or dismissed: never recommended again."""
    if "dismissed" not in ctx.cache:
        ctx.cache["dismissed"] = queries.dismissed_codes(ctx.session, ctx.account.id)
    return ctx.cache["dismissed"]


def _rank_with_page_rows(ctx: PageContext, limit: int):
    """Rank with the rows this page view already loaded (profile, household, consents,
    duties), so the recommender adds its own few lookups only."""
    state = recommend.serving_state()
    cons = consents(ctx)
    rows = recommend.CitizenRows(
        account=ctx.account,
        profile=ctx.cache.get("profile"),
        members=list(ctx.members) if cons.get("household_data") else [],
        consents=cons,
        disabled_tags=recommend.disabled_tags(ctx.session, ctx.account.id),
        duties=[d for d in duty_rows(ctx) if d.due_date >= ctx.today],
        dismissed=dismissed_codes(ctx),
    )
    catalog = state.get_catalog(ctx.session)
    uctx = recommend.build_citizen_context(rows, ctx.today, catalog.index)
    return recommend.rank(ctx.session, uctx, ctx.today, limit)


def _from_recommender(ctx: PageContext, limit: int) -> dict | None:
    result = _rank_with_page_rows(ctx, limit)
    items = _get(result, "items", result if isinstance(result, list) else [])
    personalized = bool(_get(result, "personalized", True))
    out = []
    for item in items:
        code = _get(item, "service_code") or _get(item, "code")
        if not code:
            continue
        title = _get(item, "title") or _get(item, "name") or code
        out.append(
            {
                "service_code": code,
                "title": localized(title) if isinstance(title, dict) else str(title),
                "score": _get(item, "score"),
                "reasons": [_reason_dict(r) for r in _get(item, "reasons", []) or []],
                "url": service_url(code, "recommendation"),
            }
        )
    ctx.model_version = _get(result, "model_version")
    return {"personalized": personalized, "source": "recommender", "note": "", "items": out}


def catalog_suggestions(
    session: Session,
    events: list[str],
    facts: dict[str, str],
    audiences: tuple[str, ...],
    exclude_ids: set[int],
    limit: int,
    current: set[str] | None = None,
) -> list[dict]:
    """Services of the given life events in catalog order, each with its reason.

    The honest fallback until the recommender serves: no popularity or model score is
    claimed, only "this service belongs to your life event" and the fact behind it.
    """
    if not events:
        return []
    rows = session.execute(
        select(Service.id, Service.code, Service.name, LifeEvent.key)
        .join(service_life_event, service_life_event.c.service_id == Service.id)
        .join(LifeEvent, LifeEvent.id == service_life_event.c.life_event_id)
        .where(
            LifeEvent.key.in_(events),
            Service.active.is_(True),
            Service.audience.in_(audiences),
        )
        .order_by(service_life_event.c.position, Service.code)
    ).all()
    rank = {key: i for i, key in enumerate(events)}
    rows.sort(key=lambda r: rank.get(r[3], 99))
    out: list[dict] = []
    seen: set[int] = set()
    # Round-robin over the events so one event with many services does not fill the list.
    by_event: dict[str, list] = {}
    for row in rows:
        if row[0] in exclude_ids or row[0] in seen:
            continue
        seen.add(row[0])
        by_event.setdefault(row[3], []).append(row)
    queues = [by_event[k] for k in events if k in by_event]
    while queues and len(out) < limit:
        for queue in list(queues):
            if not queue:
                queues.remove(queue)
                continue
            sid, code, name, event = queue.pop(0)
            is_current = current is None or event in current
            text = (
                _("For your current life event “%(event)s”", event=event_name(event))
                if is_current
                else _("For your coming life event “%(event)s”", event=event_name(event))
            )
            if facts.get(event):
                text = f"{text}: {facts[event]}"
            out.append(
                {
                    "service_id": sid,
                    "service_code": code,
                    "title": localized(name),
                    "score": None,
                    "reasons": [{"kind": "lifecycle", "text": text, "source": _("your profile")}],
                    "url": service_url(code, "recommendation"),
                }
            )
            if len(out) >= limit:
                break
    return out


def load_recommended(ctx: PageContext, settings: dict) -> dict:
    limit = _limit(settings, 5)
    try:
        data = _from_recommender(ctx, limit)
    except Exception:  # a failing recommender must not take the page down
        log.exception("recommend_for_account failed; showing catalog suggestions")
        data = None
    if data is not None:
        hidden = dismissed_codes(ctx)
        data["items"] = [i for i in data["items"] if i["service_code"] not in hidden][:limit]
    else:
        hidden = hidden_ids(ctx)
        facts: dict[str, str] = {}
        if ctx.stage is not None:
            for fact in (*ctx.stage.current, *ctx.stage.upcoming):
                facts.setdefault(fact.event, localise_dates(localized(fact.reason)))
        items = catalog_suggestions(
            ctx.session,
            ctx.events,
            facts,
            ("citizen", "both"),
            hidden | pinned_ids(ctx),
            limit,
            set(ctx.stage.current_events) if ctx.stage else None,
        )
        data = {
            "personalized": False,
            "source": "catalog",
            "note": _(
                "Chosen from the service catalog for your life events; "
                "personalised ranking is not switched on yet."
            ),
            "items": items,
        }
    ctx.impressions.extend(i["service_code"] for i in data["items"])
    return data


# ---------------------------------------------------------------- pinned


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


def load_pinned(ctx: PageContext, settings: dict) -> dict:
    return {
        "items": [
            {
                "service_code": s.code,
                "title": localized(s.name),
                "department": localized(s.department.name),
                "url": service_url(s.code, "page"),
            }
            for s in pinned_rows(ctx)
        ]
    }


# ---------------------------------------------------------------- household


def relation_label(relation: str) -> str:
    return {"child": _("Child"), "parent": _("Parent"), "spouse": _("Spouse")}.get(
        relation, relation
    )


def load_household(ctx: PageContext, settings: dict) -> dict:
    from lifecycle.dates import age_on

    return {
        "members": [
            {
                "id": m.id,
                "name": m.name,
                "relation": m.relation,
                "relation_label": relation_label(m.relation),
                "birth_date": m.birth_date,
                "age": age_on(m.birth_date, ctx.today) if m.birth_date <= ctx.today else None,
            }
            for m in ctx.members
        ],
        "manage_url": url_for("settings.household"),
    }


# ---------------------------------------------------------------- inbox


def _inbox_dict(item: Any) -> dict:
    return {
        "id": _get(item, "id"),
        "title": localized(_get(item, "title")),
        "created_at": _get(item, "created_at"),
        "read": _get(item, "read_at") is not None or bool(_get(item, "read", False)),
    }


def _inbox_direct(ctx: PageContext, limit: int) -> tuple[int, list]:
    """The latest items and the unread count in one statement (a window count)."""
    unread_total = func.count(case((InboxItem.read_at.is_(None), 1))).over()
    rows = ctx.session.execute(
        select(InboxItem, unread_total)
        .where(InboxItem.account_id == ctx.account.id)
        .order_by(InboxItem.created_at.desc(), InboxItem.id.desc())
        .limit(limit)
    ).all()
    return (rows[0][1] if rows else 0), [r[0] for r in rows]


def load_inbox(ctx: PageContext, settings: dict) -> dict:
    limit = _limit(settings, 3)
    # The same rows as reminders.unread_count + reminders.latest, in one statement.
    unread, latest = _inbox_direct(ctx, limit)
    return {"unread": int(unread or 0), "items": [_inbox_dict(i) for i in latest]}


# ---------------------------------------------------------------- recent activity


def kind_label(kind: str) -> str:
    return {
        "view": _("Viewed"),
        "pin": _("Pinned"),
        "apply": _("Applied"),
        "complete": _("Done"),
        "dismiss": _("Marked not relevant"),
    }.get(kind, kind)


def load_recent(ctx: PageContext, settings: dict) -> dict:
    return {
        "items": [
            {
                "service_code": s.code,
                "title": localized(s.name),
                "kind": i.kind,
                "kind_label": kind_label(i.kind),
                "at": i.created_at,
                "url": service_url(s.code, "page"),
            }
            for i, s in recommend.recent(ctx.session, ctx.account.id, _limit(settings, 5))
        ]
    }


# ---------------------------------------------------------------- bundles


BUNDLE_CACHE_SECONDS = 300
_bundle_cache: dict[str, Any] = {"at": float("-inf"), "rows": []}


def _all_bundles(session: Session) -> list[dict]:
    """Every bundle with its life event, cached per process for a few minutes (the
    catalog changes by an admin load, not per request)."""
    at = time.monotonic()
    if at - _bundle_cache["at"] > BUNDLE_CACHE_SECONDS:
        _bundle_cache["rows"] = [
            {"code": b.code, "name": b.name, "description": b.description, "event": key}
            for b, key in session.execute(
                select(Bundle, LifeEvent.key)
                .join(LifeEvent, LifeEvent.id == Bundle.life_event_id)
                .order_by(Bundle.code)
            ).all()
        ]
        _bundle_cache["at"] = at
    return _bundle_cache["rows"]


def bundles_for_events(session: Session, events: list[str]) -> list[dict]:
    if not events:
        return []
    rank = {key: i for i, key in enumerate(events)}
    rows = [b for b in _all_bundles(session) if b["event"] in rank]
    return sorted(rows, key=lambda b: rank[b["event"]])


def load_bundles(ctx: PageContext, settings: dict) -> dict:
    return {
        "items": [
            {
                "code": b["code"],
                "title": localized(b["name"]),
                "description": localized(b["description"]),
                "life_event": b["event"],
                "life_event_name": event_name(b["event"]),
                "url": url_for("catalog.bundle", code=b["code"], src="page"),
            }
            for b in bundles_for_events(ctx.session, ctx.events)
        ]
    }


register_widget("due_soon", lambda: _("Due soon"), load_due_soon, order=10)
register_widget("recommended", lambda: _("Recommended for you"), load_recommended, order=20)
register_widget(
    "bundles", lambda: _("One application for what you are going through"), load_bundles, order=30
)
register_widget("pinned", lambda: _("My pinned services"), load_pinned, order=40)
register_widget("inbox", lambda: _("Inbox"), load_inbox, order=50)
register_widget("household", lambda: _("My household"), load_household, order=60)
register_widget("recent", lambda: _("Recent activity"), load_recent, order=70)
