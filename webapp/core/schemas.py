"""Base model and the translated messages for validation errors."""

from __future__ import annotations

import re
from typing import Annotated

from flask_babel import gettext as _
from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError
from pydantic_core import PydanticCustomError


class StrictModel(BaseModel):
    """Unknown fields are refused (no mass assignment)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class OutModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


def invalid(code: str, message: str) -> PydanticCustomError:
    """A validation error whose code is ours; ``message`` is an English fallback."""
    return PydanticCustomError(code, message)


# C0 and C1 controls, DEL, and the Unicode line and paragraph separators: a single-line
# value (a name, a title) that holds one breaks e-mail headers, CSV rows and layouts.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _single_line(value: str) -> str:
    if CONTROL_CHARACTERS.search(value):
        raise invalid("control_characters", "line breaks and control characters are not allowed")
    return value


SingleLine = Annotated[str, AfterValidator(_single_line)]
"""A one-line text field: line breaks, tabs, NUL and other control characters are refused."""


def _messages() -> dict[str, str]:
    return {
        "missing": _("This field is required."),
        "extra_forbidden": _("This field is not accepted."),
        "date_from_datetime_parsing": _("Enter a date as YYYY-MM-DD."),
        "date_parsing": _("Enter a date as YYYY-MM-DD."),
        "date_type": _("Enter a date as YYYY-MM-DD."),
        "literal_error": _("Choose one of the offered values."),
        "string_pattern_mismatch": _("The format is not valid."),
        "string_too_short": _("This field is required."),
        "string_too_long": _("This text is too long."),
        "string_type": _("Enter text."),
        "bool_type": _("Enter true or false."),
        "bool_parsing": _("Enter true or false."),
        "int_parsing": _("Enter a whole number."),
        "int_type": _("Enter a whole number."),
        "float_parsing": _("Enter a number."),
        "value_error": _("The value is not valid."),
        "future_date": _("This date cannot be in the future."),
        "bad_id_number": _("This resident ID number is not valid (check the last character)."),
        "id_mismatch": _("This does not match the resident ID number."),
        "bad_credit_code": _(
            "This unified social credit code is not valid (18 characters, check the last one)."
        ),
        "bad_region": _("Enter a 6-digit region code (GB/T 2260)."),
        "issued_before_birth": _("A document cannot be issued before its holder was born."),
        "expiry_before_issue": _("The expiry date must come after the issue date."),
        "email": _("Enter a valid e-mail address."),
        "guardian_consent": _(
            "For a child under 14, the guardian's consent is required "
            "(Personal Information Protection Law, art. 31)."
        ),
        "bad_time": _("Enter a time as HH:MM."),
        "control_characters": _(
            "Enter this on one line, without line breaks, tabs or control characters."
        ),
    }


def error_message(error: dict) -> str:
    messages = _messages()
    code = error.get("type", "value_error")
    return messages.get(code) or error.get("msg") or messages["value_error"]


def field_errors(exc: ValidationError) -> dict[str, str]:
    """Map a ValidationError to {"field.path": translated message}, first error per field."""
    out: dict[str, str] = {}
    for error in exc.errors():
        loc = ".".join(str(p) for p in error.get("loc", ())) or "__root__"
        out.setdefault(loc, error_message(error))
    return out
