"""The personal page through the API: the page as data, its layout, pins, hides, recommend."""

from __future__ import annotations

from typing import Any, Literal

from flask import g
from flask_babel import refresh
from pydantic import BaseModel, Field, field_validator

from webapp import recommend
from webapp.core.api import bp
from webapp.core.api.spec import acting_account, current_account, endpoint, if_match, set_etag
from webapp.core.clock import local_today
from webapp.core.db import db
from webapp.core.i18n import LOCALES, localized
from webapp.core.schemas import StrictModel, invalid
from webapp.page import services as page
from webapp.page import widgets

Theme = Literal["standard", "elder", "dark"]


class WidgetIn(StrictModel):
    key: str = Field(max_length=40)
    visible: bool = True
    settings: dict[str, Any] = Field(default_factory=dict)

    @field_validator("key")
    @classmethod
    def _known(cls, value: str) -> str:
        if widgets.get(value) is None:
            raise invalid("unknown_widget", f"unknown widget key {value!r}")
        return value


class LayoutIn(StrictModel):
    widgets: list[WidgetIn] | None = Field(default=None, max_length=50)
    theme: Theme | None = None


class WidgetLayoutOut(BaseModel):
    key: str
    visible: bool
    settings: dict[str, Any]


class LayoutOut(BaseModel):
    widgets: list[WidgetLayoutOut]
    theme: str
    available: list[str]
    version: int = Field(description="Send it back as If-Match to save on top of this version")


class StageFactOut(BaseModel):
    event: str
    event_name: str
    subject: str
    subject_key: str
    on: Any = None
    reason: str


class StageOut(BaseModel):
    words: str
    events: list[str]
    current: list[StageFactOut]
    upcoming: list[StageFactOut]


class TimelineOut(BaseModel):
    on: Any
    event: str
    event_name: str
    subject: str
    subject_key: str
    text: str
    status: Literal["past", "current", "future"]


class WidgetOut(BaseModel):
    key: str
    title: str
    visible: bool
    settings: dict[str, Any]
    content: dict[str, Any] | None


class PageOut(BaseModel):
    name: str
    has_profile: bool
    theme: str
    stage: StageOut
    timeline: list[TimelineOut]
    widgets: list[WidgetOut]


class ServiceRef(BaseModel):
    service_code: str
    title: str


class ServiceList(BaseModel):
    items: list[ServiceRef]


class InteractionIn(StrictModel):
    service_code: str = Field(max_length=60)
    kind: Literal["view", "apply", "complete"]
    source: Literal["page", "search", "recommendation", "catalog", "bundle", "duty", "api"] = "api"


class PageQuery(StrictModel):
    lang: Literal["zh_Hans", "zh_Hant", "en"] | None = Field(
        default=None, description="The language of the texts (default: the account's)"
    )


def _me(lang: str | None = None):
    """The caller; texts in ``lang``, else the account's language, else Accept-Language."""
    account = db.session.merge(current_account())
    locale = lang or (account.locale if account.locale in LOCALES else None)
    if locale and getattr(g, "locale_override", None) is None:
        g.locale_override = locale
        refresh()
    return account


def _layout_out(account_id: int) -> dict:
    layout = page.layout_of(db.session, account_id)
    set_etag(layout["version"])
    return {**layout, "available": widgets.keys()}


def _refs(services) -> dict:
    return {"items": [{"service_code": s.code, "title": localized(s.name)} for s in services]}


@endpoint(
    bp,
    "/me/page",
    summary="The personal page as data",
    tag="page",
    query=PageQuery,
    response=PageOut,
    act_as="view",
)
def get_page(query: PageQuery):
    account = _me(query.lang)
    # A family member viewing under a mandate leaves no impressions on the member's record.
    data = page.build_page(db.session, account, local_today(), record=acting_account() is None)
    db.session.commit()
    for w in data["widgets"]:
        w.pop("template", None)
    return data


@endpoint(bp, "/me/page/layout", summary="The page layout", tag="page", response=LayoutOut)
def get_layout():
    return _layout_out(_me().id)


@endpoint(
    bp,
    "/me/page/layout",
    "PUT",
    summary="Replace the widget order, visibility, settings and the theme "
    "(If-Match: the ETag read; 409 when it changed elsewhere)",
    tag="page",
    body=LayoutIn,
    response=LayoutOut,
    errors=(409,),
)
def put_layout(body: LayoutIn):
    account = _me()
    items = [w.model_dump() for w in body.widgets] if body.widgets is not None else None
    page.save_layout(db.session, account.id, items, body.theme, expected_version=if_match())
    db.session.commit()
    return _layout_out(account.id)


@endpoint(bp, "/me/pins", summary="Pinned services", tag="page", response=ServiceList)
def list_pins():
    return _refs(page.pinned_services(db.session, _me().id))


@endpoint(
    bp,
    "/me/pins/<code>",
    "PUT",
    summary="Pin a service to the page",
    tag="page",
    response=ServiceRef,
    errors=(404, 409),
)
def put_pin(code: str):
    svc = page.pin(db.session, _me(), code, "api")
    db.session.commit()
    return {"service_code": svc.code, "title": localized(svc.name)}


@endpoint(
    bp,
    "/me/pins/<code>",
    "DELETE",
    summary="Unpin a service",
    tag="page",
    status=204,
    errors=(404,),
)
def delete_pin(code: str):
    page.unpin(db.session, _me(), code)
    db.session.commit()
    return "", 204


@endpoint(
    bp,
    "/me/hidden",
    summary="Services marked not relevant",
    tag="page",
    response=ServiceList,
)
def list_hidden():
    return _refs(page.hidden_services(db.session, _me().id))


@endpoint(
    bp,
    "/me/hidden/<code>",
    "PUT",
    summary="Mark a service not relevant (never recommended again; negative feedback)",
    tag="page",
    response=ServiceRef,
    errors=(404,),
)
def put_hidden(code: str):
    svc = page.dismiss(db.session, _me(), code, "api")
    db.session.commit()
    return {"service_code": svc.code, "title": localized(svc.name)}


@endpoint(
    bp,
    "/me/hidden/<code>",
    "DELETE",
    summary="Allow a service to be recommended again",
    tag="page",
    status=204,
    errors=(404,),
)
def delete_hidden(code: str):
    page.undismiss(db.session, _me(), code)
    db.session.commit()
    return "", 204


@endpoint(
    bp,
    "/me/interactions",
    "POST",
    summary="Record a view, an application or a completion of a service",
    tag="page",
    body=InteractionIn,
    status=201,
    errors=(404,),
)
def post_interaction(body: InteractionIn):
    account = _me()
    svc = page.service_by_code(db.session, body.service_code)
    recommend.record(db.session, account.id, svc.id, body.kind, body.source)
    db.session.commit()
    return {"service_code": svc.code, "kind": body.kind, "source": body.source}
