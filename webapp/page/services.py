"""Page assembly and customisation: the personal page (专属网页) and the enterprise page.

Customisation is stored per account on the server (PageLayout, PinnedService,
HiddenService) so it follows the person to any browser. Assembly reads indexed rows
only: the stage and the timeline are computed by ``lifecycle`` from the profile and
household rows, each widget's loader adds one or two queries, and the recommendations
shown are recorded as impressions in a single statement.
"""

from __future__ import annotations

import json
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from lifecycle import stage as lifecycle_stage
from webapp import people, recommend
from webapp.accounts.models import Account
from webapp.catalog.models import Service
from webapp.core.clock import now
from webapp.core.security.input import depth_of
from webapp.core.service_errors import NotFound, ServiceError, check_version
from webapp.page import widgets
from webapp.page.models import THEMES, HiddenService, PageLayout, PinnedService
from webapp.page.timeline import stage_dict, timeline_dicts
from webapp.people.models import CitizenProfile

MAX_PINS = 50
# A widget's stored settings stay small and flat: a deep or large value would break the
# person's own page API until reset.
MAX_SETTINGS_DEPTH = 3
MAX_SETTINGS_BYTES = 2000


def _changed_elsewhere() -> str:
    return _("Your page was changed elsewhere in the meantime. Reload it and try again.")


def settings_fit(settings: dict) -> bool:
    if depth_of(settings) > MAX_SETTINGS_DEPTH:
        return False
    return len(json.dumps(settings, ensure_ascii=False, default=str)) <= MAX_SETTINGS_BYTES


def check_settings(items: list[dict]) -> None:
    for item in items:
        if not settings_fit(item.get("settings") or {}):
            raise ServiceError(
                "settings_too_large",
                _("The settings of %(key)s are too large or too deeply nested.", key=item["key"]),
                "widgets",
                422,
            )


# ---------------------------------------------------------------- layout


def default_widgets() -> list[dict]:
    return [
        {"key": w.key, "visible": w.default_visible, "settings": {}} for w in widgets.registered()
    ]


def normalise(stored: list | None) -> list[dict]:
    """The stored list with unknown keys dropped and newly registered widgets appended."""
    out: list[dict] = []
    seen: set[str] = set()
    for item in stored or []:
        if not isinstance(item, dict):
            continue
        key = item.get("key")
        if key in seen or widgets.get(key) is None:
            continue
        seen.add(key)
        settings = item.get("settings") if isinstance(item.get("settings"), dict) else {}
        if not settings_fit(settings):  # stored before the limit: dropped, the page works
            settings = {}
        out.append({"key": key, "visible": bool(item.get("visible", True)), "settings": settings})
    for item in default_widgets():
        if item["key"] not in seen:
            out.append(item)
    return out


def get_layout(session: Session, account_id: int) -> PageLayout | None:
    return session.get(PageLayout, account_id)


def layout_of(session: Session, account_id: int, row: PageLayout | None = None) -> dict:
    row = row if row is not None else get_layout(session, account_id)
    return {
        "widgets": normalise(row.widgets if row else None),
        "theme": row.theme if row and row.theme in THEMES else "standard",
        "version": row.version if row is not None and row.version else 0,
    }


def layout_of_default() -> dict:
    return {"widgets": normalise(None), "theme": "standard", "version": 0}


def theme_for(session: Session, account_id: int) -> str:
    row = get_layout(session, account_id)
    return row.theme if row and row.theme in THEMES else "standard"


def _row(session: Session, account_id: int) -> PageLayout:
    row = get_layout(session, account_id)
    if row is None:
        row = PageLayout(account_id=account_id, widgets=default_widgets(), theme="standard")
        session.add(row)
    return row


