"""The deductions a December confirmation duty (``iit_deduction_confirmation``) lists.

Computed when read, from the account holder's household (members only with the
``household_data`` consent) and the facts they told us, so the
list follows every change of facts without a re-sync. Used by the duties page, the duty API
and the reminder texts.
"""

from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from lifecycle.entitlements.confirmation import DeductionToConfirm, deductions_to_confirm
from webapp import people, privacy
from webapp.accounts.models import Account
from webapp.entitlements import present, service, words

RULE = "iit_deduction_confirmation"


def deductions_for_duty(session: Session, duty, today: date) -> tuple[DeductionToConfirm, ...]:
    """The deductions to confirm for the duty's year; () for any other duty, or a duty of a
    household member (the household's deductions are the account holder's)."""
    if duty is None or duty.rule != RULE or duty.subject_kind != "self":
        return ()
    if not duty.occurrence.isdigit():
        return ()
    account = session.get(Account, duty.subject_id)
    if account is None:
        return ()
    # Household members count only with the household_data consent, as for the duties.
    members = (
        people.household_persons(session, account)
        if privacy.current_consents(session, account.id).get("household_data")
        else []
    )
    holder = people.person_for_account(session, account)
    view = service.for_household(session, holder, members, today)
    return deductions_to_confirm(view.items, int(duty.occurrence))


def deductions_as_dicts(items: tuple[DeductionToConfirm, ...]) -> list[dict]:
    """The API's view (titles in the current locale)."""
    return [
        {
            "key": d.key,
            "title": str(words.TITLES.get(d.key, d.key)),
            "subject": present.subject_dict(d.subject.key, d.subject.name),
            "amount": {
                "value": d.amount.value,
                "currency": d.amount.currency,
                "period": d.amount.period,
            },
            "from": d.start,
            "to": d.end,
            "legal_basis": d.legal_basis,
        }
        for d in items
    ]


def deduction_lines(items: tuple[DeductionToConfirm, ...]) -> list[str]:
    """One sentence per deduction, in the current locale."""
    return [
        _(
            "%(title)s for %(whom)s: %(amount)s, %(start)s to %(end)s",
            title=words.TITLES.get(d.key, d.key),
            whom=d.subject.name,
            amount=present.amount_text(d.amount),
            start=format_date(d.start, "medium"),
            end=format_date(d.end, "medium"),
        )
        for d in items
    ]


def deductions_summary(items: tuple[DeductionToConfirm, ...]) -> str:
    """The list as one paragraph for a reminder ('' when there is nothing to list)."""
    if not items:
        return ""
    return _("Deductions to confirm:") + " " + "; ".join(deduction_lines(items))
