"""A service's eligibility conditions: the schema and its one validator.

The catalog loader, the admin editor and the catalog import all call
:func:`parse_conditions`, so a condition accepted in one place is accepted everywhere.
The YAML (and JSON) form is a mapping under the service's ``eligibility:`` key::

    eligibility: {everyone: true}                   # explicitly for everyone
    eligibility:
      for: [self, parent]        # who the service is for, relative to the account holder
      age_min: 80                # the subject's age in completed years, inclusive
      age_under: 3               # the subject is younger than this
      gender: female
      employment: [employed, self_employed]
      marital_status: [married]
      insured: [employee_medical]          # insured in at least one of these schemes
      not_insured: [employee_pension]      # insured in none of these
      disability_certificate: true         # also: pregnant, veteran, housing_fund,
                                           #       driver_license, only_child
      household: [{relation: child, age_under: 3}]  # the household has such a member
      region: ["44"]             # residence region-code prefixes
      legal_form: [individual_business]   # enterprises: also size, industry, vat_taxpayer
      local: true                # thresholds or amounts are set locally
      basis: "《社会保险法》第五十六条"   # where the conditions come from

Every condition is a conjunction: all must hold. ``for`` lists alternatives: the service
applies when any person of those relations meets the person conditions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lifecycle.eligibility.facts import (
    EMPLOYMENT,
    GENDERS,
    INSURANCE_SCHEMES,
    LEGAL_FORMS,
    MARITAL_STATUSES,
    RELATIONS,
    SIZES,
    VAT_TAXPAYER_TYPES,
)

__all__ = ["ConditionError", "Conditions", "MemberCondition", "parse_conditions", "FLAGS"]

#: Yes/no person facts a condition may require to be true (or false).
FLAGS = (
    "disability_certificate",
    "pregnant",
    "veteran",
    "housing_fund",
    "driver_license",
    "only_child",
)
_CHOICE_LISTS: dict[str, tuple[str, ...] | None] = {
    "employment": EMPLOYMENT,
    "marital_status": MARITAL_STATUSES,
    "insured": INSURANCE_SCHEMES,
    "not_insured": INSURANCE_SCHEMES,
    "legal_form": LEGAL_FORMS,
    "size": SIZES,
    "industry": None,  # free codes (the enterprise form's list lives in the web app)
    "vat_taxpayer": VAT_TAXPAYER_TYPES,
}
_KEYS = (
    "everyone",
    "for",
    "age_min",
    "age_under",
    "gender",
    *_CHOICE_LISTS,
    *FLAGS,
    "household",
    "region",
    "local",
    "basis",
)
_REGION_PREFIX = re.compile(r"^[1-9][0-9]{0,5}$")
_CODE = re.compile(r"^[a-z][a-z0-9_]*$")


class ConditionError(ValueError):
    """Malformed conditions; ``str()`` is a message fit for a form or a 422."""


@dataclass(frozen=True)
class MemberCondition:
    """The account holder's household has a member of ``relation`` in the age range."""

    relation: str
    age_min: int | None = None
    age_under: int | None = None


@dataclass(frozen=True)
class Conditions:
    everyone: bool = False
    relations: tuple[str, ...] = ("self",)
    age_min: int | None = None
    age_under: int | None = None
    gender: str | None = None
    employment: tuple[str, ...] = ()
    marital_status: tuple[str, ...] = ()
    insured: tuple[str, ...] = ()
    not_insured: tuple[str, ...] = ()
    flags: tuple[tuple[str, bool], ...] = ()
    household: tuple[MemberCondition, ...] = ()
    region: tuple[str, ...] = ()
    legal_form: tuple[str, ...] = ()
    size: tuple[str, ...] = ()
    industry: tuple[str, ...] = ()
    vat_taxpayer: tuple[str, ...] = ()
    local: bool = False
    basis: str | None = None

    @property
    def stated(self) -> bool:
        """True when the service says who it is for (conditions or ``everyone``)."""
        return self.everyone or self != Conditions(local=self.local, basis=self.basis)

    @property
    def person_conditions(self) -> bool:
        return any(
            (
                self.age_min is not None,
                self.age_under is not None,
                self.gender,
                self.employment,
                self.marital_status,
                self.insured,
                self.not_insured,
                self.flags,
            )
        )

    @property
    def enterprise_conditions(self) -> bool:
        return bool(self.legal_form or self.size or self.industry or self.vat_taxpayer)

    def to_dict(self) -> dict[str, Any]:
        """The canonical mapping (what the YAML and the database hold)."""
        if self.everyone:
            out: dict[str, Any] = {"everyone": True}
        else:
            out = {}
            if self.relations != ("self",):
                out["for"] = list(self.relations)
            for key in ("age_min", "age_under", "gender"):
                if getattr(self, key) is not None:
                    out[key] = getattr(self, key)
            for key in ("employment", "marital_status", "insured", "not_insured"):
                if getattr(self, key):
                    out[key] = list(getattr(self, key))
            for flag, value in self.flags:
                out[flag] = value
            if self.household:
                out["household"] = [
                    {
                        k: v
                        for k, v in (
                            ("relation", m.relation),
                            ("age_min", m.age_min),
                            ("age_under", m.age_under),
                        )
                        if v is not None
                    }
                    for m in self.household
                ]
            for key in ("region", "legal_form", "size", "industry", "vat_taxpayer"):
                if getattr(self, key):
                    out[key] = list(getattr(self, key))
        if self.local:
            out["local"] = True
        if self.basis:
            out["basis"] = self.basis
        return out


