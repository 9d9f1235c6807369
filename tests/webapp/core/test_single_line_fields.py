"""Every single-line text field of every input schema refuses control characters.

A line break in a name, title, code or note breaks e-mail headers, CSV rows and layouts
(the poison message that stopped all e-mail). The shared ``SingleLine`` type refuses them;
this test walks every input schema (each ``StrictModel`` and every body and query model of
the JSON API) and probes each field with a value holding a line break: the field must refuse
it, unless it is on the explicit list of multi-line fields below.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from pydantic import BaseModel, Field, ValidationError

import webapp
from webapp.core.schemas import StrictModel

# Fields where a line break is legitimate. Keep this list short and say why.
MULTI_LINE = {
    # secrets: never displayed, never put in a header; a user may type what they like
    "webapp.accounts.schemas.AccountIn.password",
    "webapp.accounts.schemas.DeleteAccountIn.password",
    "webapp.accounts.schemas.ResetConfirmIn.password",
    "webapp.accounts.schemas.TokenIn.password",
    # a reviewer's record of the evidence checked and why, typed in a <textarea> in /admin
    "webapp.enterprise.schemas.ReviewIn.evidence",
    "webapp.enterprise.schemas.ReviewIn.purpose",
} | {
    # catalog descriptions: paragraphs, edited in a <textarea> in /admin
    f"webapp.admin.schemas.{model}.description_{locale}"
    for model in ("BundleIn", "DepartmentIn", "NamedIn", "ServiceCreateIn", "ServiceEditIn")
    for locale in ("zh_Hans", "zh_Hant", "en")
}


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def input_schemas(app) -> list[type[BaseModel]]:
    for module in pkgutil.walk_packages(webapp.__path__, "webapp."):
        importlib.import_module(module.name)
    from webapp.core.api.spec import OPERATIONS

    models = set(_subclasses(StrictModel))
    models |= {m for op in OPERATIONS for m in (op.body, op.query) if m is not None}
    return sorted(models, key=lambda m: (m.__module__, m.__qualname__))


def _field_errors(model: type[BaseModel], name: str, value) -> list[dict]:
    try:
        model.model_validate({name: value})
    except ValidationError as exc:
        return [e for e in exc.errors() if e["loc"] and e["loc"][0] == name]
    return []


def _accepts(model: type[BaseModel], name: str, text: str) -> bool:
    errors = _field_errors(model, name, text)
    if any(e["type"] == "list_type" for e in errors):
        errors = _field_errors(model, name, [text])
    return not errors


def accepts_a_line_break(model: type[BaseModel], name: str) -> bool:
    """True when the field takes a text (or a list of texts) holding a line break.

    Probed at several lengths, so that a length limit does not hide a free-text field: the
    field is free when, at some length, a plain text and the same text with a line break
    are both accepted."""
    for length in (3, 6, 12, 40):
        plain = "a" * length
        broken = "a" * (length - 2) + "\nb"
        if _accepts(model, name, plain) and _accepts(model, name, broken):
            return True
    return False


def test_every_single_line_input_field_refuses_control_characters(app):
    models = input_schemas(app)
    assert len(models) > 50  # the walk found the schemas
    seen, offending = set(), []
    for model in models:
        for name in model.model_fields:
            key = f"{model.__module__}.{model.__qualname__}.{name}"
            seen.add(key)
            if key not in MULTI_LINE and accepts_a_line_break(model, name):
                offending.append(key)
    assert not offending, "use webapp.core.schemas.SingleLine for: " + ", ".join(offending)
    assert seen >= MULTI_LINE, MULTI_LINE - seen  # the allow-list names real fields


@pytest.mark.parametrize(
    "key",
    [
        "webapp.admin.schemas.HolidaysIn.source",
        "webapp.enterprise.schemas.InvitationIn.note",
        "webapp.family.schemas.AdminMandateIn.purpose",
        "webapp.entitlements.schemas.FactIn.value",
    ],
)
def test_the_probe_tells_a_single_line_field_from_a_free_one(app, key):
    module, model_name, field = key.rsplit(".", 2)
    model = getattr(importlib.import_module(module), model_name)
    assert not accepts_a_line_break(model, field)

    class Free(StrictModel):
        text: str = Field(min_length=5, max_length=500)

    assert accepts_a_line_break(Free, "text")
