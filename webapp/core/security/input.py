"""Input the application never accepts, refused before any view runs: a NUL or other
control character in the path, the query string or a form field (400), and JSON nested
deeper than ``MAX_JSON_DEPTH`` (422 for the API). PostgreSQL cannot store NUL in text,
and a deep document exhausts the parser's recursion."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, request
from flask_babel import gettext as _

MAX_JSON_DEPTH = 32
# C0 controls except tab, line feed and carriage return (multi-line form fields keep
# those; single-line fields refuse them in their schema), and DEL.
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def bad_text(value: str) -> bool:
    return bool(_FORBIDDEN.search(value))


def json_too_deep(data: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the JSON text nests arrays/objects deeper than ``limit`` (strings skipped)."""
    if data.count(b"[") + data.count(b"{") <= limit:
        return False
    depth = 0
    in_string = escaped = False
    for byte in data:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            if depth > limit:
                return True
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return False


def depth_of(value: Any) -> int:
    """Nesting depth of a decoded JSON value (a scalar is 0)."""
    if isinstance(value, dict):
        return 1 + max((depth_of(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((depth_of(v) for v in value), default=0)
    return 0


def contains_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(contains_nul(k) or contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(contains_nul(v) for v in value)
    return False


def init_app(app: Flask) -> None:
    @app.before_request
    def _refuse_invalid_characters():
        from werkzeug.exceptions import BadRequest

        texts = [request.path, *request.args.keys(), *request.args.values()]
        if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            texts += [*request.form.keys(), *request.form.values()]
        if any(bad_text(t) for t in texts):
            raise BadRequest(_("The request contains characters that are not allowed."))
        return None
