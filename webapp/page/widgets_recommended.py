"""The "recommended for you" widget: the recommender's ranking for the page's rows, or
catalog suggestions for the life-cycle stage; also the enterprise page's suggestions."""

from __future__ import annotations

import logging
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp import entitlements, recommend
from webapp.catalog.models import LifeEvent, Service, service_life_event
from webapp.core.i18n import localized
from webapp.page import queries
from webapp.page.widgets import (
    PageContext,
    _get,
    _limit,
    consents,
    duty_rows,
    event_name,
    localise_dates,
    pinned_ids,
    register_widget,
    service_url,
)

log = logging.getLogger(__name__)


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
        facts=entitlements.page_facts(ctx),
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
    # The heading says what the list is: "for you" only when it was chosen for this person.
    heading = "" if personalized else _("Services most used in general")
    return {
        "personalized": personalized,
        "source": "recommender",
        "note": "",
        "heading": heading,
        "items": out,
    }


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
            "heading": _("Services for your life events"),
            "items": items,
        }
    ctx.impressions.extend(i["service_code"] for i in data["items"])
    return data


register_widget("recommended", lambda: _("Recommended for you"), load_recommended, order=20)
