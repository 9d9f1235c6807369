"""Helpers shared by the console's views: the acting admin, form parsing, saving."""

from __future__ import annotations

from flask_login import current_user

from webapp.core.view_helpers import signed_in_account


def me():
    return signed_in_account()


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
