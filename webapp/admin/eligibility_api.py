"""Admin API: a service's eligibility conditions (preview, save) and the 高龄津贴 table."""

from __future__ import annotations

from pydantic import BaseModel, Field

from webapp.admin import eligibility_admin
from webapp.core.api import bp
from webapp.core.api.spec import current_account, endpoint
from webapp.core.clock import local_today
from webapp.core.db import db
from webapp.core.schemas import StrictModel


class ConditionsIn(StrictModel):
    eligibility: dict = Field(description="the conditions (see docs/entitlements.md)")
    sample_size: int = Field(default=100, ge=1, le=1000)


class ConditionsOut(BaseModel):
    code: str
    eligibility: dict
    audience: str
    reach: dict[str, int] | None = None


class ElderlyTable(StrictModel):
    regions: list[dict]


@endpoint(
    bp,
    "/admin/services/<code>/eligibility/preview",
    "POST",
    summary="Word and count a service's draft eligibility conditions; nothing is saved",
    tag="admin",
    body=ConditionsIn,
    response=ConditionsOut,
    admin=True,
    errors=(400, 404),
)
def preview_eligibility(code: str, body: ConditionsIn):
    p = eligibility_admin.preview(
        db.session, code, body.eligibility, local_today(), body.sample_size
    )
    return {"code": code, "eligibility": p.conditions, "audience": p.audience, "reach": p.reach}


@endpoint(
    bp,
    "/admin/services/<code>/eligibility",
    "PUT",
    summary="Replace a service's eligibility conditions (the catalog's validator)",
    tag="admin",
    body=ConditionsIn,
    response=ConditionsOut,
    admin=True,
    errors=(400, 404),
)
def put_eligibility(code: str, body: ConditionsIn):
    row = eligibility_admin.save(db.session, current_account().id, code, body.eligibility)
    db.session.commit()
    p = eligibility_admin.preview(db.session, code, row.eligibility, local_today(), 1)
    return {"code": code, "eligibility": row.eligibility, "audience": p.audience}


@endpoint(
    bp,
    "/admin/entitlements/elderly-allowance",
    summary="The old-age allowance (高龄津贴) table by region",
    tag="admin",
    response=ElderlyTable,
    admin=True,
)
def get_elderly_allowance():
    return eligibility_admin.elderly_table(db.session)


@endpoint(
    bp,
    "/admin/entitlements/elderly-allowance",
    "PUT",
    summary="Replace the old-age allowance (高龄津贴) table by region",
    tag="admin",
    body=ElderlyTable,
    response=ElderlyTable,
    admin=True,
    errors=(400,),
)
def put_elderly_allowance(body: ElderlyTable):
    value = eligibility_admin.save_elderly_table(
        db.session, current_account().id, {"regions": body.regions}
    )
    db.session.commit()
    return value
