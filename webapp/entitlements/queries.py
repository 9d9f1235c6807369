"""The caller's subjects (self, household, enterprises) as lifecycle subjects, checked for
ownership: nobody reads or writes another's facts."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from lifecycle.eligibility import evaluate
from webapp import enterprise as enterprises
from webapp import people, recommend
from webapp.core import signals
from webapp.core.service_errors import NotFound, ServiceError
from webapp.entitlements import facts as fact_store
from webapp.entitlements import service
from webapp.entitlements.service import EntitlementsView


def account_view(session: Session, account, today: date) -> EntitlementsView:
    holder = people.person_for_account(session, account)
    return service.for_household(session, holder, people.household_persons(session, account), today)


def household_for_account(session: Session, account, today: date):
    """The account holder's household with the facts they told us (lifecycle Household)."""
    return account_view(session, account, today).household


def enterprise_view(session: Session, account, credit_code: str, today: date) -> EntitlementsView:
    enterprise, _membership = enterprises.get_for_member(session, account, credit_code)
    return service.for_enterprise(session, people.enterprise_subject(enterprise), today)


def asked_facts(session: Session, account, view: EntitlementsView, today: date, limit: int = 10):
    """(subject, fact) pairs that would decide something on this person's page: the facts
    missing for an entitlement, then those missing for a recommended service whose
    eligibility is unknown."""
    asked = [(s, k) for s, k in view.missing_facts if k in fact_store.PERSON_FACTS]
    result = recommend.recommend_for_account(session, account, limit=limit, today=today)
    unknown = [i["service_code"] for i in result["items"] if i.get("eligibility") == "unknown"]
    if unknown and view.household is not None:
        conditions = recommend.serving_state().get_catalog(session).index.conditions
        for code in unknown:
            s = conditions.get(code)
            if s is None:
                continue
            verdict = evaluate(
                s.conditions, today, household=view.household, region_scope=s.region_scope
            )
            for c in verdict.checks:
                pair = (c.subject or view.household.holder.key, c.fact)
                if (
                    c.outcome == "unknown"
                    and c.fact in fact_store.PERSON_FACTS
                    and pair not in asked
                ):
                    asked.append(pair)
    return asked


def owned_subject(session: Session, account, subject: str) -> str:
    """``self`` or ``household:<id>`` of the caller as a stored subject key; else 404."""
    if subject in ("self", f"self:{account.id}"):
        return f"self:{account.id}"
    kind, _sep, ident = subject.partition(":")
    if kind == "household" and ident.isdigit():
        people.get_member(session, account, int(ident))  # NotFound unless theirs
        return subject
    raise NotFound(_("No such person in your household."))


def enterprise_key(session: Session, account, credit_code: str) -> str:
    enterprise, _membership = enterprises.get_for_member(session, account, credit_code)
    return f"enterprise:{enterprise.id}"


def _changed(session: Session, subject: str) -> None:
    """Facts decide entitlements and their reminders: tell the features that follow data."""
    kind, _sep, ident = subject.partition(":")
    signals.subject_changed(session, kind, int(ident))


def save_fact(session: Session, account, subject: str, key: str, value, today: date):
    try:
        stored = fact_store.save(session, subject, key, value, today, by_account=account.id)
        _changed(session, subject)
        return stored
    except fact_store.FactError as exc:
        raise ServiceError(
            "invalid_fact", _("This answer is not one of the offered values."), field=key
        ) from exc


def clear_fact(session: Session, subject: str, key: str) -> None:
    if key not in fact_store.allowed_keys(subject):
        raise NotFound(_("No such fact."))
    if fact_store.clear(session, subject, key):
        _changed(session, subject)
