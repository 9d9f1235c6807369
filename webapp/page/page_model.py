"""The personal page as one typed model per subject; the parts that change rarely cached.

A page view reads, in one statement, the subject's data version (``account.data_version``,
bumped by every change the page shows: ``people/versions.py``) and the versions of what
every page depends on — the current rule version, the active model, the catalog. With
the day, the language and the popularity period they make the cache key of the
subject's ``PageModel``: stage, timeline, layout and the content of the stable widgets
(due soon, recommendations, pins, household, bundles). Only the live widgets (inbox,
recent activity) are loaded at each view, and the recommendations shown are recorded as
impressions. Each process keeps its own cache; the versions live in the database, so a
change made through any worker is seen by all at their next view.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lifecycle import stage as lifecycle_stage
from webapp import people, recommend
from webapp.accounts.models import Account
from webapp.catalog.models import BundleService, Service
from webapp.core.i18n import current_locale
from webapp.page import widgets
from webapp.page.models import PageLayout
from webapp.page.services import layout_of, layout_of_default
from webapp.page.timeline import stage_dict, timeline_dicts
from webapp.people.models import CitizenProfile
from webapp.recommend.models import ModelVersion, RuleVersion

CACHE_SIZE = 5000
_DATA_VERSION = Account.__table__.c.data_version


@dataclass(frozen=True)
class Versions:
    """What a page's cached parts depend on, read in one statement."""

    data: int
    rules: int | None
    model: str | None
    services: int
    services_changed: Any
    bundle_services: int


@dataclass(frozen=True)
class WidgetView:
    key: str
    title: str
    visible: bool
    settings: dict
    live: bool
    content: dict | None  # None for a live widget (loaded at each view) or a hidden one


@dataclass(frozen=True)
class PageModel:
    name: str
    has_profile: bool
    today: date
    stage: dict | None
    timeline: list[dict]
    theme: str
    widgets: tuple[WidgetView, ...]
    impressions: tuple[str, ...]
    model_version: str | None
    cacheable: bool = True


class PageCache:
    """Per process: account id → (key, value), least recently used dropped first."""

    def __init__(self, size: int = CACHE_SIZE):
        self.size = size
        self._items: OrderedDict[int, tuple[tuple, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, account_id: int, key: tuple) -> Any:
        with self._lock:
            found = self._items.get(account_id)
            if found is None or found[0] != key:
                self.misses += 1
                return None
            self._items.move_to_end(account_id)
            self.hits += 1
            return found[1]

    def put(self, account_id: int, key: tuple, model: Any) -> None:
        with self._lock:
            self._items[account_id] = (key, model)
            self._items.move_to_end(account_id)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def page_cache(name: str = "page_cache") -> PageCache:
    """This process's cache of page models (or, by name, of their rendered parts)."""
    app = current_app._get_current_object()
    cache = app.extensions.get(name)
    if cache is None:
        cache = app.extensions.setdefault(name, PageCache())
    return cache


def read_versions(session: Session, account_id: int) -> Versions:
    row = session.execute(
        select(
            select(_DATA_VERSION).where(Account.id == account_id).scalar_subquery(),
            select(func.max(RuleVersion.id)).where(RuleVersion.is_current).scalar_subquery(),
            select(func.max(ModelVersion.version)).where(ModelVersion.active).scalar_subquery(),
            select(func.count(Service.id)).where(Service.active).scalar_subquery(),
            select(func.max(Service.updated_at)).where(Service.active).scalar_subquery(),
            select(func.count()).select_from(BundleService).scalar_subquery(),
        )
    ).one()
    return Versions(row[0] or 0, *row[1:])


def page_key(session: Session, account: Account, today: date) -> tuple:
    period = max(1.0, float(current_app.config["REC_POPULARITY_SECONDS"]))
    return (
        # the id alone could name a later account (SQLite reuses the ids of deleted rows)
        account.created_at,
        read_versions(session, account.id),
        today,
        current_locale(),
        int(time.time() // period),  # popularity is recomputed once a period
    )


def assemble(session: Session, account: Account, today: date) -> PageModel:
    """The page's stable parts from the subject's rows (a cache miss)."""
    recommend.recheck()  # rank with the model and catalog the key names
    found = session.execute(
        select(PageLayout, CitizenProfile)
        .select_from(Account)
        .outerjoin(PageLayout, PageLayout.account_id == Account.id)
        .outerjoin(CitizenProfile, CitizenProfile.account_id == Account.id)
        .where(Account.id == account.id)
    ).one()
    layout_row, profile = found[0], found[1]
    layout = layout_of(session, account.id, layout_row) if layout_row else layout_of_default()
    person = people.person_from_rows(account, profile)
    members = people.household_rows(session, account)
    household = [people.member_person(m, person.region_code) for m in members]
    has_profile = person.birth_date is not None
    known = has_profile or bool(household)
    stage = lifecycle_stage.infer_stage(person, household, today) if known else None
    entries = timeline_dicts(lifecycle_stage.timeline(person, household, today)) if known else []
    ctx = widgets.PageContext(
        session=session,
        account=account,
        today=today,
        person=person,
        household=household,
        members=members,
        stage=stage,
    )
    ctx.cache["profile"] = profile
    views = []
    for item in layout["widgets"]:
        widget = widgets.get(item["key"])
        stable = item["visible"] and not widget.live
        views.append(
            WidgetView(
                key=widget.key,
                title=widget.title(),
                visible=item["visible"],
                settings=item["settings"],
                live=widget.live,
                content=widgets.load(widget, ctx, item["settings"]) if stable else None,
            )
        )
    return PageModel(
        name=person.name,
        has_profile=has_profile,
        today=today,
        stage=stage_dict(stage),
        timeline=entries,
        theme=layout["theme"],
        widgets=tuple(views),
        impressions=tuple(ctx.impressions),
        model_version=ctx.model_version,
        cacheable=ctx.cacheable,
    )


def build_page(session: Session, account: Account, today: date, record: bool = True) -> dict:
    """The personal page as data: stage, timeline, widgets in the user's order."""
    return build_page_keyed(session, account, today, record)[0]


def build_page_keyed(
    session: Session, account: Account, today: date, record: bool = True
) -> tuple[dict, tuple]:
    """The page as data and the key of its cached parts (the view caches their HTML)."""
    key = page_key(session, account, today)
    cache = page_cache()
    model = cache.get(account.id, key)
    if model is None:
        model = assemble(session, account, today)
        if model.cacheable:
            cache.put(account.id, key, model)
    live = widgets.PageContext(session=session, account=account, today=today)
    out_widgets = [
        {
            "key": w.key,
            "title": w.title,
            "visible": w.visible,
            "settings": w.settings,
            "content": widgets.load(widgets.get(w.key), live, w.settings)
            if w.live and w.visible
            else w.content,
        }
        for w in model.widgets
    ]
    if record and model.impressions:
        recommend.record_impressions_by_code(
            session,
            account.id,
            list(model.impressions),
            "recommendation",
            model_version=model.model_version,
        )
    data = {
        "name": model.name,
        "has_profile": model.has_profile,
        "today": today,
        "stage": model.stage,
        "timeline": model.timeline,
        "theme": model.theme,
        "widgets": out_widgets,
    }
    return data, (key if model.cacheable else None)
