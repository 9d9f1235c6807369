"""The public catalog and the life-event taxonomy."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from webapp.catalog import services as catalog
from webapp.catalog.search import find
from webapp.core.api import bp
from webapp.core.api.spec import endpoint
from webapp.core.db import db
from webapp.core.i18n import with_traditional
from webapp.core.schemas import OutModel, SingleLine, StrictModel
from webapp.core.service_errors import NotFound


class ServicesQuery(StrictModel):
    q: SingleLine | None = Field(default=None, max_length=100)
    life_event: SingleLine | None = Field(default=None, max_length=40)
    audience: Literal["citizen", "enterprise"] | None = None
    limit: int = Field(default=50, ge=1, le=200)


class LocalText(BaseModel):
    zh_Hans: str
    zh_Hant: str
    en: str


class ServiceSummary(OutModel):
    code: str
    name: LocalText
    department: str
    audience: str
    life_events: list[str]
    themes: list[str]
    online_level: int


class ServiceFound(ServiceSummary):
    also_called: str | None = Field(
        default=None, description="The colloquial name the query matched (驾照), if not the name"
    )


class Aliases(BaseModel):
    zh_Hans: list[str] = []
    zh_Hant: list[str] = []
    en: list[str] = []


class Material(OutModel):
    code: str
    name: LocalText


class ServiceDetail(ServiceSummary):
    aliases: Aliases
    description: LocalText
    materials: list[Material]
    statutory_days: int | None
    promised_days: int | None
    legal_basis: str | None
    url: str | None
    region_scope: str


class ServiceList(BaseModel):
    items: list[ServiceFound]


class LifeEventOut(OutModel):
    key: str
    audience: str
    position: int
    name: LocalText
    description: LocalText


class LifeEventList(BaseModel):
    citizen: list[LifeEventOut]
    enterprise: list[LifeEventOut]


def summary(svc) -> dict:
    return {
        "code": svc.code,
        "name": with_traditional(svc.name),
        "department": svc.department.code,
        "audience": svc.audience,
        "life_events": [e.key for e in svc.life_events],
        "themes": svc.themes,
        "online_level": svc.online_level,
    }


@endpoint(
    bp,
    "/services",
    summary="Search the service catalog",
    tag="catalog",
    query=ServicesQuery,
    response=ServiceList,
    auth=False,
)
def list_services(query: ServicesQuery):
    found = find(db.session, query.q or "", query.life_event, query.audience, query.limit)
    return {"items": [{**summary(f.service), "also_called": f.also_called} for f in found]}


@endpoint(
    bp,
    "/services/<code>",
    summary="One service",
    tag="catalog",
    response=ServiceDetail,
    auth=False,
    errors=(404,),
)
def get_service(code: str):
    svc = catalog.get_service(db.session, code)
    if svc is None:
        raise NotFound("No such service.")
    return {
        **summary(svc),
        "aliases": {locale: list(items) for locale, items in (svc.aliases or {}).items()},
        "description": with_traditional(svc.description),
        "materials": [
            {"code": m.material.code, "name": with_traditional(m.material.name)}
            for m in svc.materials
        ],
        "statutory_days": svc.statutory_days,
        "promised_days": svc.promised_days,
        "legal_basis": svc.legal_basis,
        "url": svc.url,
        "region_scope": svc.region_scope,
    }


@endpoint(
    bp,
    "/life-events",
    summary="The life-event taxonomy",
    tag="catalog",
    response=LifeEventList,
    auth=False,
)
def life_events():
    events = catalog.life_events(db.session)

    def out(e):
        return {
            "key": e.key,
            "audience": e.audience,
            "position": e.position,
            "name": with_traditional(e.name),
            "description": with_traditional(e.description),
        }

    return {
        "citizen": [out(e) for e in events if e.audience == "citizen"],
        "enterprise": [out(e) for e in events if e.audience == "enterprise"],
    }
