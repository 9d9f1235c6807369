"""The family feature's API: invitations, links, mandates, family reminders; ``Act-As``."""

from __future__ import annotations

from dataclasses import asdict

from flask import url_for

from webapp.core import clock
from webapp.core.api import bp
from webapp.core.api.spec import answer_status, current_account, endpoint, set_act_as_resolver
from webapp.core.db import db
from webapp.family import acting, in_person, links, mandates, shared
from webapp.family.schemas import (
    AdminMandateIn,
    FamilyReminderList,
    InvitationOut,
    LinkList,
    MandateIn,
    MandateLists,
    MandateOut,
    ShareIn,
)

set_act_as_resolver(acting.resolve)


def _invitation(state: links.InvitationState) -> dict:
    out = {
        "member_id": state.member_id,
        "status": state.status,
        "confirmed": state.status == "accepted",
        "expires_at": state.expires_at,
        "linked_account_id": state.linked_account_id,
    }
    if state.token:
        out["token"] = state.token
        out["url"] = url_for("family.accept", token=state.token, _external=True)
    return out


@endpoint(
    bp,
    "/me/household/<int:member_id>/invitation",
    summary="The household member's invitation to link their own account",
    tag="family",
    response=InvitationOut,
    errors=(404,),
)
def get_invitation(member_id: int):
    return _invitation(links.invitation_state(db.session, current_account(), member_id))


@endpoint(
    bp,
    "/me/household/<int:member_id>/invitation",
    "POST",
    summary="Invite a household member (14 or older) to link their own account",
    tag="family",
    response=InvitationOut,
    status=201,
    errors=(400, 404, 409),
)
def post_invitation(member_id: int):
    state = links.invite(db.session, current_account(), member_id)
    db.session.commit()
    return _invitation(state)


@endpoint(
    bp,
    "/me/household/<int:member_id>/link",
    "DELETE",
    summary="Unlink (either side); the mandates between the two end",
    tag="family",
    status=204,
    errors=(404,),
)
def delete_link(member_id: int):
    links.unlink(db.session, current_account(), member_id)
    db.session.commit()
    return "", 204


@endpoint(
    bp,
    "/invitations/<token>/accept",
    "POST",
    summary="Accept an invitation with the caller's account",
    tag="family",
    response=LinkList,
    errors=(400, 404),
)
def accept_family_invitation(token: str):
    link = links.accept(db.session, current_account(), token[:200])
    db.session.commit()
    return {"items": [_link(link)]}


def _link(link) -> dict:
    return {
        "member_id": link.member_id,
        "account_id": link.account_id,
        "account_name": links.person_name(db.session, link.account_id),
        "linked_account_id": link.linked_account_id,
        "linked_name": links.person_name(db.session, link.linked_account_id),
        "linked_at": link.linked_at,
    }


@endpoint(bp, "/me/links", summary="Family links (both ways)", tag="family", response=LinkList)
def list_links():
    return {"items": [_link(row) for row in links.links_for(db.session, current_account().id)]}


def _mandate(row) -> dict:
    out = asdict(mandates.view_of(db.session, row, clock.local_today()))
    out["scopes"] = list(out["scopes"])
    return out


@endpoint(
    bp,
    "/me/mandates",
    summary="Mandates on me (granted) and mandates I hold (received)",
    tag="family",
    response=MandateLists,
)
def list_mandates():
    me = current_account()
    if in_person.attach(db.session, me):
        db.session.commit()
    rows = mandates.on_account(db.session, me.id)
    return {
        "granted": [_mandate(r) for r in rows if r.grantor_id == me.id],
        "received": [_mandate(r) for r in rows if r.grantee_id == me.id],
    }


@endpoint(
    bp,
    "/me/mandates",
    "POST",
    summary="Grant a linked family member a mandate (scope and end date); granting again to "
    "the same holder changes their mandate (200) instead of adding one",
    tag="family",
    body=MandateIn,
    response=MandateOut,
    status=201,
    alt_status=200,
    errors=(400, 404),
)
def post_mandate(body: MandateIn):
    granted = mandates.grant(
        db.session,
        current_account(),
        body.grantee_account_id,
        body.scopes,
        body.valid_until,
        body.elder_mode,
    )
    db.session.commit()
    if not granted.created:
        answer_status(200)
    return _mandate(granted.mandate)


@endpoint(
    bp,
    "/me/mandates/<int:mandate_id>",
    "DELETE",
    summary="Revoke a mandate (the member or the holder); it ends at once. A minor cannot "
    "revoke the guardian's (403)",
    tag="family",
    status=204,
    errors=(403, 404),
)
def delete_mandate(mandate_id: int):
    mandates.revoke(db.session, current_account(), mandate_id)
    db.session.commit()
    return "", 204


@endpoint(
    bp,
    "/me/family-reminders",
    summary="Reminders of family members: mandates with 'reminders', a spouse's children",
    tag="family",
    response=FamilyReminderList,
)
def list_family_reminders():
    me = current_account()
    return {
        "items": [
            asdict(r) for r in shared.reminders_for(db.session, me, locale=me.locale or "zh_Hans")
        ]
    }


@endpoint(
    bp,
    "/me/family-reminders/<int:duty_id>/done",
    "POST",
    summary="Mark a family member's duty done (closes it for everyone)",
    tag="family",
    status=204,
    errors=(400, 404),
)
def family_reminder_done(duty_id: int):
    shared.mark_done(db.session, current_account(), duty_id)
    db.session.commit()
    return "", 204


@endpoint(
    bp,
    "/me/reminder-shares",
    "PUT",
    summary="Receive (or stop receiving) the reminders of a linked spouse's children",
    tag="family",
    body=ShareIn,
    status=204,
    errors=(404,),
)
def put_reminder_share(body: ShareIn):
    shared.set_share(db.session, current_account(), body.spouse_account_id, body.share)
    db.session.commit()
    return "", 204


@endpoint(
    bp,
    "/admin/mandates",
    "POST",
    summary="Record a mandate given in person (evidence seen, purpose; audited)",
    tag="admin",
    body=AdminMandateIn,
    response=MandateOut,
    status=201,
    admin=True,
    errors=(400, 404),
)
def post_admin_mandate(body: AdminMandateIn):
    row = in_person.record(
        db.session,
        current_account(),
        in_person.Grantor(
            body.grantor_account_id, body.grantor_name, body.grantor_email, body.grantor_member_id
        ),
        body.grantee_account_id,
        body.scopes,
        body.evidence,
        body.purpose,
        body.valid_until,
        body.elder_mode,
    )
    db.session.commit()
    return _mandate(row)


@endpoint(
    bp,
    "/me/mandates/<int:mandate_id>/confirm",
    "POST",
    summary="Confirm a mandate recorded for me in person (or revoke it with DELETE)",
    tag="family",
    response=MandateOut,
    errors=(404,),
)
def confirm_mandate(mandate_id: int):
    row = in_person.confirm(db.session, current_account(), mandate_id)
    db.session.commit()
    return _mandate(row)