def save_layout(
    session: Session,
    account_id: int,
    items: list[dict] | None,
    theme: str | None,
    expected_version: int | None = None,
) -> dict:
    """Replace the widget order/visibility/settings and the theme (None keeps either).
    ``expected_version`` (If-Match, a form's version) must be the stored one; two saves
    on top of the same version cannot both win (the row's version column)."""
    if items is not None:
        seen: set[str] = set()
        for item in items:
            if widgets.get(item["key"]) is None:
                raise ServiceError(
                    "unknown_widget",
                    _("There is no widget %(key)s.", key=item["key"]),
                    "widgets",
                    422,
                )
            if item["key"] in seen:
                raise ServiceError(
                    "duplicate_widget",
                    _("The widget %(key)s is listed twice.", key=item["key"]),
                    "widgets",
                    422,
                )
            seen.add(item["key"])
    if theme is not None and theme not in THEMES:
        raise ServiceError("unknown_theme", _("Choose one of the offered themes."), "theme", 422)
    if items is not None:
        check_settings(items)
    row = _row(session, account_id)
    check_version(row.version or 0, expected_version, _changed_elsewhere)
    if items is not None:
        row.widgets = normalise(items)
    if theme is not None:
        row.theme = theme
    row.updated_at = now()
    session.flush()
    return layout_of(session, account_id)


def move_widget(session: Session, account_id: int, key: str, direction: str) -> dict:
    items = layout_of(session, account_id)["widgets"]
    index = next((i for i, w in enumerate(items) if w["key"] == key), None)
    if index is None:
        raise NotFound(_("There is no such widget."))
    target = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down"):
        raise ServiceError("bad_direction", _("Move a widget up or down."), "direction")
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    return save_layout(session, account_id, items, None)


def reorder(session: Session, account_id: int, keys: list[str]) -> dict:
    """Put the named widgets first, in this order; the others keep their order after them."""
    items = layout_of(session, account_id)["widgets"]
    by_key = {w["key"]: w for w in items}
    if len(set(keys)) != len(keys) or any(k not in by_key for k in keys):
        raise ServiceError("bad_order", _("The order lists an unknown section."), "order", 422)
    ordered = [by_key[k] for k in keys] + [w for w in items if w["key"] not in keys]
    return save_layout(session, account_id, ordered, None)


LIMIT_CHOICES = (3, 5, 10)
# Widgets whose length the person may choose (their loaders read settings["limit"]).
LIMITED_WIDGETS = ("due_soon", "recommended", "inbox", "recent")


def set_limit(session: Session, account_id: int, key: str, limit: int) -> dict:
    items = layout_of(session, account_id)["widgets"]
    item = next((w for w in items if w["key"] == key), None)
    if item is None:
        raise NotFound(_("There is no such widget."))
    if key not in LIMITED_WIDGETS or limit not in LIMIT_CHOICES:
        raise ServiceError("bad_limit", _("Choose one of the offered numbers."), "limit", 422)
    item["settings"] = {**item["settings"], "limit": limit}
    return save_layout(session, account_id, items, None)


def set_visible(session: Session, account_id: int, key: str, visible: bool) -> dict:
    items = layout_of(session, account_id)["widgets"]
    item = next((w for w in items if w["key"] == key), None)
    if item is None:
        raise NotFound(_("There is no such widget."))
    item["visible"] = visible
    return save_layout(session, account_id, items, None)


def set_theme(session: Session, account_id: int, theme: str) -> dict:
    return save_layout(session, account_id, None, theme)


# ---------------------------------------------------------------- pins and hides


def service_by_code(session: Session, code: str) -> Service:
    svc = session.scalar(select(Service).where(Service.code == code, Service.active.is_(True)))
    if svc is None:
        raise NotFound(_("No such service."))
    return svc


def pinned_codes(session: Session, account_id: int) -> set[str]:
    return set(
        session.scalars(
            select(Service.code)
            .join(PinnedService, PinnedService.service_id == Service.id)
            .where(PinnedService.account_id == account_id)
        )
    )


def pinned_services(session: Session, account_id: int) -> list[Service]:
    return list(
        session.scalars(
            select(Service)
            .join(PinnedService, PinnedService.service_id == Service.id)
            .where(PinnedService.account_id == account_id)
            .order_by(PinnedService.position, PinnedService.created_at)
        )
    )


