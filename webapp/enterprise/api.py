"""Enterprises: claims, the caller's enterprises and the enterprise page's parts (members
only). Members, invitations and the reviewer queue: members_api.py."""

from __future__ import annotations

from webapp.core.api import bp
from webapp.core.api.spec import current_account, endpoint
from webapp.core.db import db
from webapp.enterprise import claims
from webapp.enterprise import services as enterprises
from webapp.enterprise.schemas import (
    ClaimList,
    ClaimOut,
    EnterpriseIn,
    EnterpriseList,
    EnterpriseOut,
)


def _me():
    return db.session.merge(current_account())


@endpoint(
    bp,
    "/enterprises",
    "POST",
    summary="Claim to act for an enterprise (pending until a reviewer or an invitation verifies it)",
    tag="enterprises",
    body=EnterpriseIn,
    response=ClaimOut,
    status=202,
    errors=(409, 429),
)
def link_enterprise(body: EnterpriseIn):
    try:
        row = claims.claim(db.session, _me(), body)
    except claims.ClaimMismatch:
        db.session.commit()  # keep the failed attempt for the throttle
        raise
    db.session.commit()
    return claims.claim_dict(row)


@endpoint(
    bp,
    "/enterprises",
    summary="The enterprises the caller is a verified member of",
    tag="enterprises",
    response=EnterpriseList,
)
def list_enterprises():
    return {
        "items": [
            {"credit_code": m.enterprise.credit_code, "name": m.enterprise.name, "role": m.role}
            for m in enterprises.memberships(db.session, _me())
        ]
    }


@endpoint(
    bp,
    "/enterprises/claims",
    summary="The caller's claims and their status",
    tag="enterprises",
    response=ClaimList,
)
def list_claims():
    return {"items": [claims.claim_dict(c) for c in claims.own_claims(db.session, _me())]}


@endpoint(
    bp,
    "/enterprises/claims/<int:claim_id>",
    "DELETE",
    summary="Withdraw a pending claim",
    tag="enterprises",
    status=204,
    errors=(404, 409),
)
def withdraw_claim(claim_id: int):
    claims.withdraw(db.session, _me(), claim_id)
    db.session.commit()
    return "", 204


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


from webapp.enterprise import members_api  # noqa: E402, F401  (registers its operations)
