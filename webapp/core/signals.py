"""Notifications between areas: when a subject's data changes, its duties follow.

Modules subscribe with ``on_changed``/``on_removed``; services call ``subject_changed``.
Subject kinds: "self" (account id), "household" (member id), "enterprise" (enterprise id).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

Handler = Callable[[Session, str, int], None]
_changed: list[Handler] = []
_removed: list[Handler] = []


def on_changed(handler: Handler) -> Handler:
    if handler not in _changed:
        _changed.append(handler)
    return handler


def on_removed(handler: Handler) -> Handler:
    if handler not in _removed:
        _removed.append(handler)
    return handler


def subject_changed(session: Session, kind: str, subject_id: int) -> None:
    for handler in _changed:
        handler(session, kind, subject_id)


def subject_removed(session: Session, kind: str, subject_id: int) -> None:
    for handler in _removed:
        handler(session, kind, subject_id)
