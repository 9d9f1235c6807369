"""Requests and responses of the family feature's API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from webapp.core.schemas import SingleLine, StrictModel

Scope = Literal["view", "reminders", "act"]


class InvitationOut(BaseModel):
    member_id: int
    status: Literal["none", "pending", "expired", "accepted"]
    confirmed: bool = Field(description="False until the member accepted: 未经本人确认")
    expires_at: datetime | None
    linked_account_id: int | None
    token: str | None = Field(None, description="Returned once, when the invitation is created")
    url: str | None = None


class LinkOut(BaseModel):
    member_id: int
    account_id: int = Field(description="The citizen whose household holds the entry")
    account_name: str
    linked_account_id: int = Field(description="The member's own account")
    linked_name: str
    linked_at: datetime


class LinkList(BaseModel):
    items: list[LinkOut]


class MandateIn(StrictModel):
    grantee_account_id: int = Field(ge=1, le=2**31 - 1)
    scopes: list[Scope] = Field(min_length=1, max_length=3)
    valid_until: date | None = None
    elder_mode: bool = False


class AdminMandateIn(MandateIn):
    """The grantor: a citizen account, or a person without one named by ``grantor_name`` +
    ``grantor_email``, or the grantee's household entry ``grantor_member_id``."""

    grantor_account_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    grantor_name: SingleLine | None = Field(default=None, min_length=1, max_length=120)
    grantor_email: SingleLine | None = Field(default=None, min_length=3, max_length=254)
    grantor_member_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    evidence: SingleLine = Field(min_length=1, max_length=500)
    purpose: SingleLine = Field(min_length=1, max_length=500)
    elder_mode: bool = True


class MandateOut(BaseModel):
    id: int
    grantor_id: int | None
    grantor_name: str
    grantee_id: int
    grantee_name: str
    scopes: list[Scope]
    kind: Literal["granted", "in_person", "guardian"]
    valid_until: date | None
    elder_mode: bool
    purpose: str | None
    created_at: datetime
    revoked_at: datetime | None
    status: Literal["active", "expired", "revoked"]


class MandateLists(BaseModel):
    granted: list[MandateOut] = Field(description="Mandates on me (I am the member)")
    received: list[MandateOut] = Field(description="Mandates I hold for family members")


class FamilyReminderOut(BaseModel):
    duty_id: int
    title: str
    subject_name: str
    due_date: date
    for_account_id: int
    for_name: str
    via: Literal["mandate", "spouse"]


class FamilyReminderList(BaseModel):
    items: list[FamilyReminderOut]


class ShareIn(StrictModel):
    spouse_account_id: int = Field(ge=1, le=2**31 - 1)
    share: bool = True
