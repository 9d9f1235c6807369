"""The personal page's own widgets: pinned services, household, inbox, recent activity and
the life-event bundles."""

from __future__ import annotations

import time
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from webapp import people, recommend
from webapp.catalog.models import Bundle, LifeEvent
from webapp.core.i18n import localized
from webapp.page.widgets import (
    PageContext,
    _limit,
    event_name,
    pinned_rows,
    register_widget,
)
from webapp.reminders.models import InboxItem

# ---------------------------------------------------------------- pinned


def load_pinned(ctx: PageContext, settings: dict) -> dict:
    return {
        "items": [
            {
                "service_code": s.code,
                "title": localized(s.name),
                "department": localized(s.department.name),
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

    # A member linked to their own account is shown by their own name.
    names = ctx.cache.get("linked_names")
    if names is None:
        names = people.linked_names(ctx.session, ctx.members)
    return {
        "members": [
            {
                "id": m.id,
                "name": names.get(m.id) or m.name,
                "relation": m.relation,
                "relation_label": relation_label(m.relation),
                "birth_date": m.birth_date,
                "age": age_on(m.birth_date, ctx.today) if m.birth_date <= ctx.today else None,
            }
            for m in ctx.members
        ],
    }


# ---------------------------------------------------------------- inbox


def _inbox_dict(item) -> dict:
    return {
        "id": item.id,
        "title": localized(item.title),
        "created_at": item.created_at,
        "read": item.read_at is not None,
    }


def _inbox_direct(ctx: PageContext, limit: int) -> tuple[int, list]:
    """The latest items and the unread count in one statement (a window count)."""
    unread_total = func.count(case((InboxItem.read_at.is_(None), 1))).over()
    rows = ctx.session.execute(
        select(InboxItem.id, InboxItem.title, InboxItem.created_at, InboxItem.read_at, unread_total)
        .where(InboxItem.account_id == ctx.account.id)
        .order_by(InboxItem.created_at.desc(), InboxItem.id.desc())
        .limit(limit)
    ).all()
    return (rows[0][4] if rows else 0), rows


def load_inbox(ctx: PageContext, settings: dict) -> dict:
    limit = _limit(settings, 3)
    # The same rows as reminders.unread_count + reminders.latest, in one statement.
    unread, latest = _inbox_direct(ctx, limit)
    return {"unread": int(unread or 0), "items": [_inbox_dict(i) for i in latest]}


# ---------------------------------------------------------------- recent activity


KIND_LABELS = {
    "view": lambda: _("Viewed"),
    "pin": lambda: _("Pinned"),
    "apply": lambda: _("Applied"),
    "complete": lambda: _("Done"),
    "dismiss": lambda: _("Marked not relevant"),
}


def kind_label(kind: str) -> str:
    label = KIND_LABELS.get(kind)
    return label() if label else kind


def load_recent(ctx: PageContext, settings: dict) -> dict:
    return {
        "items": [
            {
                "service_code": a.service_code,
                "title": localized(a.service_name),
                "kind": a.kind,
                "kind_label": kind_label(a.kind),
                "at": a.created_at,
            }
            for a in recommend.recent(ctx.session, ctx.account.id, _limit(settings, 5))
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
                .order_by(LifeEvent.audience, LifeEvent.position, Bundle.id)
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
            }
            for b in bundles_for_events(ctx.session, ctx.events)
        ]
    }


register_widget(
    "bundles",
    lambda: _("One application for what you are going through"),
    load_bundles,
    order=30,
    cache="model",
)
register_widget("pinned", lambda: _("My pinned services"), load_pinned, order=40, cache="model")
register_widget("inbox", lambda: _("Inbox"), load_inbox, order=50, cache="model")
register_widget("household", lambda: _("My household"), load_household, order=60, cache="model")
register_widget("recent", lambda: _("Recent activity"), load_recent, order=70, cache="activity")
