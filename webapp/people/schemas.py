from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, field_validator, model_validator

from lifecycle.identifiers import IdentifierError, parse_id_number
from webapp.core.clock import local_today
from webapp.core.schemas import OutModel, SingleLine, StrictModel, invalid

Gender = Literal["male", "female"]
Employment = Literal["employed", "self_employed", "unemployed", "retired", "student"]
RetirementCategory = Literal["male", "female_cadre", "female_worker"]
MaritalStatus = Literal["single", "married", "divorced", "widowed"]
REGION_PATTERN = r"^\d{6}$"


def not_future(value: date | None) -> date | None:
    if value is not None and value > local_today():
        raise invalid("future_date", "date in the future")
    return value


class IdCardIn(StrictModel):
    issued_on: date

    _nf = field_validator("issued_on")(not_future)


class DocumentIn(StrictModel):
    """A driving licence or passport. Without ``expires_on`` the expiry is computed: a
    passport's from the age at issue (《护照法》第七条: 5 years under 16, else 10), a
    driving licence's as a first licence (6 years, provisional)."""

    issued_on: date | None = None
    expires_on: date | None = None

    _nf = field_validator("issued_on")(not_future)

    @model_validator(mode="after")
    def _order(self):
        if self.issued_on is None and self.expires_on is None:
            raise invalid("missing_dates", "give the issue date, the expiry or both")
        if self.issued_on and self.expires_on and self.expires_on <= self.issued_on:
            raise invalid("expiry_before_issue", "expiry before issue")
        return self


class ProfileIn(StrictModel):
    full_name: SingleLine | None = Field(default=None, max_length=100)
    id_number: str | None = Field(
        default=None,
        max_length=18,
        description="18-character resident ID number; fills birth date, gender and region",
    )
    birth_date: date | None = None
    gender: Gender | None = None
    region_code: str | None = Field(default=None, pattern=REGION_PATTERN)
    id_card: IdCardIn | None = None
    driver_license: DocumentIn | None = None
    passport: DocumentIn | None = None
    employment: Employment | None = None
    retirement_category: RetirementCategory | None = None
    marital_status: MaritalStatus | None = None

    _nf = field_validator("birth_date")(not_future)

    @field_validator("id_number")
    @classmethod
    def _id(cls, value: str | None) -> str | None:
        if not value:
            return None
        try:
            return parse_id_number(value, local_today()).number
        except IdentifierError as exc:
            raise invalid("bad_id_number", str(exc)) from exc

    @model_validator(mode="after")
    def _derive(self):
        if self.id_number:
            rid = parse_id_number(self.id_number)
            if self.birth_date and self.birth_date != rid.birth_date:
                raise invalid("id_mismatch", "birth date does not match the ID number")
            if self.gender and self.gender != rid.gender:
                raise invalid("id_mismatch", "gender does not match the ID number")
            self.birth_date = rid.birth_date
            self.gender = rid.gender
            self.region_code = self.region_code or rid.region_code
        for doc in (self.id_card, self.driver_license, self.passport):
            if doc and doc.issued_on and self.birth_date and doc.issued_on < self.birth_date:
                raise invalid("issued_before_birth", "issued before birth")
        return self


class DocumentOut(OutModel):
    issued_on: date | None = None
    expires_on: date | None = None
    expiry_computed: bool = Field(
        default=False, description="The expiry follows from the law, not from the document"
    )


class ProfileOut(OutModel):
    full_name: str | None = None
    id_number_masked: str | None = None
    birth_date: date | None = None
    gender: str | None = None
    region_code: str | None = None
    id_card: DocumentOut | None = None
    driver_license: DocumentOut | None = None
    passport: DocumentOut | None = None
    employment: str | None = None
    retirement_category: str | None = None
    marital_status: str | None = None
    version: int | None = None
