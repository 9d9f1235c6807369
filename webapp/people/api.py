"""The caller's account, profile and household."""

from __future__ import annotations

from pydantic import BaseModel

from webapp import enterprise
from webapp.accounts import AccountOut
from webapp.core import clock
from webapp.core.api import bp
from webapp.core.api.spec import current_account, endpoint, if_match, set_etag
from webapp.core.db import db
from webapp.core.schemas import OutModel
from webapp.core.service_errors import NotFound
from webapp.enterprise import EnterpriseOut
from webapp.people import services as profiles
from webapp.people.household_schemas import DeathIn, HouseholdIn, HouseholdOut
from webapp.people.schemas import ProfileIn, ProfileOut
from webapp.people.subjects import household_rows, linked_names


class MeOut(OutModel):
    account: AccountOut
    profile: ProfileOut | None
    household: list[HouseholdOut]
    enterprises: list[EnterpriseOut]


class HouseholdList(BaseModel):
    items: list[HouseholdOut]


def _account_out(account) -> dict:
    return {
        "id": account.id,
        "email": account.email,
        "kind": account.role,
        "locale": account.locale,
    }


@endpoint(
    bp, "/me", summary="The caller's account and profile", tag="me", response=MeOut, act_as="view"
)
def get_me():
    account = current_account()
    profile = db.session.get(profiles.CitizenProfile, account.id)
    return {
        "account": _account_out(account),
        "profile": profiles.profile_dict(profile) if profile else None,
        "household": _members(household_rows(db.session, account)),
        "enterprises": [
            enterprise.enterprise_dict(m.enterprise, m)
            for m in enterprise.memberships(db.session, account)
        ],
    }


@endpoint(
    bp,
    "/me/profile",
    summary="The profile (ETag: its version, for If-Match when replacing it)",
    tag="me",
    response=ProfileOut,
)
def get_profile():
    profile = db.session.get(profiles.CitizenProfile, current_account().id)
    set_etag(profile.version if profile else 0)
    return profiles.profile_dict(profile) if profile else {"version": 0}


@endpoint(
    bp,
    "/me/profile",
    "PUT",
    summary="Replace the profile (If-Match: the ETag read; 409 when it changed elsewhere)",
    tag="me",
    body=ProfileIn,
    response=ProfileOut,
    errors=(400, 409),
    act_as="act",
)
def put_profile(body: ProfileIn):
    account = current_account()
    profile = profiles.replace_profile(db.session, account, body, expected_version=if_match())
    db.session.commit()
    set_etag(profile.version)
    return profiles.profile_dict(profile)


def _members(rows) -> list[dict]:
    names = linked_names(db.session, rows)
    return [profiles.member_dict(m, names.get(m.id)) for m in rows]


@endpoint(bp, "/me/household", summary="Household members", tag="household", response=HouseholdList)
def list_household():
    return {"items": _members(household_rows(db.session, current_account()))}


@endpoint(
    bp,
    "/me/household",
    "POST",
    summary="Add a household member",
    tag="household",
    body=HouseholdIn,
    response=HouseholdOut,
    status=201,
    errors=(400,),
)
def add_household(body: HouseholdIn):
    member = profiles.add_member(db.session, current_account(), body)
    db.session.commit()
    return _members([member])[0]


@endpoint(
    bp,
    "/me/household/<int:member_id>",
    summary="One household member",
    tag="household",
    response=HouseholdOut,
    errors=(404,),
)
def get_household(member_id: int):
    return _members([profiles.get_member(db.session, current_account(), member_id)])[0]


@endpoint(
    bp,
    "/me/household/<int:member_id>",
    "PUT",
    summary="Replace a household member",
    tag="household",
    body=HouseholdIn,
    response=HouseholdOut,
    errors=(400, 404),
)
def put_household(member_id: int, body: HouseholdIn):
    member = profiles.update_member(db.session, current_account(), member_id, body)
    db.session.commit()
    return _members([member])[0]


@endpoint(
    bp,
    "/me/household/<int:member_id>",
    "DELETE",
    summary="Remove a household member",
    tag="household",
    status=204,
    errors=(404,),
)
def delete_household(member_id: int):
    try:
        profiles.remove_member(db.session, current_account(), member_id)
    except NotFound:
        raise
    db.session.commit()
    return "", 204


@endpoint(
    bp,
    "/me/household/<int:member_id>/death",
    "PUT",
    summary="Record that a household member has died",
    tag="household",
    body=DeathIn,
    response=HouseholdOut,
    errors=(400, 404),
)
def put_household_death(member_id: int, body: DeathIn):
    """The member is kept for the family's history; their duties close, the death
    registration (《户口登记条例》第八条) and the 身后一件事 bundle appear, and reminders
    queued about them stop."""
    member = profiles.record_death(
        db.session, current_account(), member_id, body.deceased_on, clock.local_today()
    )
    db.session.commit()
    return _members([member])[0]


@endpoint(
    bp,
    "/me/household/<int:member_id>/death",
    "DELETE",
    summary="Undo a death recorded by mistake",
    tag="household",
    response=HouseholdOut,
    errors=(404,),
)
def delete_household_death(member_id: int):
    member = profiles.clear_death(db.session, current_account(), member_id)
    db.session.commit()
    return _members([member])[0]
