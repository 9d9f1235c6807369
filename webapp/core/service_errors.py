"""Errors raised by services and shown to users as form messages or JSON 4xx."""

from __future__ import annotations

from collections.abc import Callable


class ServiceError(Exception):
    """A request that cannot be done as asked. ``message`` is already translated."""

    status = 400

    def __init__(
        self, code: str, message: str, field: str | None = None, status: int | None = None
    ):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        if status is not None:
            self.status = status


class NotFound(ServiceError):
    status = 404

    def __init__(self, message: str = "not found"):
        super().__init__("not_found", message, status=404)


class Conflict(ServiceError):
    status = 409


class VersionConflict(Conflict):
    """The caller saved on top of an older version than the stored one."""

    def __init__(self, message: str):
        super().__init__("version_conflict", message, "version", 409)


def check_version(current: int | None, expected: int | None, message: Callable[[], str]) -> None:
    """Raise :class:`VersionConflict` (with ``message()``, translated then) when
    ``expected`` is given and differs from ``current``."""
    if expected is not None and current is not None and expected != current:
        raise VersionConflict(message())
