"""HTML forms validated with the same pydantic schemas as the API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import MultiDict

from webapp.core.db import db
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


def commit(
    action: Callable[..., Any],
    success: str | None = None,
    *,
    schema: type[BaseModel] | None = None,
    data: dict | None = None,
    flash_errors: bool = False,
    not_found_404: bool = False,
    commit_on: type[Exception] | tuple[type[Exception], ...] = (),
    conflict: str | None = None,
) -> tuple[Any, dict[str, str]]:
    """The one form POST → commit → flash step of the HTML views.

    With ``schema``, ``data`` is validated first and ``action(parsed)`` runs; otherwise
    ``action()``. On success the request's session is committed and ``success`` flashed;
    on a ``ServiceError`` it is rolled back (nothing written) and the error returned as
    ``{field: message}`` (also flashed with ``flash_errors``; a 404 error aborts with 404
    when ``not_found_404``). An error of a ``commit_on`` kind commits what the action
    wrote before failing (a throttle's record of the attempt). With ``conflict``, a save
    that lost a race (a unique row written or a version bumped elsewhere at the same moment:
    ``IntegrityError``/``StaleDataError``) is rolled back and answered with that message
    like a ``ServiceError``. Returns (result, errors).
    """
    races: tuple[type[Exception], ...] = (
        (IntegrityError, StaleDataError) if conflict is not None else ()
    )
    if schema is not None:
        parsed, errors = validate(schema, data or {})
        if parsed is None:
            if flash_errors:
                for message in errors.values():
                    flash(message, "error")
            return None, errors

        def call() -> Any:
            return action(parsed)
    else:
        call = action
    try:
        try:
            result = call()
        except commit_on:
            db.session.commit()
            raise
        db.session.commit()
    except races:
        db.session.rollback()
        if flash_errors:
            flash(conflict, "error")
        return None, {"__root__": conflict}
    except ServiceError as exc:
        db.session.rollback()
        if not_found_404 and exc.status == 404:
            abort(404)
        if flash_errors:
            flash(exc.message, "error")
        return None, service_error_dict(exc)
    if success:
        flash(success)
    return result, {}
