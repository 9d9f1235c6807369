"""Entitlements: what a person or an enterprise is owed, computed as rules-as-code (免申即享).

One module per benefit family, pure functions of the subject's facts and ``today``, dated
parameters in :mod:`lifecycle.entitlements.params`, table-driven cases citing the article
under ``tests/lifecycle/entitlements/``. See docs/entitlements.md.

- ``person_entitlements(household, today, params)`` → ``list[Entitlement]``
- ``enterprise_entitlements(enterprise, today)`` → ``list[Entitlement]``
- ``ENTITLEMENT_KEYS``: every key, its kind and the catalog service that claims it.
"""

from __future__ import annotations

from datetime import date

from lifecycle.entitlements.base import Amount, Dated, Entitlement, SplitOption, Subject
from lifecycle.entitlements.childcare import childcare_subsidy
from lifecycle.entitlements.enterprise import enterprise_reliefs
from lifecycle.entitlements.iit_children import child_education, infant_care
from lifecycle.entitlements.iit_household import (
    continuing_education,
    elderly_support,
    housing,
    serious_illness,
)
from lifecycle.entitlements.oldage import elderly_allowance, resident_pension
from lifecycle.entitlements.params import (
    DEFAULT_ENTITLEMENT_PARAMS,
    ElderlyAllowanceBand,
    EntitlementParams,
)
from lifecycle.subjects import Enterprise, Household

__all__ = [
    "Amount",
    "DEFAULT_ENTITLEMENT_PARAMS",
    "Dated",
    "ENTITLEMENT_KEYS",
    "ElderlyAllowanceBand",
    "Entitlement",
    "EntitlementParams",
    "SplitOption",
    "Subject",
    "enterprise_entitlements",
    "person_entitlements",
]

#: key → (kind, service code that claims it)
ENTITLEMENT_KEYS: dict[str, tuple[str, str | None]] = {
    "iit_infant_care": ("deduction", "iit_special_deduction"),
    "iit_child_education": ("deduction", "iit_special_deduction"),
    "iit_elderly_support": ("deduction", "iit_special_deduction"),
    "iit_housing_loan_interest": ("deduction", "iit_special_deduction"),
    "iit_housing_rent": ("deduction", "iit_special_deduction"),
    "iit_continuing_education": ("deduction", "iit_special_deduction"),
    "iit_serious_illness": ("deduction", "iit_annual_reconciliation"),
    "childcare_subsidy": ("cash", "childcare_subsidy"),
    "resident_pension": ("cash", "resident_pension_claim"),
    "elderly_allowance": ("cash", "elderly_allowance"),
    "vat_small_scale_exemption": ("tax_relief", "vat_declaration"),
    "six_taxes_two_fees_halving": ("tax_relief", "stamp_duty_declaration"),
    "small_low_profit_eit": ("tax_relief", "eit_prepayment"),
    "individual_business_iit_halving": ("tax_relief", None),
}
_STATUS_ORDER = {"eligible": 0, "upcoming": 1, "unknown": 2}


def _ordered(items: list[Entitlement]) -> list[Entitlement]:
    return sorted(items, key=lambda e: (_STATUS_ORDER[e.status], e.start or date.min))


def person_entitlements(
    household: Household,
    today: date,
    params: EntitlementParams = DEFAULT_ENTITLEMENT_PARAMS,
) -> list[Entitlement]:
    """Everything the household's account holder is owed or may be owed, eligible first."""
    items: list[Entitlement] = []
    for rule in (
        infant_care,
        child_education,
        childcare_subsidy,
        elderly_support,
        housing,
        continuing_education,
        serious_illness,
        resident_pension,
    ):
        items.extend(rule(household, today))
    items.extend(elderly_allowance(household, today, params))
    return _ordered(items)


def enterprise_entitlements(enterprise: Enterprise, today: date) -> list[Entitlement]:
    return _ordered(enterprise_reliefs(enterprise, today))
