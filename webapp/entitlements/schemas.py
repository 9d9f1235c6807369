"""JSON shapes of the entitlements and facts API (validated, in the OpenAPI document)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from webapp.core.schemas import OutModel, StrictModel


class SubjectOut(OutModel):
    kind: Literal["self", "household", "enterprise"]
    id: int
    name: str


class AmountOut(OutModel):
    value: int
    currency: Literal["CNY"] = "CNY"
    period: Literal["month", "year", "once"]


class SplitOut(OutModel):
    share_percent: int
    amount: AmountOut


class EntitlementOut(OutModel):
    key: str
    title: str
    kind: Literal["cash", "deduction", "tax_relief", "service"]
    subject: SubjectOut
    amount: AmountOut | None
    # "from" is a Python keyword: the field is named from_ and serialised as "from".
    from_: date | None = Field(default=None, alias="from")
    to: date | None
    status: Literal["eligible", "upcoming", "unknown"]
    missing_facts: list[str]
    legal_basis: str
    service_code: str | None
    facts_used: list[str]
    splits: list[SplitOut]
    tax_saved: AmountOut | None
    total: AmountOut | None
    note: str | None

    model_config = ConfigDict(
        from_attributes=True,
        serialize_by_alias=True,
        validate_by_name=True,
        validate_by_alias=True,
    )


class EntitlementList(BaseModel):
    items: list[EntitlementOut]


class FactOut(OutModel):
    subject: str
    key: str
    value: bool | int | str | list[str]
    source: str
    recorded_on: date


class FactList(BaseModel):
    items: list[FactOut]
    asked: list[FactAsk]


class FactAsk(OutModel):
    subject: str
    key: str
    kind: Literal["bool", "choice", "int", "set"]
    choices: list[str]


class FactIn(StrictModel):
    value: bool | int | str | list[str]


FactList.model_rebuild()
