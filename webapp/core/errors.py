"""Error pages and JSON errors: never a stack trace, 503 when the database is down.

Every HTML error page is in the person's language, inside the site layout, with a way on.
An expired form (CSRF failure) says so, offers to send what was typed again (passwords and
tokens excepted) and to sign in again. Errors under /api/ stay JSON.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from webapp.core.service_errors import ServiceError

log = logging.getLogger(__name__)

# Form fields never carried over to the "send again" form of an expired page.
SECRET_FIELD_PARTS = ("password", "passwd", "secret", "token", "csrf", "totp", "otp")


@dataclass(frozen=True)
class KeptField:
    name: str
    value: str


def wants_json() -> bool:
    return request.path.startswith("/api/")


def json_error(status: int, code: str, message: str, **extra):
    body = {"error": {"code": code, "message": message, **extra}}
    return jsonify(body), status


def status_text(status: int) -> tuple[str, str]:
    """The localised title and explanation of an HTTP error status."""
    texts = {
        400: (
            _("The request could not be understood"),
            _("Something in what was sent was not valid. Please go back and try again."),
        ),
        401: (
            _("Please log in"),
            _("You need to log in to see this page."),
        ),
        403: (
            _("You cannot open this page"),
            _("Your account does not have access to this page."),
        ),
        404: (
            _("Page not found"),
            _("We could not find this page. It may have moved, or the address may be mistyped."),
        ),
        405: (
            _("This page cannot be used this way"),
            _(
                "This address does not accept this kind of request. Please use the links on the site."
            ),
        ),
        413: (
            _("Request too large"),
            _("What was sent is too large. Please send a smaller file."),
        ),
        429: (
            _("Too many attempts"),
            _(
                "There have been too many attempts in a short time. Please wait a minute and try again."
            ),
        ),
        500: (
            _("Something went wrong"),
            _("Something went wrong on our side. Please try again."),
        ),
        503: (
            _("Temporarily unavailable"),
            _("The service is temporarily unavailable. Please try again in a minute."),
        ),
    }
    if status in texts:
        return texts[status]
    return _("Something went wrong"), _("The request could not be completed. Please try again.")


def error_page(status: int, title: str | None = None, message: str | None = None, **extra):
    default_title, default_message = status_text(status)
    return render_template(
        "errors/error.html",
        status=status,
        title=title or default_title,
        message=message or default_message,
        **extra,
    ), status


def kept_fields() -> list[KeptField]:
    """What the person typed into the expired form, without passwords, tokens and files."""
    kept = []
    for name, value in request.form.items(multi=True):
        lowered = name.lower()
        if any(part in lowered for part in SECRET_FIELD_PARTS):
            continue
        kept.append(KeptField(name, value))
    return kept


def expired_form_page():
    signed_in = bool(current_user and current_user.is_authenticated)
    fields = kept_fields() if signed_in else []
    return render_template(
        "errors/expired.html",
        status=400,
        title=_("This form has expired"),
        signed_in=signed_in,
        fields=fields,
        action=request.path,
        back=_same_site_referrer(),
    ), 400


def _same_site_referrer() -> str | None:
    from urllib.parse import urlsplit

    referrer = request.referrer
    if not referrer:
        return None
    parts = urlsplit(referrer)
    if parts.netloc and parts.netloc != request.host:
        return None
    path = parts.path or "/"
    return path + (f"?{parts.query}" if parts.query else "")


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError):
        if wants_json():
            return json_error(400, "csrf_failed", exc.description or "CSRF check failed")
        return expired_form_page()

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        status = exc.code or 500
        if wants_json():
            code = (exc.name or "error").lower().replace(" ", "_")
            response = json_error(status, code, exc.description or exc.name)
        else:
            response = error_page(status)
        if status == 429:
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
        return error_page(413, message=message)

    @app.errorhandler(ServiceError)
    def _service(exc: ServiceError):
        headers = {}
        if getattr(exc, "retry_after", None):
            headers["Retry-After"] = str(exc.retry_after)
        if wants_json():
            body, status = json_error(exc.status, exc.code, exc.message, field=exc.field)
            return body, status, headers
        body, status = error_page(exc.status, title=status_text(exc.status)[0], message=exc.message)
        return body, status, headers

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
        return error_page(409, title=_("Changed elsewhere"), message=message)

    @app.errorhandler(DataError)
    def _bad_data(exc):
        # A value the database refuses (a NUL character, a number out of range): bad input.
        log.info("refused input on %s %s: %s", request.method, request.path, type(exc).__name__)
        _rollback()
        message = _("The request contains characters or values that cannot be stored.")
        if wants_json():
            return json_error(400, "invalid_input", message)
        return error_page(400, title=_("Invalid input"), message=message)

    @app.errorhandler(DBAPIError)
    def _database_error(exc):
        if not _is_outage(exc):
            return _unexpected(exc)
        log.error("database unavailable: %s", type(exc).__name__)
        _rollback()
        if wants_json():
            return json_error(503, "unavailable", "The service is temporarily unavailable.")
        body, status = error_page(503)
        return body, status, {"Retry-After": "30"}

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        _rollback()
        if wants_json():
            return json_error(500, "internal_error", "Something went wrong on our side.")
        return error_page(500)


def _is_outage(exc: DBAPIError) -> bool:
    """Only a lost or refused connection is an outage (503); anything else is a bug."""
    return bool(exc.connection_invalidated) or isinstance(exc, OperationalError | InterfaceError)


def _rollback() -> None:
    from flask import g

    session = g.get("db_session")
    if session is not None:
        with contextlib.suppress(Exception):  # the connection itself may be gone
            session.rollback()
