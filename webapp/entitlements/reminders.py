"""Proactive: when an entitlement becomes available, the person is reminded.

Each eligible or upcoming entitlement that a service claims is stored as an advisory duty
(rule ``entitlement_<key>``, one occurrence per start date) for its subject, so the
existing reminder sweep and channels (inbox, e-mail with budget and quiet hours, the
calendar feed, the due-soon widget) carry it: the "window" lead fires on the day it
becomes available. The duty sync leaves these rows alone; this module keeps them in step
with the facts (on every profile or household change, and daily).
"""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from lifecycle.entitlements import Entitlement, person_entitlements
from webapp import people, privacy
from webapp.accounts.models import Account
from webapp.core import signals
from webapp.core.clock import local_today
from webapp.duties.models import Duty
from webapp.entitlements import facts as fact_store
from webapp.entitlements import service, words
from webapp.people.models import HouseholdMember

RULE_PREFIX = "entitlement_"
LOCALES = ("zh_Hans", "zh_Hant", "en")
#: An entitlement without an end is reminded as "claim within a year of becoming available".
CLAIM_DAYS = 365


def _texts(e: Entitlement) -> tuple[dict, dict]:
    title, explanation = {}, {}
    for locale in LOCALES:
        with force_locale(locale):
            name = str(words.TITLES.get(e.key, e.key))
            title[locale] = _("%(title)s for %(name)s", title=name, name=e.subject.name)
            if e.amount is not None:
                amount = _(
                    "%(value)s yuan %(period)s",
                    value=f"{e.amount.value:,}",
                    period=words.PERIODS[e.amount.period],
                )
                explanation[locale] = _(
                    "You may be able to claim %(title)s: %(amount)s", title=name, amount=amount
                )
            else:
                explanation[locale] = _("You may be able to claim %(title)s", title=name)
    return title, explanation


def _rows(session: Session, account: Account, today: date) -> dict[tuple, dict]:
    holder = people.person_for_account(session, account)
    consents = privacy.current_consents(session, account.id)
    members = people.household_persons(session, account) if consents.get("household_data") else []
    household, _stored = fact_store.household_with_facts(session, holder, members)
    out: dict[tuple, dict] = {}
    for e in person_entitlements(household, today, service.current_params(session)):
        if e.status == "unknown" or e.service_code is None or e.start is None:
            continue
        kind, _sep, ident = e.subject.key.partition(":")
        due = e.end if e.end is not None else e.start + timedelta(days=CLAIM_DAYS)
        if due < today:
            continue
        title, explanation = _texts(e)
        key = (kind, int(ident), f"{RULE_PREFIX}{e.key}"[:40], e.start.isoformat())
        out[key] = {
            "owner_account_id": account.id,
            "subject_name": e.subject.name[:200],
            "service_code": e.service_code,
            "title": title,
            "explanation": explanation,
            "legal_basis": e.legal_basis,
            "window_start": e.start,
            "due_date": due,
            "advisory": True,
        }
    return out


def sync_account(session: Session, account_id: int, today: date) -> int:
    """Store the account's entitlement reminders; retire those no longer owed. Idempotent."""
    account = session.get(Account, account_id)
    if account is None or account.role != "citizen":
        return 0
    wanted = _rows(session, account, today)
    stored = {
        (d.subject_kind, d.subject_id, d.rule, d.occurrence): d
        for d in session.scalars(
            select(Duty).where(
                Duty.owner_account_id == account_id,
                Duty.rule.startswith(RULE_PREFIX, autoescape=True),
            )
        )
    }
    changed = 0
    for key, values in wanted.items():
        row = stored.get(key)
        if row is None:
            kind, subject_id, rule, occurrence = key
            session.add(
                Duty(
                    subject_kind=kind,
                    subject_id=subject_id,
                    rule=rule,
                    occurrence=occurrence,
                    **values,
                )
            )
            changed += 1
        elif row.status == "retired":
            row.status = "open"
            changed += 1
    for key, row in stored.items():
        if key not in wanted and row.status in ("open", "snoozed"):
            row.status = "retired"
            changed += 1
    session.flush()
    return changed


def sync_all(session: Session, today: date) -> int:
    ids = session.scalars(select(Account.id).where(Account.role == "citizen").order_by(Account.id))
    return sum(sync_account(session, account_id, today) for account_id in list(ids))


@signals.on_changed
def _on_changed(session: Session, kind: str, subject_id: int) -> None:
    if kind in ("self", "consents"):
        sync_account(session, subject_id, local_today())
    elif kind == "household":
        member = session.get(HouseholdMember, subject_id)
        if member is not None:
            sync_account(session, member.account_id, local_today())
