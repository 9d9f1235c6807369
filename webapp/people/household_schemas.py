from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, field_validator

from webapp.core.schemas import OutModel, StrictModel
from webapp.people.schemas import Gender, not_future


class HouseholdIn(StrictModel):
    relation: Literal["child", "parent", "spouse"]
    name: str = Field(min_length=1, max_length=50)
    birth_date: date
    gender: Gender | None = None
    guardian_consent: bool = Field(
        default=False,
        description="The guardian consents to processing the data of a child under 14 (PIPL art. 31)",
    )

    _nf = field_validator("birth_date")(not_future)


class HouseholdOut(OutModel):
    id: int
    relation: str
    name: str
    birth_date: date
    gender: str | None
    guardian_consent: bool
