"""Enterprises: link the caller, and the enterprise page's parts (members only)."""

from __future__ import annotations

from webapp.core.api import bp
from webapp.core.api.spec import current_account, endpoint
from webapp.core.db import db
from webapp.enterprise import services as enterprises
from webapp.enterprise.schemas import EnterpriseIn, EnterpriseOut


def _me():
    return db.session.merge(current_account())


@endpoint(
    bp,
    "/enterprises",
    "POST",
    summary="Link the caller to an enterprise",
    tag="enterprises",
    body=EnterpriseIn,
    response=EnterpriseOut,
    status=201,
    errors=(409,),
)
def link_enterprise(body: EnterpriseIn):
    enterprise, membership = enterprises.link(db.session, _me(), body)
    db.session.commit()
    return enterprises.enterprise_dict(enterprise, membership)


@endpoint(
    bp,
    "/enterprises/<credit_code>",
    summary="An enterprise the caller belongs to",
    tag="enterprises",
    response=EnterpriseOut,
    errors=(404,),
)
def get_enterprise(credit_code: str):
    enterprise, membership = enterprises.get_for_member(db.session, _me(), credit_code)
    return enterprises.enterprise_dict(enterprise, membership)
