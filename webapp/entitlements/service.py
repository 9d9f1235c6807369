"""What a person or an enterprise is owed: lifecycle rules over the stored facts.

``for_household`` and ``for_enterprise`` return typed results the page, the widget, the
API and the reminders share. Local parameters (高龄津贴 by region) come from the
``entitlements.elderly_allowance`` setting an admin edits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lifecycle.dates import age_on
from lifecycle.entitlements import (
    Dated,
    ElderlyAllowanceBand,
    Entitlement,
    EntitlementParams,
    enterprise_entitlements,
    person_entitlements,
)
from lifecycle.subjects import Enterprise as EnterpriseSubject
from lifecycle.subjects import Household
from webapp.entitlements import facts as fact_store
from webapp.recommend.models import Setting

ELDERLY_SETTING = "entitlements.elderly_allowance"


@dataclass(frozen=True)
class EntitlementsView:
    items: tuple[Entitlement, ...]
    household: Household | None
    enterprise: EnterpriseSubject | None
    facts: dict  # subject key → {fact key → StoredFact}

    @property
    def missing_facts(self) -> tuple[tuple[str, str], ...]:
        """(subject key, fact key) pairs that would decide an unknown entitlement."""
        out: list[tuple[str, str]] = []
        holder = self.household.holder.key if self.household else None
        for e in self.items:
            for f in e.missing_facts:
                subject = holder if (f in HOLDER_FACTS and holder) else e.subject.key
                if (subject, f) not in out:
                    out.append((subject, f))
        return tuple(out)


#: Facts about the taxpayer (the account holder) even when the entitlement names a child
#: or a parent.
HOLDER_FACTS = frozenset(
    {
        "only_child",
        "elderly_support_share",
        "income_band",
        "housing",
        "rent_city_tier",
        "continuing_education",
        "serious_illness_expense",
    }
)


def _setting(session: Session, key: str) -> dict | None:
    row = session.get(Setting, key)
    return row.value if row is not None else None


def params_from(data: dict | None) -> EntitlementParams:
    """Parse the admin's 高龄津贴 table (validated when saved)."""
    if not data:
        return EntitlementParams()
    table: dict[str, tuple] = {}
    for entry in data.get("regions", []):
        bands = tuple(
            ElderlyAllowanceBand(int(b["age_min"]), int(b["monthly"])) for b in entry["bands"]
        )
        dated = Dated(
            bands,
            date.fromisoformat(entry["from"]),
            date.fromisoformat(entry["to"]) if entry.get("to") else None,
            entry["basis"],
        )
        table[entry["prefix"]] = (*table.get(entry["prefix"], ()), dated)
    return EntitlementParams(elderly_allowance=table)


#: The parsed local table, kept per process with the row's ``updated_at``: each read checks
#: that stamp (a primary-key lookup), so an admin's edit is seen at once by every process
#: — and a page model rebuilt after the edit (its key names the same stamp) shows it.
_params_cache: dict[str, tuple[Any, EntitlementParams]] = {}


def current_params(session: Session) -> EntitlementParams:
    stamp = session.scalar(select(Setting.updated_at).where(Setting.key == ELDERLY_SETTING))
    cached = _params_cache.get(ELDERLY_SETTING)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    params = params_from(_setting(session, ELDERLY_SETTING))
    _params_cache[ELDERLY_SETTING] = (stamp, params)
    return params


def reset_params_cache() -> None:
    _params_cache.clear()


#: The lowest age a local 高龄津贴 band may start at (the admin table is validated so).
LOCAL_AGE_FLOOR = 60


def _needs_local_params(household: Household, today: date) -> bool:
    """Only someone of 60 or over can have a local old-age allowance: skip the read else."""
    return any(
        p.relation in ("self", "parent")
        and p.birth_date is not None
        and p.birth_date <= today
        and age_on(p.birth_date, today) >= LOCAL_AGE_FLOOR
        for p in household.people
    )


def for_household(
    session: Session, holder, members, today: date, stored: dict | None = None
) -> EntitlementsView:
    """``stored``: the facts already loaded for these subjects (the page shares them)."""
    household, stored = fact_store.household_with_facts(session, holder, members, stored)
    params = current_params(session) if _needs_local_params(household, today) else None
    items = person_entitlements(household, today, params or EntitlementParams())
    return EntitlementsView(tuple(items), household, None, stored)


def for_enterprise(
    session: Session, enterprise: EnterpriseSubject, today: date
) -> EntitlementsView:
    stored = fact_store.load_facts(session, [enterprise.key])
    subject = fact_store.apply_to_enterprise(enterprise, stored[enterprise.key])
    return EntitlementsView(tuple(enterprise_entitlements(subject, today)), None, subject, stored)
