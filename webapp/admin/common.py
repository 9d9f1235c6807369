"""Helpers shared by the console's views: the acting admin, form parsing, saving."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash
from flask_login import current_user
from pydantic import BaseModel

from webapp.core.db import db
from webapp.core.forms import service_error_dict, validate
from webapp.core.service_errors import ServiceError


def me():
    return db.session.merge(current_user._get_current_object())


def actor_id() -> int:
    return current_user.id


def split_codes(value: str | None) -> list[str]:
    if not value:
        return []
    parts = value.replace("，", ",").replace("\n", ",").replace(" ", ",").split(",")
    return [p.strip() for p in parts if p.strip()]


def split_lines(value: str | None) -> list[str]:
    """One item per line (or separated by commas or 、): aliases may contain spaces."""
    if not value:
        return []
    for separator in ("，", ",", "、", ";", "；", "\r"):
        value = value.replace(separator, "\n")
    return [p.strip() for p in value.split("\n") if p.strip()]


def checked(form, name: str) -> bool:
    return form.get(name) in ("on", "true", "1", "yes")


def save(schema: type[BaseModel], data: dict, action: Callable[[Any], Any], message: str):
    """Validate ``data`` with ``schema``, run ``action(parsed)``, commit; return
    (result, errors). Nothing is written when anything fails."""
    parsed, errors = validate(schema, data)
    if parsed is None:
        return None, errors
    try:
        result = action(parsed)
        db.session.commit()
    except ServiceError as exc:
        db.session.rollback()
        return None, service_error_dict(exc)
    flash(message)
    return result, {}


def run(action: Callable[[], Any], message: str) -> tuple[Any, str | None]:
    """Run a change without a form body; commit, or roll back and return the error."""
    try:
        result = action()
        db.session.commit()
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return None, exc.message
    flash(message)
    return result, None
