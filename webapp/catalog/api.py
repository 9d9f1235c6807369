"""The public catalog and the life-event taxonomy."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from webapp.catalog import services as catalog
from webapp.catalog import steps
from webapp.catalog.search import find
from webapp.core.api import bp
from webapp.core.api.spec import current_account, endpoint
from webapp.core.db import db
from webapp.core.i18n import with_traditional
from webapp.core.model_base import utcnow
from webapp.core.schemas import OutModel, StrictModel
from webapp.core.service_errors import NotFound


class ServicesQuery(StrictModel):
    q: str | None = Field(default=None, max_length=100)
    life_event: str | None = Field(default=None, max_length=40)
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
    delivery: Literal["online", "in_person", "both"]
    apply_url: str | None
    office: LocalText | None
    fee: LocalText | None


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
        "delivery": svc.delivery,
        "apply_url": svc.apply_url,
        "office": with_traditional(svc.office) if svc.office else None,
        "fee": with_traditional(svc.fee) if svc.fee else None,
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


# ---------------------------------------------------------------- bundle steps (progress)
class StepMaterialOut(BaseModel):
    code: str
    name: LocalText
    covered_by_profile: bool
    from_step: int | None


class StepOut(BaseModel):
    number: int
    service_code: str
    name: LocalText
    department: LocalText
    statutory_days: int | None
    promised_days: int | None
    delivery: Literal["online", "in_person", "both"]
    office: LocalText | None
    fee: LocalText | None
    materials: list[StepMaterialOut]
    done: bool
    done_at: datetime | None


class BundleStepsOut(BaseModel):
    code: str
    name: LocalText
    done_count: int
    total: int
    steps: list[StepOut]


class StepIn(StrictModel):
    done: bool


def _steps_out(data) -> dict:
    return {
        "code": data.code,
        "name": with_traditional(data.name),
        "done_count": data.done_count,
        "total": data.total,
        "steps": [
            {
                "number": s.number,
                "service_code": s.service_code,
                "name": with_traditional(s.name),
                "department": with_traditional(s.department),
                "statutory_days": s.statutory_days,
                "promised_days": s.promised_days,
                "delivery": s.delivery,
                "office": with_traditional(s.office) if s.office else None,
                "fee": with_traditional(s.fee) if s.fee else None,
                "materials": [
                    {
                        "code": m.code,
                        "name": with_traditional(m.name),
                        "covered_by_profile": m.covered_by_profile,
                        "from_step": m.from_step,
                    }
                    for m in s.materials
                ],
                "done": s.done,
                "done_at": s.done_at,
            }
            for s in data.steps
        ],
    }


@endpoint(
    bp,
    "/me/bundles/<code>",
    summary="A 一件事 bundle as steps, with the caller's progress",
    tag="catalog",
    response=BundleStepsOut,
    errors=(404,),
)
def get_bundle_steps(code: str):
    return _steps_out(steps.bundle_steps(db.session, code, current_account().id))


@endpoint(
    bp,
    "/me/bundles/<code>/steps/<service_code>",
    "PUT",
    summary="Tick a step of a bundle off, or undo it",
    tag="catalog",
    body=StepIn,
    response=BundleStepsOut,
    errors=(404,),
)
def put_bundle_step(code: str, service_code: str, body: StepIn):
    account_id = current_account().id
    steps.set_step(db.session, account_id, code, service_code, body.done, utcnow())
    db.session.commit()
    return _steps_out(steps.bundle_steps(db.session, code, account_id))
