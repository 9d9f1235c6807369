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


def current_account():
    return g.api_account


def _authenticate() -> Response | None:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return json_error(401, "unauthorized", "Send a token as 'Authorization: Bearer <token>'.")
    found = _token_resolver(db.session, header.removeprefix("Bearer ").strip())
    if found is None:
        return json_error(401, "unauthorized", "The token is not valid or has been revoked.")
    g.api_account, g.api_token = found
    return None


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
):
    """Register ``view(**path_args, body=?, query=?)`` returning a dict/list/model/Response."""
    path, params = _openapi_path(rule)
    all_errors = set(errors)
    if auth:
        all_errors.add(401)
    if admin:
        all_errors.add(403)
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
            if body is not None:
                payload = request.get_json(silent=True)
                if not isinstance(payload, dict):
                    return json_error(422, "invalid_body", "Send a JSON object.")
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
                return json_error(exc.status, exc.code, exc.message, field=exc.field)
            if isinstance(result, Response):
                return result
            if isinstance(result, tuple):
                return result
            if response is not None and not isinstance(result, BaseModel):
                result = response.model_validate(result)
            out = jsonify(dump(result))
            out.status_code = status
            return out

        endpoint_name = f"{method.lower()}_{view.__name__}"
        registered = wrapper
        for extra in reversed(decorators):
            registered = extra(registered)
        bp.add_url_rule(rule, endpoint=endpoint_name, view_func=registered, methods=[method])
        return wrapper

    return decorator
