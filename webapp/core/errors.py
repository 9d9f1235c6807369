"""Error pages and JSON errors: never a stack trace, 503 when the database is down."""

from __future__ import annotations

import contextlib
import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from webapp.core.service_errors import ServiceError

log = logging.getLogger(__name__)


def wants_json() -> bool:
    return request.path.startswith("/api/")


def json_error(status: int, code: str, message: str, **extra):
    body = {"error": {"code": code, "message": message, **extra}}
    return jsonify(body), status


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        if wants_json():
            code = (exc.name or "error").lower().replace(" ", "_")
            response = json_error(exc.code or 500, code, exc.description or exc.name)
        else:
            response = (
                render_template(
                    "errors/error.html", status=exc.code, title=exc.name, message=exc.description
                ),
                exc.code,
            )
        if exc.code == 429:
            retry = getattr(exc, "retry_after", None) or 60
            body, status = response
            return body, status, {"Retry-After": str(retry)}
        return response

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(exc: RequestEntityTooLarge):
        limit = app.config.get("MAX_CONTENT_LENGTH") or 0
        message = _(
            "The request is too large: at most %(size)s kB can be sent.", size=limit // 1024
        )
        if wants_json():
            return json_error(413, "request_too_large", message)
        return render_template(
            "errors/error.html", status=413, title=_("Request too large"), message=message
        ), 413

    @app.errorhandler(ServiceError)
    def _service(exc: ServiceError):
        if wants_json():
            return json_error(exc.status, exc.code, exc.message, field=exc.field)
        return render_template(
            "errors/error.html", status=exc.status, title=_("Error"), message=exc.message
        ), exc.status

    @app.errorhandler(OperationalError)
    @app.errorhandler(DBAPIError)
    def _database_down(exc):
        log.error("database unavailable: %s", type(exc).__name__)
        _rollback()
        if wants_json():
            return json_error(503, "unavailable", "The service is temporarily unavailable.")
        return (
            render_template(
                "errors/error.html",
                status=503,
                title=_("Temporarily unavailable"),
                message=_("The service is temporarily unavailable. Please try again in a minute."),
            ),
            503,
            {"Retry-After": "30"},
        )

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        _rollback()
        if wants_json():
            return json_error(500, "internal_error", "Something went wrong on our side.")
        return (
            render_template(
                "errors/error.html",
                status=500,
                title=_("Something went wrong"),
                message=_("Something went wrong on our side. Please try again."),
            ),
            500,
        )


def _rollback() -> None:
    from flask import g

    session = g.get("db_session")
    if session is not None:
        with contextlib.suppress(Exception):  # the connection itself may be gone
            session.rollback()
