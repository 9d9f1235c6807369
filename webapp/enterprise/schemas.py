from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, field_validator

from lifecycle.identifiers import IdentifierError, validate_credit_code
from webapp.core.schemas import OutModel, StrictModel, invalid
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
    name: str = Field(min_length=1, max_length=200)
    established_on: date
    industry: Industry = "other"
    size: Literal["micro", "small", "medium", "large"] = "small"
    region_code: str = Field(pattern=REGION_PATTERN)
    taxpayer_period: Literal["monthly", "quarterly"] = "monthly"
    role: Literal["legal_representative", "staff"] = "legal_representative"

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
    number: str = Field(min_length=1, max_length=60)
    issued_on: date | None = None
    expires_on: date | None = None


class PermitOut(OutModel):
    id: int
    kind: str
    number: str
    issued_on: date | None
    expires_on: date | None


class EnterpriseOut(OutModel):
    credit_code: str
    name: str
    established_on: date
    industry: str | None
    size: str | None
    region_code: str | None
    taxpayer_period: str
    role: str | None = None
    permits: list[PermitOut] = []
