"""The personal page as one typed model per subject; the parts that change rarely cached.

A page view reads, in one statement, the subject's data version (``account.data_version``,
bumped by every change the page shows: ``people/versions.py``) and the versions of what
every page depends on — the current rule version, the active model, the catalog, the
last edit of an admin setting (e.g. the old-age allowance table). With
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
from functools import lru_cache
from typing import Any

from flask import current_app
from sqlalchemy import bindparam, func, select, text
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
from webapp.recommend.models import ModelVersion, RuleVersion, Setting

CACHE_SIZE = 5000
_DATA_VERSION = Account.__table__.c.data_version
_ACTIVITY_VERSION = Account.__table__.c.activity_version


@dataclass(frozen=True)
class Versions:
    """What a page's cached parts depend on, read in one statement."""

    data: int
    rules: int | None
    model: str | None
    services: int
    services_changed: Any
    bundle_services: int
    # The last admin edit of a setting the page reads (the old-age allowance table of the
    # 您可以享受 widget, the blend parameters): an edit rebuilds every page at its next view.
    settings_changed: Any = None


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
        self._items: OrderedDict[Any, tuple[tuple, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, account_id: Any, key: tuple) -> Any:
        with self._lock:
            found = self._items.get(account_id)
            if found is None or found[0] != key:
                self.misses += 1
                return None
            self._items.move_to_end(account_id)
            self.hits += 1
            return found[1]

    def put(self, account_id: Any, key: tuple, model: Any) -> None:
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


@lru_cache(maxsize=1)
def _versions_statement():
    """Built once: the statement runs at every page view."""
    return select(
        select(_DATA_VERSION).where(Account.id == bindparam("account_id")).scalar_subquery(),
        select(_ACTIVITY_VERSION).where(Account.id == bindparam("account_id")).scalar_subquery(),
        select(func.max(RuleVersion.id)).where(RuleVersion.is_current).scalar_subquery(),
        select(func.max(ModelVersion.version)).where(ModelVersion.active).scalar_subquery(),
        select(func.count(Service.id)).where(Service.active).scalar_subquery(),
        select(func.max(Service.updated_at)).where(Service.active).scalar_subquery(),
        select(func.count()).select_from(BundleService).scalar_subquery(),
        select(func.max(Setting.updated_at)).scalar_subquery(),
    )


def read_versions(session: Session, account_id: int) -> tuple[Versions, int]:
    """The page model's versions, and the account's activity version."""
    row = session.execute(_versions_statement(), {"account_id": account_id}).one()
    return Versions(row[0] or 0, *row[2:]), row[1] or 0


def page_key(session: Session, account: Account, today: date) -> tuple[tuple, int]:
    """The page model's key, and the account's activity version."""
    versions, activity = read_versions(session, account.id)
    period = max(1.0, float(current_app.config["REC_POPULARITY_SECONDS"]))
    key = (
        # the id alone could name a later account (SQLite reuses the ids of deleted rows)
        account.created_at,
        versions,
        today,
        current_locale(),
        int(time.time() // period),  # popularity is recomputed once a period
    )
    return key, activity


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
    # A member linked to their own account is named by their own name (timeline, widgets).
    names = people.linked_names(session, members)
    household = [people.member_person(m, person.region_code, names.get(m.id)) for m in members]
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
    ctx.cache["linked_names"] = names
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
        # Greet by a name the person gave (profile or display name), never the e-mail's local part.
        name=(profile.full_name if profile else None) or account.display_name or "",
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


@dataclass(frozen=True)
class PageView:
    """A view of the page before its live parts are loaded."""

    model: PageModel
    key: tuple | None  # None: the model could not be cached (a part failed)
    activity: int


def page_view(session: Session, account: Account, today: date) -> PageView:
    key, activity = page_key(session, account, today)
    cache = page_cache()
    model = cache.get(account.id, key)
    if model is None:
        model = assemble(session, account, today)
        if model.cacheable:
            cache.put(account.id, key, model)
    return PageView(model, key if model.cacheable else None, activity)


def page_data(
    session: Session,
    account: Account,
    today: date,
    view: PageView,
    load: tuple = ("activity", "none"),
) -> dict:
    """The page as data; the widgets whose cache kind is in ``load`` are loaded now (the
    others are left without content: the view has their HTML)."""
    live = widgets.PageContext(session=session, account=account, today=today)
    out = []
    for w in view.model.widgets:
        content = w.content
        if w.live and w.visible:
            widget = widgets.get(w.key)
            if widget.cache in load:
                content = widgets.load(widget, live, w.settings)
        out.append(
            {
                "key": w.key,
                "title": w.title,
                "visible": w.visible,
                "settings": w.settings,
                "content": content,
            }
        )
    model = view.model
    return {
        "name": model.name,
        "has_profile": model.has_profile,
        "today": today,
        "stage": model.stage,
        "timeline": model.timeline,
        "theme": model.theme,
        "widgets": out,
    }


def record_impressions(session: Session, account: Account, view: PageView) -> None:
    """The recommendations this view shows, recorded as impressions (one statement).

    On PostgreSQL the view's transaction commits without waiting for the WAL flush:
    impressions are statistics, and a crash can lose at most the last instant of them,
    never a user's data (nothing else is written by a page view)."""
    if view.model.impressions:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SET LOCAL synchronous_commit TO OFF"))
        recommend.record_impressions_by_code(
            session,
            account.id,
            list(view.model.impressions),
            "recommendation",
            model_version=view.model.model_version,
        )


def build_page(session: Session, account: Account, today: date, record: bool = True) -> dict:
    """The personal page as data: stage, timeline, widgets in the user's order."""
    view = page_view(session, account, today)
    data = page_data(session, account, today, view)
    if record:
        record_impressions(session, account, view)
    return data
