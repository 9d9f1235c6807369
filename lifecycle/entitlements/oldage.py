"""Old age: the resident basic pension and the local old-age allowance (高龄津贴).

- ``resident_pension`` (国发〔2014〕8号 第八条): from 60, for those insured in the resident
  scheme and not in the employee scheme (15 years of contributions); the amount is local
  (basic pension plus the individual account), so it is not computed.
- ``elderly_allowance`` (《老年人权益保障法》第三十三条): age threshold and amount are
  local (``EntitlementParams.elderly_allowance``); a region without entered figures is
  reported as unknown, never guessed.
"""

from __future__ import annotations

from datetime import date

from lifecycle.dates import age_on
from lifecycle.entitlements.base import (
    UNKNOWN,
    Amount,
    Entitlement,
    birthday,
    month_start,
    status_for,
    value_on,
)
from lifecycle.entitlements.iit_tax import person_subject
from lifecycle.entitlements.params import ELDERLY_LAW, GF_2014_8, EntitlementParams
from lifecycle.params import lookup_prefix
from lifecycle.subjects import Household, Person

__all__ = ["resident_pension", "elderly_allowance"]

#: The age the national law names (第三十三条: 八十周岁以上) when no local band is entered.
LAW_AGE = 80


def _elders(household: Household) -> list[Person]:
    return [
        p for p in household.people if p.relation in ("self", "parent") and p.deceased_on is None
    ]


def resident_pension(household: Household, today: date) -> list[Entitlement]:
    out = []
    for person in _elders(household):
        if person.birth_date is None:
            continue
        start = month_start(birthday(person.birth_date, 60))
        status = status_for(start, None, today)
        if status is None:
            continue
        insured = person.insured
        if insured is not None and (
            "employee_pension" in insured or "resident_pension" not in insured
        ):
            continue
        missing = ("insured",) if insured is None else ()
        out.append(
            Entitlement(
                "resident_pension",
                "cash",
                person_subject(person),
                None,
                start,
                None,
                UNKNOWN if missing else status,
                GF_2014_8,
                "resident_pension_claim",
                missing_facts=missing,
                facts_used=("birth_date",) + (() if missing else ("insured",)),
                note="local_amount",
            )
        )
    return out


def elderly_allowance(
    household: Household, today: date, params: EntitlementParams
) -> list[Entitlement]:
    out = []
    region = household.holder.region_code
    for person in _elders(household):
        if person.birth_date is None:
            continue
        where = person.region_code or region
        table = None
        if where is not None:
            table = lookup_prefix({"": None, **params.elderly_allowance}, where)
        dated = value_on(table, today) if table else None
        subject = person_subject(person)
        if dated is None:
            if age_on(person.birth_date, today) < LAW_AGE:
                continue  # a lower local threshold is not guessed
            missing = ("region_code",) if where is None else ()
            out.append(
                Entitlement(
                    "elderly_allowance",
                    "cash",
                    subject,
                    None,
                    None,
                    None,
                    UNKNOWN,
                    ELDERLY_LAW,
                    "elderly_allowance",
                    missing_facts=missing,
                    facts_used=("birth_date",),
                    note="local_amount_not_entered",
                )
            )
            continue
        bands = sorted(dated.value, key=lambda b: b.age_min)
        age = age_on(person.birth_date, today)
        current = [b for b in bands if b.age_min <= age]
        if current:
            band = current[-1]
            start = birthday(person.birth_date, band.age_min)
        else:
            band = bands[0]
            start = birthday(person.birth_date, band.age_min)
        status = status_for(start, None, today)
        if status is None:
            continue
        out.append(
            Entitlement(
                "elderly_allowance",
                "cash",
                subject,
                Amount(band.monthly, "month"),
                start,
                None,
                status,
                f"{ELDERLY_LAW}；{dated.basis}",
                "elderly_allowance",
                facts_used=("birth_date", "region_code"),
            )
        )
    return out
