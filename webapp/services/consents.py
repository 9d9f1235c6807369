"""Consent per purpose (《个人信息保护法》第十四条): the latest decision per purpose counts."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Account, Consent
from ..models.privacy import PURPOSES

CONSENT_VERSION = "1"
# Defaults at sign-up: personalisation and household use are part of the service the
# citizen signs up for and can be withdrawn at any time; e-mail and training are opt-in.
DEFAULTS = {
    "personalized_recommendations": True,
    "email_reminders": False,
    "household_data": True,
    "training_data": False,
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


def set_consents(session: Session, account_id: int, changes: dict[str, bool]) -> dict[str, bool]:
    state = current_consents(session, account_id)
    for purpose, granted in changes.items():
        if purpose in PURPOSES and state.get(purpose) != granted:
            session.add(
                Consent(
                    account_id=account_id, purpose=purpose, granted=granted, version=CONSENT_VERSION
                )
            )
            state[purpose] = granted
    return state


def consent_history(session: Session, account_id: int) -> list[Consent]:
    return list(
        session.scalars(
            select(Consent).where(Consent.account_id == account_id).order_by(Consent.id.desc())
        )
    )
