"""Endpoint registration: one decorator validates the request with a pydantic schema and
records the operation in the OpenAPI document, so the document and the server agree."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask import Response, g, jsonify, request
from pydantic import BaseModel, ValidationError

from webapp.core.db import db
from webapp.core.errors import json_error
from webapp.core.schemas import field_errors
from webapp.core.security.input import MAX_JSON_DEPTH, contains_nul, json_too_deep
from webapp.core.service_errors import ServiceError

OPERATIONS: list[Operation] = []


@dataclass
class Operation:
    path: str  # OpenAPI path, e.g. /me/household/{member_id}
    method: str
    summary: str
    tag: str
    auth: bool
    body: type[BaseModel] | None
    query: type[BaseModel] | None
    response: type[BaseModel] | None
    status: int
    errors: tuple[int, ...]
    path_params: dict[str, str] = field(default_factory=dict)
    act_as: str | None = None  # the mandate scope that lets a family member call it for another
    # A second success status, e.g. 200 when a POST changed an existing resource instead of
    # creating one (the view calls ``answer_status``); same response schema.
    alt_status: int | None = None


def _openapi_path(rule: str) -> tuple[str, dict[str, str]]:
    params = {}

    def repl(m):
        conv, name = m.group(1), m.group(2)
        params[name] = "integer" if conv == "int" else "string"
        return "{" + name + "}"

    return re.sub(r"<(?:(\w+):)?(\w+)>", repl, rule), params


# (account, token) for a bearer token, or None; the accounts feature installs it.
_token_resolver: Callable[[Any, str], tuple | None] | None = None


def set_token_resolver(resolver: Callable[[Any, str], tuple | None]) -> None:
    global _token_resolver
    _token_resolver = resolver


# (session, caller, subject account id, scope) -> the subject's account when the caller holds
# a valid mandate with that scope, else None; the family feature installs it.
_act_as_resolver: Callable[[Any, Any, int, str], Any] | None = None


def set_act_as_resolver(resolver: Callable[[Any, Any, int, str], Any]) -> None:
    global _act_as_resolver
    _act_as_resolver = resolver


def current_account():
    """The account the call is for: the caller, or the member it acts for (``Act-As``)."""
    return g.api_account


def acting_account():
    """The caller when it acts for another account under a mandate, else None."""
    return g.get("api_actor")


def api_locale(lang: str | None = None) -> str:
    """The API's one language policy: ``?lang=``, else the caller's language, else the
    Accept-Language header, else 简体. Texts rendered for the response (gettext, dates)
    follow it."""
    from flask_babel import refresh

    from webapp.core.i18n import LOCALES, select_locale

    account = g.get("api_actor") or g.get("api_account")
    locale = lang or (account.locale if account is not None and account.locale in LOCALES else None)
    if locale is None:
        locale = select_locale()
    if getattr(g, "locale_override", None) != locale:
        g.locale_override = locale
        refresh()
    return locale


def _act_as(scope: str | None) -> Response | None:
    raw = request.headers.get("Act-As", "").strip()
    subject = None
    if scope is not None and _act_as_resolver is not None and raw.isdigit() and len(raw) < 10:
        subject = _act_as_resolver(db.session, g.api_account, int(raw), scope)
    if subject is None:
        return json_error(404, "not_found", "No valid mandate lets you act for this account.")
    g.api_actor, g.api_account = g.api_account, subject
    return None


def _authenticate() -> Response | None:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return json_error(401, "unauthorized", "Send a token as 'Authorization: Bearer <token>'.")
    found = _token_resolver(db.session, header.removeprefix("Bearer ").strip())
    if found is None:
        return json_error(401, "unauthorized", "The token is not valid or has been revoked.")
    g.api_account, g.api_token = found
    return None


def answer_status(code: int) -> None:
    """Answer this call with the operation's ``alt_status`` instead of its usual status."""
    g.api_status = code


def set_etag(version: int | None) -> None:
    """Send ``ETag: "<version>"`` with this response (optimistic concurrency)."""
    if version is not None:
        g.setdefault("response_headers", {})["ETag"] = f'"{version}"'


