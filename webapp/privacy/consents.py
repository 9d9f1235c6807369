"""Consent per purpose (《个人信息保护法》第十四条): the latest decision per purpose counts.

Every decision is a new ``Consent`` row (purpose, granted, version, time), so the history is
kept and shown. Withdrawing never blocks a core service: duties, reminders in the inbox,
the catalog and search work without any consent; only the purpose itself stops.

Other areas read consents with ``current_consents`` (one account, per request) or
``granted_accounts`` (many accounts at once, e.g. the training run).
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.accounts.models import Account
from webapp.core import signals
from webapp.core.service_errors import ServiceError
from webapp.privacy.models import PURPOSES, Consent

CONSENT_VERSION = "1"
# Defaults at sign-up: personalisation and household use are part of the service the
# citizen signs up for and can be withdrawn at any time; e-mail and training are opt-in.
DEFAULTS = {
    "personalized_recommendations": True,
    "email_reminders": False,
    "household_data": True,
    "training_data": False,
}

# What each purpose is for, and what changes without it (shown on the privacy page).
PURPOSE_INFO = {
    "personalized_recommendations": {
        "title": _l("Personalised recommendations"),
        "for": _l(
            "We rank services for you using your profile, household and life stage, "
            "and explain each recommendation."
        ),
        "without": _l(
            "You see the same ranking as everyone else (popular services and public "
            "notices). Your duties, reminders and all services stay available."
        ),
    },
    "email_reminders": {
        "title": _l("Reminders by e-mail"),
        "for": _l("We send reminders of your deadlines to your e-mail address."),
        "without": _l("Reminders still arrive in your inbox on Lifepage; no e-mail is sent."),
    },
    "household_data": {
        "title": _l("Use of household members' data"),
        "for": _l(
            "We use the data of the household members you added (children, parents, spouse) "
            "to show their deadlines and the services they need. For a child under 14, "
            "your consent as guardian is also needed for each child."
        ),
        "without": _l(
            "Household members' deadlines are no longer shown or reminded and their data is "
            "not used for recommendations. Your own page keeps working."
        ),
    },
    "training_data": {
        "title": _l("Use of my activity to improve recommendations"),
        "for": _l(
            "Your interactions (services viewed, pinned, applied for) and your tags may be "
            "used to train the recommendation model for everyone."
        ),
        "without": _l(
            "Your activity is left out of the next training run. Your own page is unchanged."
        ),
    },
}


def record_defaults(session: Session, account: Account) -> None:
    for purpose, granted in DEFAULTS.items():
        session.add(
            Consent(
                account_id=account.id, purpose=purpose, granted=granted, version=CONSENT_VERSION
            )
        )


def current_consents(session: Session, account_id: int) -> dict[str, bool]:
    state = dict.fromkeys(PURPOSES, False)
    rows = session.scalars(
        select(Consent).where(Consent.account_id == account_id).order_by(Consent.id)
    )
    for row in rows:
        state[row.purpose] = row.granted
    return state


def is_granted(session: Session, account_id: int, purpose: str) -> bool:
    """The latest decision for one purpose (False when never given)."""
    granted = session.scalar(
        select(Consent.granted)
        .where(Consent.account_id == account_id, Consent.purpose == purpose)
        .order_by(Consent.id.desc())
        .limit(1)
    )
    return bool(granted)


def set_consents(session: Session, account_id: int, changes: dict[str, bool]) -> dict[str, bool]:
    """Record the decisions that differ from the current state; resync the account's duties.

    Unknown purposes are refused. The subscribers of ``signals`` (duty sync) are told, so
    withdrawing ``household_data`` retires household members' duties at once.
    """
    unknown = [p for p in changes if p not in PURPOSES]
    if unknown:
        raise ServiceError("unknown_purpose", "unknown purpose", unknown[0], 404)
    state = current_consents(session, account_id)
    changed = False
    for purpose, granted in changes.items():
        if state.get(purpose) != granted:
            session.add(
                Consent(
                    account_id=account_id, purpose=purpose, granted=granted, version=CONSENT_VERSION
                )
            )
            state[purpose] = granted
            changed = True
    if changed:
        session.flush()
        signals.subject_changed(session, "self", account_id)
    return state


def consent_history(session: Session, account_id: int) -> list[Consent]:
    return list(
        session.scalars(
            select(Consent).where(Consent.account_id == account_id).order_by(Consent.id.desc())
        )
    )


def granted_accounts(
    session: Session, purpose: str, account_ids: Iterable[int] | None = None
) -> set[int]:
    """The accounts whose latest decision for ``purpose`` is "granted" (one query).

    The training run uses ``granted_accounts(session, "training_data")`` to leave out the
    interactions of everyone who has not consented (or has withdrawn).
    """
    latest = select(Consent.account_id, func.max(Consent.id).label("id")).where(
        Consent.purpose == purpose
    )
    if account_ids is not None:
        latest = latest.where(Consent.account_id.in_(list(account_ids)))
    latest = latest.group_by(Consent.account_id).subquery()
    rows = session.execute(
        select(Consent.account_id).join(latest, latest.c.id == Consent.id).where(Consent.granted)
    )
    return {row[0] for row in rows}
