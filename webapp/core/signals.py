"""Notifications between areas: when a subject's data changes, its duties follow.

Blinker signals (Flask's own): features subscribe with ``on_changed``/``on_removed`` (or
connect to ``changed``/``removed`` directly); services call ``subject_changed``. The sender
is the subject kind: "self" (account id), "household" (member id), "enterprise"
(enterprise id).
"""

from __future__ import annotations

from collections.abc import Callable

from blinker import Namespace
from sqlalchemy.orm import Session

Handler = Callable[[Session, str, int], None]

_signals = Namespace()
changed = _signals.signal("subject-changed")
removed = _signals.signal("subject-removed")


_receivers: dict[tuple[str, Handler], Callable[..., None]] = {}


def _connect(signal, handler: Handler) -> Handler:
    """Subscribe ``handler(session, kind, subject_id)``, once however often it is called."""
    key = (signal.name, handler)
    if key not in _receivers:

        def receiver(kind: str, *, session: Session, subject_id: int) -> None:
            handler(session, kind, subject_id)

        _receivers[key] = receiver
        signal.connect(receiver, weak=False)
    return handler


def on_changed(handler: Handler) -> Handler:
    return _connect(changed, handler)


def on_removed(handler: Handler) -> Handler:
    return _connect(removed, handler)


def subject_changed(session: Session, kind: str, subject_id: int) -> None:
    changed.send(kind, session=session, subject_id=subject_id)


def subject_removed(session: Session, kind: str, subject_id: int) -> None:
    removed.send(kind, session=session, subject_id=subject_id)
