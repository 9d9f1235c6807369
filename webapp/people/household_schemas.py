from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, field_validator, model_validator

from webapp.core.schemas import OutModel, SingleLine, StrictModel, invalid
from webapp.people.schemas import Gender, not_future


class HouseholdIn(StrictModel):
    relation: Literal["child", "parent", "spouse"]
    name: SingleLine = Field(min_length=1, max_length=50)
    birth_date: date
    gender: Gender | None = None
    guardian_consent: bool = Field(
        default=False,
        description="The guardian consents to processing the data of a child under 14 (PIPL art. 31)",
    )
    id_card_issued_on: date | None = Field(
        default=None,
        description="Issue date of the member's resident ID card; the expiry follows from the law",
    )

    _nf = field_validator("birth_date", "id_card_issued_on")(not_future)

    @model_validator(mode="after")
    def _card_after_birth(self):
        if self.id_card_issued_on and self.id_card_issued_on < self.birth_date:
            raise invalid("issued_before_birth", "issued before birth")
        return self


class HouseholdOut(OutModel):
    id: int
    relation: str
    name: str = Field(description="The name as the citizen typed it")
    display_name: str = Field(
        description="The name to show: the member's own (profile name, else display name) "
        "once the entry is linked to their account, else the typed name"
    )
    birth_date: date
    gender: str | None
    guardian_consent: bool
    id_card_issued_on: date | None = None
    deceased_on: date | None = Field(
        default=None, description="Date of death, when recorded; the member is kept"
    )
    bundle: str | None = Field(
        default=None, description="After a death: the 身后一件事 bundle (catalog code)"
    )


class DeathIn(StrictModel):
    """《户口登记条例》第八条: the family registers a death (towns: before burial; the
    countryside: within one month)."""

    deceased_on: date = Field(description="Date of death (not in the future)")

    _nf = field_validator("deceased_on")(not_future)
