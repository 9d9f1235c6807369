"""Error pages and JSON errors: never a stack trace, 503 when the database is down."""

from __future__ import annotations

import contextlib
import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
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
        if exc.code == 405:  # RFC 9110: a 405 names the methods the resource allows
            body, status = response
            allow = dict(exc.get_headers()).get("Allow", "")
            return body, status, {"Allow": allow} if allow else {}
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
        headers = {}
        if getattr(exc, "retry_after", None):
            headers["Retry-After"] = str(exc.retry_after)
        if wants_json():
            body, status = json_error(exc.status, exc.code, exc.message, field=exc.field)
            return body, status, headers
        return (
            render_template(
                "errors/error.html", status=exc.status, title=_("Error"), message=exc.message
            ),
            exc.status,
            headers,
        )

    @app.errorhandler(IntegrityError)
    @app.errorhandler(StaleDataError)
    def _conflict(exc):
        # Two requests changed the same thing at once (a unique key, a version): the
        # loser is told to reload, not that the service is down.
        log.info("conflict on %s %s: %s", request.method, request.path, type(exc).__name__)
        _rollback()
        message = _("This was changed elsewhere at the same time. Reload the page and try again.")
        if wants_json():
            return json_error(409, "conflict", message)
        return render_template(
            "errors/error.html", status=409, title=_("Changed elsewhere"), message=message
        ), 409

    @app.errorhandler(DataError)
    def _bad_data(exc):
        # A value the database refuses (a NUL character, a number out of range): bad input.
        log.info("refused input on %s %s: %s", request.method, request.path, type(exc).__name__)
        _rollback()
        message = _("The request contains characters or values that cannot be stored.")
        if wants_json():
            return json_error(400, "invalid_input", message)
        return render_template(
            "errors/error.html", status=400, title=_("Invalid input"), message=message
        ), 400

    @app.errorhandler(DBAPIError)
    def _database_error(exc):
        if not _is_outage(exc):
            return _unexpected(exc)
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


def _is_outage(exc: DBAPIError) -> bool:
    """Only a lost or refused connection is an outage (503); anything else is a bug."""
    return bool(exc.connection_invalidated) or isinstance(exc, OperationalError | InterfaceError)


def _rollback() -> None:
    from flask import g

    session = g.get("db_session")
    if session is not None:
        with contextlib.suppress(Exception):  # the connection itself may be gone
            session.rollback()
