"""Citizens' own reminder lead times, per category of duty, on top of the admin defaults.

A category is a ``lifecycle`` rule family (identity documents, family, education, health,
tax, retirement, enterprise). For each, a person keeps the defaults, switches the category's
reminders off, or picks the first reminder ``days`` before the due date (1–90): that lead
replaces the defaults' earlier ones ("window" and longer leads); the defaults' shorter leads
still come.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from lifecycle.rules import RULES
from webapp.core.service_errors import NotFound, ServiceError
from webapp.reminders import policy
from webapp.reminders.models import ReminderLeadChoice

MIN_DAYS, MAX_DAYS = 1, 90
DAY_OPTIONS = (90, 60, 30, 14, 7, 3, 1)
CATEGORY_NAMES = {
    "identity": _l("Identity documents (ID card, passport, driving licence)"),
    "family": _l("Family events (birth and death registration)"),
    "education": _l("School enrolment"),
    "health": _l("Health (vaccinations, medical insurance)"),
    "tax": _l("Income tax"),
    "retirement": _l("Retirement"),
    "enterprise": _l("Enterprise duties (reports, tax returns, permits)"),
}
CATEGORIES = tuple(CATEGORY_NAMES)
Mode = Literal["default", "off", "days"]
_ABSENT = object()


def category_of(rule: str) -> str | None:
    info = RULES.get(rule)
    return info.family if info else None


@dataclass(frozen=True)
class LeadChoice:
    category: str
    label: str
    mode: Mode
    days: int | None
    default_leads: tuple[str, ...]  # the category's defaults, the union over its rules


def effective_leads(defaults: tuple[str, ...], choice) -> tuple[str, ...]:
    """The leads for one duty: the defaults, none (off), or ``days`` and shorter defaults."""
    if choice is _ABSENT:
        return defaults
    if choice is None:
        return ()
    shorter = [lead for lead in defaults if lead.isdigit() and int(lead) < choice]
    return (str(choice), *shorter)


def choices_for(session: Session, account_ids) -> dict[tuple[int, str], int | None]:
    ids = list(account_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(
            ReminderLeadChoice.account_id, ReminderLeadChoice.category, ReminderLeadChoice.days
        ).where(ReminderLeadChoice.account_id.in_(ids))
    )
    return {(a, c): d for a, c, d in rows}


def personal_days(session: Session) -> dict[str, set[int]]:
    """category → the lead days anyone chose (so the sweep also looks that far ahead)."""
    rows = session.execute(
        select(ReminderLeadChoice.category, ReminderLeadChoice.days)
        .where(ReminderLeadChoice.days.is_not(None))
        .distinct()
    )
    out: dict[str, set[int]] = {}
    for category, days in rows:
        out.setdefault(category, set()).add(days)
    return out


def leads_for_account(
    table: dict[str, tuple[str, ...]], choices: dict, account_id: int, rule: str
) -> tuple[str, ...]:
    choice = choices.get((account_id, category_of(rule) or ""), _ABSENT)
    return effective_leads(policy.leads_for(table, rule), choice)


def widened_table(session: Session, table: dict[str, tuple[str, ...]]) -> dict:
    """The lead table with every personally chosen lead added to its category's rules."""
    extra = personal_days(session)
    if not extra:
        return table
    out = dict(table)
    for rule, leads in table.items():
        days = extra.get(category_of(rule) or "", set())
        out[rule] = tuple(dict.fromkeys((*leads, *(str(d) for d in sorted(days)))))
    return out


def list_choices(session: Session, account_id: int) -> list[LeadChoice]:
    table = policy.lead_table(session)
    chosen = choices_for(session, [account_id])
    out = []
    for category in CATEGORIES:
        defaults: dict[str, None] = {}
        for rule, info in RULES.items():
            if info.family == category:
                defaults.update(dict.fromkeys(policy.leads_for(table, rule)))
        key = (account_id, category)
        mode: Mode = "default" if key not in chosen else ("off" if chosen[key] is None else "days")
        out.append(
            LeadChoice(
                category, str(CATEGORY_NAMES[category]), mode, chosen.get(key), tuple(defaults)
            )
        )
    return out


def set_choice(
    session: Session, account_id: int, category: str, mode: str, days: int | None
) -> None:
    """Save one category's choice. The caller commits."""
    if category not in CATEGORY_NAMES:
        raise NotFound(_("There is no such kind of reminder."))
    if mode not in ("default", "off", "days"):
        raise ServiceError(
            "invalid_mode", _("Choose the defaults, off, or a number of days."), "mode", 422
        )
    if mode == "days" and (days is None or not MIN_DAYS <= days <= MAX_DAYS):
        raise ServiceError(
            "invalid_days",
            _("Choose between %(min)d and %(max)d days.", min=MIN_DAYS, max=MAX_DAYS),
            "days",
            422,
        )
    session.execute(
        delete(ReminderLeadChoice).where(
            ReminderLeadChoice.account_id == account_id, ReminderLeadChoice.category == category
        )
    )
    if mode != "default":
        session.add(
            ReminderLeadChoice(
                account_id=account_id, category=category, days=days if mode == "days" else None
            )
        )


def describe_leads(leads: tuple[str, ...]) -> str:
    """ "when the window opens; 30, 7 days before" in the current language."""
    if not leads:
        return _("no reminders (switched off)")
    parts = []
    if "window" in leads:
        parts.append(_("when the window opens"))
    days = sorted((int(x) for x in leads if x.isdigit()), reverse=True)
    if days:
        parts.append(_("%(days)s days before", days=_(", ").join(str(d) for d in days)))
    return _("; ").join(parts)
