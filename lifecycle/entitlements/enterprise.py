"""Tax reliefs for small businesses, each to 2027-12-31.

- ``vat_small_scale_exemption`` (财政部 税务总局公告2023年第19号 第一条): small-scale VAT
  taxpayers with monthly sales up to 100,000 are exempt.
- ``six_taxes_two_fees_halving`` (公告2023年第12号 第一条): 六税两费 halved for small-scale
  taxpayers, small low-profit enterprises and individual businesses.
- ``small_low_profit_eit`` (第二条、第五条): an effective 5 % enterprise income tax for
  enterprises with taxable income ≤ 3 million, headcount ≤ 300 and assets ≤ 50 million.
  Individual businesses pay no enterprise income tax.
- ``individual_business_iit_halving`` (第三条): an individual business's business income
  up to 2 million is taxed at half.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from lifecycle.eligibility.facts import enterprise_legal_form
from lifecycle.entitlements.base import (
    ELIGIBLE,
    UNKNOWN,
    Amount,
    Entitlement,
    Subject,
    value_on,
)
from lifecycle.entitlements.iit_tax import business_income_tax
from lifecycle.entitlements.params import (
    INDIVIDUAL_BUSINESS_HALVING,
    SIX_TAXES_TWO_FEES,
    SMALL_LOW_PROFIT,
    VAT_SMALL_SCALE,
)
from lifecycle.subjects import Enterprise

__all__ = ["enterprise_reliefs", "small_low_profit"]


def _subject(e: Enterprise) -> Subject:
    return Subject("enterprise", e.key, e.name, "enterprise")


def small_low_profit(e: Enterprise, today: date) -> tuple[bool | None, tuple[str, ...]]:
    """Whether ``e`` is a 小型微利企业 today (None: facts missing, which are named)."""
    e = replace(e, legal_form=enterprise_legal_form(e))
    param = value_on(SMALL_LOW_PROFIT, today)
    if param is None or e.legal_form == "individual_business":
        return False, ()
    if e.legal_form is not None and e.legal_form not in ("enterprise", "farmers_cooperative"):
        return False, ()
    limits = param.value
    facts = {
        "legal_form": (e.legal_form, None),
        "annual_taxable_income": (e.annual_taxable_income, limits["income"]),
        "headcount": (e.headcount, limits["headcount"]),
        "assets": (e.assets, limits["assets"]),
    }
    missing = tuple(k for k, (v, _) in facts.items() if v is None)
    if any(limit is not None and v is not None and v > limit for v, limit in facts.values()):
        return False, ()
    return (None, missing) if missing else (True, ())


def _entry(key, e, param, status, *, amount=None, missing=(), used=(), note=None):
    return Entitlement(
        key,
        "tax_relief",
        _subject(e),
        amount,
        param.start,
        param.end,
        status,
        param.basis,
        {
            "vat_small_scale_exemption": "vat_declaration",
            "six_taxes_two_fees_halving": "stamp_duty_declaration",
            "small_low_profit_eit": "eit_prepayment",
            "individual_business_iit_halving": None,
        }[key],
        missing_facts=tuple(missing),
        facts_used=tuple(used),
        note=note,
    )


def enterprise_reliefs(e: Enterprise, today: date) -> list[Entitlement]:
    e = replace(e, legal_form=enterprise_legal_form(e))  # stated, or from the credit code
    out: list[Entitlement] = []
    vat = value_on(VAT_SMALL_SCALE, today)
    if vat is not None:
        if e.vat_taxpayer is None:
            out.append(
                _entry("vat_small_scale_exemption", e, vat, UNKNOWN, missing=["vat_taxpayer"])
            )
        elif e.vat_taxpayer == "small_scale" and (
            e.monthly_sales is None or e.monthly_sales <= vat.value
        ):
            used = ["vat_taxpayer"] + (["monthly_sales"] if e.monthly_sales is not None else [])
            out.append(
                _entry(
                    "vat_small_scale_exemption",
                    e,
                    vat,
                    ELIGIBLE,
                    used=used,
                    note="monthly_sales_up_to_100000",
                )
            )
    slp, slp_missing = small_low_profit(e, today)
    six = value_on(SIX_TAXES_TWO_FEES, today)
    if six is not None:
        reasons = []
        if e.legal_form == "individual_business":
            reasons.append("legal_form")
        if e.vat_taxpayer == "small_scale":
            reasons.append("vat_taxpayer")
        if slp:
            reasons += ["annual_taxable_income", "headcount", "assets"]
        if reasons:
            out.append(
                _entry("six_taxes_two_fees_halving", e, six, ELIGIBLE, used=reasons, note="halved")
            )
        else:
            missing = []
            if e.legal_form is None:
                missing.append("legal_form")
            if e.vat_taxpayer is None:
                missing.append("vat_taxpayer")
            if slp is None:
                missing += [m for m in slp_missing if m not in missing]
            if missing:
                out.append(_entry("six_taxes_two_fees_halving", e, six, UNKNOWN, missing=missing))
    eit = value_on(SMALL_LOW_PROFIT, today)
    if eit is not None and slp is not False:
        if slp:
            income = e.annual_taxable_income or 0
            saved = Amount(income * (25 - eit.value["rate"]) // 100, "year")
            used = ["legal_form", "annual_taxable_income", "headcount", "assets"]
            out.append(
                _entry(
                    "small_low_profit_eit",
                    e,
                    eit,
                    ELIGIBLE,
                    amount=saved,
                    used=used,
                    note="effective_rate_5",
                )
            )
        else:
            out.append(_entry("small_low_profit_eit", e, eit, UNKNOWN, missing=slp_missing))
    half = value_on(INDIVIDUAL_BUSINESS_HALVING, today)
    if half is not None:
        if e.legal_form is None:
            out.append(
                _entry("individual_business_iit_halving", e, half, UNKNOWN, missing=["legal_form"])
            )
        elif e.legal_form == "individual_business":
            amount = None
            used = ["legal_form"]
            if e.annual_taxable_income is not None:
                income = max(e.annual_taxable_income, 0)
                tax = business_income_tax(income)
                covered = min(income, half.value)
                saved = tax * covered // income // 2 if income else 0
                amount = Amount(saved, "year")
                used.append("annual_taxable_income")
            out.append(
                _entry(
                    "individual_business_iit_halving",
                    e,
                    half,
                    ELIGIBLE,
                    amount=amount,
                    used=used,
                    note="halved",
                )
            )
    return out