def if_match() -> int | None:
    """The version named by the request's If-Match header: None when absent or ``*``;
    -1 (never a stored version, so a conflict) when it names no version of ours."""
    value = (request.headers.get("If-Match") or "").strip()
    if not value or value == "*":
        return None
    value = value.removeprefix("W/").strip('"')
    return int(value) if value.isdigit() and len(value) < 10 else -1


def _default(value: Any):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError


def dump(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [dump(v) for v in value]
    if isinstance(value, dict):
        return {k: dump(v) for k, v in value.items()}
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def endpoint(
    bp,
    rule: str,
    method: str = "GET",
    *,
    summary: str,
    tag: str,
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    response: type[BaseModel] | None = None,
    status: int = 200,
    auth: bool = True,
    errors: tuple[int, ...] = (),
    admin: bool = False,
    decorators: tuple[Callable, ...] = (),
    act_as: str | None = None,
    alt_status: int | None = None,
):
    """Register ``view(**path_args, body=?, query=?)`` returning a dict/list/model/Response."""
    path, params = _openapi_path(rule)
    # 400: a NUL or control character in the path or query, refused before any view.
    all_errors = set(errors) | {400}
    if auth:
        all_errors.add(401)
    if admin:
        all_errors.add(403)
    if act_as is not None:
        all_errors.add(404)
    if body is not None or query is not None:
        all_errors.add(422)
    op = Operation(
        path,
        method.lower(),
        summary,
        tag,
        auth,
        body,
        query,
        response,
        status,
        tuple(sorted(all_errors)),
        path_params=params,
        act_as=act_as,
        alt_status=alt_status,
    )
    OPERATIONS.append(op)

    def decorator(view: Callable):
        @functools.wraps(view)
        def wrapper(**kwargs):
            if auth:
                failure = _authenticate()
                if failure is not None:
                    return failure
                if admin and g.api_account.role != "admin":
                    return json_error(403, "forbidden", "Admins only.")
                if "Act-As" in request.headers:
                    failure = _act_as(act_as)
                    if failure is not None:
                        return failure
            if body is not None:
                if json_too_deep(request.get_data(cache=True)):
                    return json_error(
                        422, "too_deep", f"Nest JSON at most {MAX_JSON_DEPTH} levels deep."
                    )
                payload = request.get_json(silent=True)
                if not isinstance(payload, dict):
                    return json_error(422, "invalid_body", "Send a JSON object.")
                if contains_nul(payload):
                    return json_error(422, "invalid_characters", "Text may not contain NUL.")
                try:
                    kwargs["body"] = body.model_validate(payload)
                except ValidationError as exc:
                    return json_error(
                        422,
                        "validation_error",
                        "The request is not valid.",
                        fields=field_errors(exc),
                    )
            if query is not None:
                try:
                    kwargs["query"] = query.model_validate(request.args.to_dict())
                except ValidationError as exc:
                    return json_error(
                        422, "validation_error", "The query is not valid.", fields=field_errors(exc)
                    )
            try:
                result = view(**kwargs)
            except ServiceError as exc:
                db.session.rollback()
                error = json_error(exc.status, exc.code, exc.message, field=exc.field)
                if getattr(exc, "retry_after", None):
                    return (*error, {"Retry-After": str(exc.retry_after)})
                return error
            if isinstance(result, Response):
                return result
            if isinstance(result, tuple):
                return result
            if response is not None and not isinstance(result, BaseModel):
                result = response.model_validate(result)
            out = jsonify(dump(result))
            out.status_code = g.pop("api_status", None) or status
            if g.get("api_actor") is not None:
                # Whose data this is, and who is acting for them (Act-As).
                out.headers["Acting-For"] = str(g.api_account.id)
                out.headers["Acting-By"] = str(g.api_actor.id)
            for name, value in g.pop("response_headers", {}).items():
                out.headers[name] = value
            return out

        endpoint_name = f"{method.lower()}_{view.__name__}"
        registered = wrapper
        for extra in reversed(decorators):
            registered = extra(registered)
        bp.add_url_rule(rule, endpoint=endpoint_name, view_func=registered, methods=[method])
        return wrapper

    return decorator