def _age(value: Any, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 150:
        raise ConditionError(f"'{key}' must be an age in whole years (0–150), got {value!r}")
    return value


def _ages(raw: Mapping[str, Any], where: str) -> tuple[int | None, int | None]:
    age_min = _age(raw["age_min"], f"{where}age_min") if raw.get("age_min") is not None else None
    under = raw.get("age_under")
    age_under = _age(under, f"{where}age_under") if under is not None else None
    if age_under == 0:
        raise ConditionError(f"'{where}age_under' must be at least 1")
    if age_min is not None and age_under is not None and age_min >= age_under:
        raise ConditionError(f"'{where}age_min' ({age_min}) must be below 'age_under'")
    return age_min, age_under


def _choices(raw: Any, key: str, allowed: tuple[str, ...] | None) -> tuple[str, ...]:
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not raw:
        raise ConditionError(f"'{key}' must be a non-empty list")
    out: list[str] = []
    for item in raw:
        ok = isinstance(item, str) and (
            item in allowed if allowed is not None else bool(_CODE.match(item))
        )
        if not ok:
            hint = f" (allowed: {', '.join(allowed)})" if allowed else ""
            raise ConditionError(f"'{key}' has an unknown value {item!r}{hint}")
        if item in out:
            raise ConditionError(f"'{key}' lists {item!r} twice")
        out.append(item)
    return tuple(out)


def _bool(raw: Any, key: str) -> bool:
    if not isinstance(raw, bool):
        raise ConditionError(f"'{key}' must be true or false, got {raw!r}")
    return raw


def _household(raw: Any) -> tuple[MemberCondition, ...]:
    items = raw if isinstance(raw, list) else [raw]
    if not items:
        raise ConditionError("'household' must not be empty")
    out = []
    for item in items:
        if not isinstance(item, Mapping):
            raise ConditionError(f"'household' items must be mappings, got {item!r}")
        unknown = sorted(str(k) for k in item if k not in ("relation", "age_min", "age_under"))
        if unknown:
            raise ConditionError(f"'household' has unknown key(s): {', '.join(unknown)}")
        relation = item.get("relation")
        if relation not in RELATIONS[1:]:
            raise ConditionError(
                f"'household.relation' must be one of {', '.join(RELATIONS[1:])}, got {relation!r}"
            )
        age_min, age_under = _ages(item, "household.")
        out.append(MemberCondition(relation, age_min, age_under))
    return tuple(out)


def parse_conditions(raw: Mapping[str, Any] | None) -> Conditions:
    """Validate a conditions mapping; ``None`` or ``{}`` gives conditions not yet stated."""
    if raw is None:
        return Conditions()
    if not isinstance(raw, Mapping):
        raise ConditionError(f"eligibility must be a mapping, got {raw!r}")
    unknown = sorted(str(k) for k in raw if k not in _KEYS)
    if unknown:
        raise ConditionError(f"unknown eligibility key(s): {', '.join(unknown)}")
    local = _bool(raw["local"], "local") if "local" in raw else False
    basis = raw.get("basis")
    if basis is not None and (not isinstance(basis, str) or not basis.strip()):
        raise ConditionError("'basis' must be a non-empty text citing the rule")
    basis = basis.strip() if basis else None
    if "everyone" in raw:
        if raw["everyone"] is not True:
            raise ConditionError("'everyone' can only be true (omit it otherwise)")
        others = sorted(k for k in raw if k not in ("everyone", "local", "basis"))
        if others:
            raise ConditionError(f"'everyone' excludes other conditions: {', '.join(others)}")
        return Conditions(everyone=True, local=local, basis=basis)
    relations = _choices(raw["for"], "for", RELATIONS) if "for" in raw else ("self",)
    age_min, age_under = _ages(raw, "")
    gender = raw.get("gender")
    if gender is not None and gender not in GENDERS:
        raise ConditionError(f"'gender' must be one of {', '.join(GENDERS)}, got {gender!r}")
    lists = {
        key: _choices(raw[key], key, allowed) if key in raw else ()
        for key, allowed in _CHOICE_LISTS.items()
    }
    both = set(lists["insured"]) & set(lists["not_insured"])
    if both:
        raise ConditionError(f"'insured' and 'not_insured' both list {', '.join(sorted(both))}")
    flags = tuple((f, _bool(raw[f], f)) for f in FLAGS if f in raw)
    region = ()
    if "region" in raw:
        values = raw["region"] if isinstance(raw["region"], list) else [raw["region"]]
        values = [str(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in values]
        if not values or not all(isinstance(v, str) and _REGION_PREFIX.match(v) for v in values):
            raise ConditionError("'region' must list GB/T 2260 region-code prefixes, e.g. '44'")
        region = tuple(values)
    conditions = Conditions(
        relations=relations,
        age_min=age_min,
        age_under=age_under,
        gender=gender,
        flags=flags,
        household=_household(raw["household"]) if "household" in raw else (),
        region=region,
        local=local,
        basis=basis,
        **lists,
    )
    if conditions.enterprise_conditions and conditions.person_conditions:
        raise ConditionError("a service cannot set both person and enterprise conditions")
    return conditions
