from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from webapp.core.schemas import OutModel, StrictModel, invalid

Locale = Literal["zh_Hans", "zh_Hant", "en"]


def _email(value: str) -> str:
    from email_validator import EmailNotValidError, validate_email

    try:
        # test_environment admits the *.test domains of the demo and test accounts.
        return validate_email(value, check_deliverability=False, test_environment=True).normalized
    except EmailNotValidError as exc:
        raise invalid("email", "invalid e-mail address") from exc


class TokenIn(StrictModel):
    email: str = Field(max_length=254)
    password: str = Field(max_length=256)


class TokenOut(OutModel):
    token: str


class AccountIn(StrictModel):
    email: str = Field(max_length=254)
    password: str = Field(max_length=256)
    kind: Literal["citizen", "business"] = "citizen"
    locale: Locale | None = None

    _check_email = field_validator("email")(_email)


class AccountOut(OutModel):
    id: int
    email: str
    kind: str
    locale: str | None


class DeleteAccountIn(StrictModel):
    password: str = Field(max_length=256)


class SignupOut(OutModel):
    email: str
    kind: str
    locale: str | None
    verification_sent: bool


class TokenBody(StrictModel):
    token: str = Field(min_length=1, max_length=500)


class ResetRequestIn(StrictModel):
    email: str = Field(max_length=254)


class ResetConfirmIn(StrictModel):
    token: str = Field(min_length=1, max_length=500)
    password: str = Field(max_length=256)
