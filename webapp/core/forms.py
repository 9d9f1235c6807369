"""HTML forms validated with the same pydantic schemas as the API."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError
from werkzeug.datastructures import MultiDict

from webapp.core.schemas import field_errors
from webapp.core.service_errors import ServiceError


def form_to_dict(
    form: MultiDict, fields: list[str], nested: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    """Take the named fields, drop empty strings, and group "doc.field" inputs into objects."""
    data: dict[str, Any] = {}
    for name in fields:
        value = form.get(name, "").strip()
        if value != "":
            data[name] = value
    for group, subfields in (nested or {}).items():
        sub = {f: form.get(f"{group}.{f}", "").strip() for f in subfields}
        sub = {k: v for k, v in sub.items() if v != ""}
        if sub:
            data[group] = sub
    return data


def validate(schema: type[BaseModel], data: dict) -> tuple[BaseModel | None, dict[str, str]]:
    try:
        return schema.model_validate(data), {}
    except ValidationError as exc:
        return None, field_errors(exc)


def service_error_dict(exc: ServiceError) -> dict[str, str]:
    return {exc.field or "__root__": exc.message}
