"""Acting as a family member: the check behind the ``Act-As`` header and the browser switch.

Every use is written to the member's access log with both names before the call runs.
"""

from __future__ import annotations

from flask import request
from sqlalchemy.orm import Session

from webapp.accounts.models import Account
from webapp.family import mandates

# What a call under a mandate did, as the member's activity shows it.
ACTIONS = {
    "done": "family_done",
    "snooze": "family_snooze",
    "profile": "family_profile",
    "notification-settings": "family_settings",
}


def what_for(method: str, path: str) -> str:
    if method == "GET":
        return "family_view"
    return ACTIONS.get(path.rstrip("/").rsplit("/", 1)[-1], "family_act")


def resolve(session: Session, caller: Account, subject_id: int, scope: str) -> Account | None:
    """The subject's account when ``caller`` holds a valid mandate with ``scope``; the use is
    logged (and committed at once, so a read shows in the member's log even if it fails)."""
    if caller is None or subject_id == caller.id:
        return None
    # "view|act": either scope will do (acting on duties needs seeing them).
    mandate = next(
        filter(
            None, (mandates.active(session, caller.id, subject_id, s) for s in scope.split("|"))
        ),
        None,
    )
    if mandate is None:
        return None
    subject = session.get(Account, subject_id)
    if subject is None:
        return None
    mandates.record_use(
        session,
        mandate,
        what_for(request.method, request.path),
        f"{request.method} {request.path}",
    )
    session.commit()
    return subject
