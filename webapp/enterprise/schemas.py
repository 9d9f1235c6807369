from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from lifecycle.identifiers import IdentifierError, validate_credit_code
from webapp.core.schemas import OutModel, SingleLine, StrictModel, invalid
from webapp.people import REGION_PATTERN, not_future

INDUSTRIES = (
    "catering",
    "retail",
    "wholesale",
    "manufacturing",
    "software",
    "construction",
    "logistics",
    "education",
    "healthcare",
    "finance",
    "agriculture",
    "hospitality",
    "other",
)
Industry = Literal[
    "catering",
    "retail",
    "wholesale",
    "manufacturing",
    "software",
    "construction",
    "logistics",
    "education",
    "healthcare",
    "finance",
    "agriculture",
    "hospitality",
    "other",
]


class EnterpriseIn(StrictModel):
    credit_code: str = Field(max_length=18, description="18-character unified social credit code")
    name: SingleLine = Field(min_length=1, max_length=200)
    established_on: date
    industry: Industry = "other"
    size: Literal["micro", "small", "medium", "large"] = "small"
    region_code: str = Field(pattern=REGION_PATTERN)
    taxpayer_period: Literal["monthly", "quarterly"] = "monthly"
    role: Literal["legal_representative", "manager", "staff"] = Field(
        default="legal_representative",
        description="the role the claimant asks for; a reviewer or an invitation decides",
    )

    _nf = field_validator("established_on")(not_future)

    @field_validator("credit_code")
    @classmethod
    def _code(cls, value: str) -> str:
        try:
            return validate_credit_code(value)
        except IdentifierError as exc:
            raise invalid("bad_credit_code", str(exc)) from exc


class PermitIn(StrictModel):
    kind: Literal[
        "food_business_license",
        "drug_business_license",
        "construction_permit",
        "road_transport_permit",
        "other",
    ]
    number: SingleLine = Field(min_length=1, max_length=60)
    issued_on: date | None = None
    expires_on: date | None = None


class PermitOut(OutModel):
    id: int
    kind: str
    number: str
    issued_on: date | None
    expires_on: date | None


class LegalFormOut(BaseModel):
    key: str = Field(description="enterprise, individual_business, farmers_cooperative, …")
    code: str = Field(description="The credit code's first two characters (GB 32100-2015)")
    zh_Hans: str
    en: str


class EnterpriseOut(OutModel):
    credit_code: str
    name: str
    established_on: date
    industry: str | None
    size: str | None
    region_code: str | None
    taxpayer_period: str
    legal_form: LegalFormOut
    role: str | None = None
    permits: list[PermitOut] = []


Role = Literal["legal_representative", "manager", "staff"]


class ClaimOut(OutModel):
    """A claim as its owner sees it: their own words and the status, nothing stored."""

    id: int
    credit_code: str
    name: str
    role: str
    status: Literal["pending", "approved", "rejected", "withdrawn"]
    created_at: datetime
    decided_at: datetime | None = None


class ClaimList(OutModel):
    items: list[ClaimOut]


class EnterpriseSummary(OutModel):
    credit_code: str
    name: str
    role: str


class EnterpriseList(OutModel):
    items: list[EnterpriseSummary]


class InvitationIn(StrictModel):
    role: Role = "staff"
    note: str | None = Field(default=None, max_length=100)


class InvitationOut(OutModel):
    id: int
    role: str
    note: str | None = None
    created_at: datetime
    expires_at: datetime
    state: Literal["open", "accepted", "revoked", "expired"]


class NewInvitationOut(InvitationOut):
    code: str = Field(description="shown once: give it to the invitee")
    accept_url: str


class InvitationList(OutModel):
    items: list[InvitationOut]


class AcceptIn(StrictModel):
    code: str = Field(min_length=1, max_length=100)


class MemberOut(OutModel):
    id: int
    name: str
    role: str
    you: bool
    since: datetime


class MemberList(OutModel):
    items: list[MemberOut]


class RoleIn(StrictModel):
    role: Role


class ReviewIn(StrictModel):
    decision: Literal["approve", "reject"]
    evidence: str = Field(min_length=5, max_length=2000)
    purpose: str = Field(min_length=5, max_length=500)
    role: Role | None = None


class ReviewItemOut(OutModel):
    id: int
    account_id: int
    credit_code: str
    name: str
    established_on: date
    role: str
    created_at: datetime
    disputed: bool
    registered: bool


class ReviewQueue(OutModel):
    items: list[ReviewItemOut]
