"""Enterprise members, invitations, and the admin reviewer queue of claims."""

from __future__ import annotations

from flask import current_app, url_for

from webapp.core.api import bp
from webapp.core.api.spec import current_account, endpoint
from webapp.core.db import db
from webapp.core.model_base import utcnow
from webapp.enterprise import claims, members
from webapp.enterprise.schemas import (
    AcceptIn,
    EnterpriseSummary,
    InvitationIn,
    InvitationList,
    MemberList,
    MemberOut,
    NewInvitationOut,
    ReviewIn,
    ReviewQueue,
    RoleIn,
)


def _me():
    return db.session.merge(current_account())


@endpoint(
    bp,
    "/enterprises/<credit_code>/members",
    summary="The enterprise's members (any member)",
    tag="enterprises",
    response=MemberList,
    errors=(404,),
)
def list_members(credit_code: str):
    me = _me()
    rows = members.members(db.session, me, credit_code)
    return {"items": [members.member_dict(m, a, me) for m, a in rows]}


@endpoint(
    bp,
    "/enterprises/<credit_code>/members/<int:membership_id>",
    "PATCH",
    summary="Change a member's role (legal representatives)",
    tag="enterprises",
    body=RoleIn,
    response=MemberOut,
    errors=(403, 404, 409),
)
def change_member_role(credit_code: str, membership_id: int, body: RoleIn):
    me = _me()
    row = members.change_role(db.session, me, credit_code, membership_id, body.role)
    db.session.commit()
    return members.member_dict(row, row.account, me)


@endpoint(
    bp,
    "/enterprises/<credit_code>/members/<int:membership_id>",
    "DELETE",
    summary="Remove a member (legal representatives) or leave (one's own membership)",
    tag="enterprises",
    status=204,
    errors=(403, 404, 409),
)
def remove_member(credit_code: str, membership_id: int):
    members.remove(db.session, _me(), credit_code, membership_id)
    db.session.commit()
    return "", 204


@endpoint(
    bp,
    "/enterprises/<credit_code>/membership",
    "DELETE",
    summary="Leave the enterprise",
    tag="enterprises",
    status=204,
    errors=(404, 409),
)
def leave_enterprise(credit_code: str):
    members.leave(db.session, _me(), credit_code)
    db.session.commit()
    return "", 204


@endpoint(
    bp,
    "/enterprises/<credit_code>/invitations",
    summary="Invitations (all for a legal representative, own for a manager)",
    tag="enterprises",
    response=InvitationList,
    errors=(403, 404),
)
def list_invitations(credit_code: str):
    now = utcnow()
    rows = members.invitations(db.session, _me(), credit_code)
    return {"items": [members.invitation_dict(i, now) for i in rows]}


@endpoint(
    bp,
    "/enterprises/<credit_code>/invitations",
    "POST",
    summary="Invite someone with a role (single use, expires after 3 days; the code is shown once)",
    tag="enterprises",
    body=InvitationIn,
    response=NewInvitationOut,
    status=201,
    errors=(403, 404),
)
def create_invitation(credit_code: str, body: InvitationIn):
    new = members.invite(db.session, _me(), credit_code, body.role, body.note)
    db.session.commit()
    path = url_for("enterprise.accept_invitation", code=new.code)
    return {
        **members.invitation_dict(new.invitation, utcnow()),
        "code": new.code,
        "accept_url": current_app.config["PUBLIC_URL"].rstrip("/") + path,
    }


@endpoint(
    bp,
    "/enterprises/<credit_code>/invitations/<int:invitation_id>",
    "DELETE",
    summary="Revoke an invitation",
    tag="enterprises",
    status=204,
    errors=(403, 404),
)
def revoke_invitation(credit_code: str, invitation_id: int):
    members.revoke(db.session, _me(), credit_code, invitation_id)
    db.session.commit()
    return "", 204


@endpoint(
    bp,
    "/enterprise-invitations/accept",
    "POST",
    summary="Accept an invitation with its code",
    tag="enterprises",
    body=AcceptIn,
    response=EnterpriseSummary,
    errors=(404, 409, 410),
)
def accept_invitation(body: AcceptIn):
    membership = members.accept(db.session, _me(), body.code)
    db.session.commit()
    return {
        "credit_code": membership.enterprise.credit_code,
        "name": membership.enterprise.name,
        "role": membership.role,
    }


@endpoint(
    bp,
    "/admin/enterprise-claims",
    summary="The reviewer queue: pending claims, disputed ones flagged",
    tag="admin",
    response=ReviewQueue,
    admin=True,
)
def review_queue():
    return {
        "items": [
            {
                "id": i.claim.id,
                "account_id": i.claim.account_id,
                "credit_code": i.claim.credit_code,
                "name": i.claim.name,
                "established_on": i.claim.established_on,
                "role": i.claim.role,
                "created_at": i.claim.created_at,
                "disputed": i.disputed,
                "registered": i.registered,
            }
            for i in claims.review_queue(db.session)
        ]
    }


@endpoint(
    bp,
    "/admin/enterprise-claims/<int:claim_id>/decision",
    "POST",
    summary="Approve or reject a claim, recording the evidence checked and the purpose",
    tag="admin",
    body=ReviewIn,
    status=204,
    errors=(400, 404, 409),
    admin=True,
)
def decide_claim(claim_id: int, body: ReviewIn):
    claims.decide(
        db.session, _me(), claim_id, body.decision, body.evidence, body.purpose, body.role
    )
    db.session.commit()
    return "", 204
