"""Admin API for catalog services: read one as admins edit it, and change how it is done
(channel, online application address, office, fee), audited like the console's edits."""

from __future__ import annotations

from pydantic import BaseModel, Field

from webapp.admin import catalog_admin
from webapp.admin.schemas import DeliveryIn
from webapp.core.api import bp
from webapp.core.api.spec import current_account, endpoint
from webapp.core.db import db


class ServiceAdminOut(BaseModel):
    code: str
    name: dict[str, str]
    aliases: dict[str, list[str]]
    description: dict[str, str]
    department: str
    audience: str
    life_events: list[str]
    themes: list[str]
    materials: list[str]
    online_level: int
    statutory_days: int | None
    promised_days: int | None
    legal_basis: str | None
    url: str | None
    active: bool
    channel: str = Field(description="As set; empty: what the online level implies")
    delivery: str = Field(description="online | in_person | both, as the service page shows it")
    apply_url: str | None
    office: dict[str, str] | None
    fee: dict[str, str] | None


@endpoint(
    bp,
    "/admin/services/<code>",
    summary="A catalog service as admins edit it, with how it is done",
    tag="admin",
    response=ServiceAdminOut,
    admin=True,
    errors=(404,),
)
def get_admin_service(code: str):
    return catalog_admin.service_dict(catalog_admin.get_service(db.session, code[:60]))


@endpoint(
    bp,
    "/admin/services/<code>/delivery",
    "PUT",
    summary="Set how a service is done: channel, online application address (https), "
    "office and fee (简体 and English; 繁體 converted when absent); null clears; audited",
    tag="admin",
    body=DeliveryIn,
    response=ServiceAdminOut,
    admin=True,
    errors=(400, 404),
)
def put_admin_service_delivery(code: str, body: DeliveryIn):
    row = catalog_admin.update_delivery(db.session, current_account().id, code[:60], body)
    db.session.commit()
    return catalog_admin.service_dict(row)