def pin(session: Session, account: Account, code: str, source: str = "page") -> Service:
    svc = service_by_code(session, code)
    if session.get(PinnedService, (account.id, svc.id)) is not None:
        return svc
    count, last = session.execute(
        select(func.count(), func.max(PinnedService.position)).where(
            PinnedService.account_id == account.id
        )
    ).one()
    if count >= MAX_PINS:
        raise ServiceError(
            "too_many_pins", _("You can pin up to %(num)d services.", num=MAX_PINS), status=409
        )
    session.add(PinnedService(account_id=account.id, service_id=svc.id, position=(last or 0) + 1))
    recommend.record(session, account.id, svc.id, "pin", source)
    session.flush()
    return svc


def unpin(session: Session, account: Account, code: str) -> Service:
    svc = service_by_code(session, code)
    session.execute(
        delete(PinnedService).where(
            PinnedService.account_id == account.id, PinnedService.service_id == svc.id
        )
    )
    return svc


def dismiss(
    session: Session,
    account: Account,
    code: str,
    source: str = "recommendation",
    enterprise_id: int | None = None,
) -> Service:
    """ "Not relevant": never recommended again, and recorded as negative feedback."""
    svc = service_by_code(session, code)
    if session.get(HiddenService, (account.id, svc.id)) is None:
        session.add(HiddenService(account_id=account.id, service_id=svc.id))
        recommend.record(session, account.id, svc.id, "dismiss", source, enterprise_id)
    session.flush()
    return svc


def undismiss(session: Session, account: Account, code: str) -> Service:
    svc = service_by_code(session, code)
    session.execute(
        delete(HiddenService).where(
            HiddenService.account_id == account.id, HiddenService.service_id == svc.id
        )
    )
    return svc


def hidden_services(session: Session, account_id: int) -> list[Service]:
    return list(
        session.scalars(
            select(Service)
            .join(HiddenService, HiddenService.service_id == Service.id)
            .where(HiddenService.account_id == account_id)
            .order_by(HiddenService.created_at)
        )
    )


SERVICE_ACTIONS = {"apply": "apply", "complete": "complete"}


def act_on_service(
    session: Session, account: Account, code: str, action: str, source: str = "catalog"
) -> Service:
    """The service page's buttons: pin, unpin, apply ("I applied"), complete ("Done"),
    dismiss ("Not relevant")."""
    if action == "pin":
        return pin(session, account, code, source)
    if action == "unpin":
        return unpin(session, account, code)
    if action == "dismiss":
        return dismiss(session, account, code, source)
    if action not in SERVICE_ACTIONS:
        raise ServiceError("bad_action", _("This action is not known."), "action")
    svc = service_by_code(session, code)
    recommend.record(session, account.id, svc.id, SERVICE_ACTIONS[action], source)
    session.flush()
    return svc


# ---------------------------------------------------------------- the personal page


def build_page(session: Session, account: Account, today: date, record: bool = True) -> dict:
    """The personal page as data: stage, timeline, widgets in the user's order."""
    # The layout and the profile in one statement.
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
    stage = (
        lifecycle_stage.infer_stage(person, household, today) if has_profile or household else None
    )
    entries = (
        timeline_dicts(lifecycle_stage.timeline(person, household, today))
        if has_profile or household
        else []
    )
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
    out_widgets = []
    for item in layout["widgets"]:
        widget = widgets.get(item["key"])
        content = widgets.load(widget, ctx, item["settings"]) if item["visible"] else None
        out_widgets.append(
            {
                "key": widget.key,
                "title": widget.title(),
                "visible": item["visible"],
                "settings": item["settings"],
                "template": widget.template_name,
                "content": content,
            }
        )
    if record and ctx.impressions:
        recommend.record_impressions_by_code(
            session, account.id, ctx.impressions, "recommendation", model_version=ctx.model_version
        )
    return {
        # Greet by a name the person gave (profile or display name), never the e-mail's local part.
        "name": (profile.full_name if profile else None) or account.display_name or "",
        "has_profile": has_profile,
        "today": today,
        "stage": stage_dict(stage),
        "timeline": entries,
        "theme": layout["theme"],
        "widgets": out_widgets,
    }
