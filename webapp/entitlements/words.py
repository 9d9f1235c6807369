"""Eligibility and entitlements in words, in the user's language.

The lifecycle package gives message keys (conditions as clauses, checks, entitlement keys,
fact keys); this module holds the translated sentences. Every string is marked for
translation.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lifecycle.eligibility import Check, Clause, Conditions, clauses

TITLES = {
    "iit_infant_care": _l("Infant care deduction (IIT)"),
    "iit_child_education": _l("Children's education deduction (IIT)"),
    "iit_elderly_support": _l("Elderly support deduction (IIT)"),
    "iit_housing_loan_interest": _l("Housing loan interest deduction (IIT)"),
    "iit_housing_rent": _l("Housing rent deduction (IIT)"),
    "iit_continuing_education": _l("Continuing education deduction (IIT)"),
    "iit_serious_illness": _l("Serious illness medical expenses deduction (IIT)"),
    "childcare_subsidy": _l("Childcare subsidy"),
    "resident_pension": _l("Basic pension for urban and rural residents"),
    "elderly_allowance": _l("Old-age allowance"),
    "vat_small_scale_exemption": _l("VAT exemption for small-scale taxpayers"),
    "six_taxes_two_fees_halving": _l("“Six taxes and two fees” halved"),
    "small_low_profit_eit": _l("Income tax relief for small low-profit enterprises"),
    "individual_business_iit_halving": _l("Business income tax halved for individual businesses"),
}

FACTS = {
    "birth_date": _l("date of birth"),
    "gender": _l("gender"),
    "region_code": _l("region of residence"),
    "employment": _l("employment"),
    "marital_status": _l("marital status"),
    "insured": _l("social insurance"),
    "disability_certificate": _l("disability certificate"),
    "only_child": _l("only child"),
    "school_stage": _l("school stage"),
    "income_band": _l("annual taxable income"),
    "housing": _l("housing"),
    "rent_city_tier": _l("city where you rent"),
    "continuing_education": _l("continuing education"),
    "serious_illness_expense": _l("self-paid medical expenses this year"),
    "elderly_support_share": _l("agreed monthly share of elderly support"),
    "pregnant": _l("pregnancy"),
    "veteran": _l("veteran"),
    "housing_fund": _l("housing provident fund"),
    "driver_license": _l("driving licence"),
    "household": _l("household members"),
    "legal_form": _l("legal form"),
    "size": _l("enterprise size"),
    "industry": _l("industry"),
    "vat_taxpayer": _l("VAT taxpayer type"),
    "headcount": _l("number of employees"),
    "assets": _l("total assets"),
    "annual_taxable_income": _l("annual taxable income"),
    "monthly_sales": _l("monthly sales"),
}

VALUES = {
    "self": _l("yourself"),
    "child": _l("a child"),
    "parent": _l("a parent"),
    "spouse": _l("your spouse"),
    "male": _l("male"),
    "female": _l("female"),
    "employed": _l("employed"),
    "self_employed": _l("self-employed"),
    "unemployed": _l("unemployed"),
    "retired": _l("retired"),
    "student": _l("student"),
    "single": _l("single"),
    "married": _l("married"),
    "divorced": _l("divorced"),
    "widowed": _l("widowed"),
    "employee_medical": _l("employee medical insurance"),
    "resident_medical": _l("resident medical insurance"),
    "employee_pension": _l("employee pension insurance"),
    "resident_pension": _l("resident pension insurance"),
    "unemployment": _l("unemployment insurance"),
    "none": _l("none"),
    "preschool": _l("preschool"),
    "compulsory": _l("primary or junior middle school"),
    "senior": _l("senior high or vocational school"),
    "higher": _l("higher education"),
    "enterprise": _l("enterprise"),
    "individual_business": _l("individual business"),
    "farmers_cooperative": _l("farmers' cooperative"),
    "other": _l("other"),
    "small_scale": _l("small-scale taxpayer"),
    "general": _l("general taxpayer"),
    "micro": _l("micro"),
    "small": _l("small"),
    "medium": _l("medium"),
    "large": _l("large"),
    "first_home_loan": _l("paying a first-home loan"),
    "renting": _l("renting"),
    "neither": _l("neither"),
    "tier1": _l("municipality, provincial capital or separately planned city"),
    "tier2": _l("other city with over a million registered residents"),
    "tier3": _l("other city"),
    "degree": _l("studying for a degree"),
    "certificate": _l("obtained a vocational certificate this year"),
    "b36k": _l("up to 36,000 a year"),
    "b144k": _l("36,000–144,000 a year"),
    "b300k": _l("144,000–300,000 a year"),
    "b420k": _l("300,000–420,000 a year"),
    "b660k": _l("420,000–660,000 a year"),
    "b960k": _l("660,000–960,000 a year"),
    "over960k": _l("over 960,000 a year"),
    "yes": _l("yes"),
    "no": _l("no"),
}

PERIODS = {"month": _l("a month"), "year": _l("a year"), "once": _l("once")}
STATUSES = {
    "eligible": _l("You can claim it"),
    "upcoming": _l("Coming up"),
    "unknown": _l("We need a fact to tell"),
    "not_eligible": _l("Not for you"),
}
NOTES = {
    "up_to": _l("Up to this amount: siblings share the deduction."),
    "local_amount": _l("The amount is set locally."),
    "local_amount_not_entered": _l(
        "The age and amount in your region have not been entered yet; ask your local civil "
        "affairs office."
    ),
    "max_240_months": _l("For at most 240 months."),
    "max_48_months": _l("For at most 48 months of the same degree."),
    "year_obtained": _l("In the year the certificate is obtained."),
    "annual_reconciliation": _l("Claimed in the annual reconciliation."),
    "tax_exempt": _l("Exempt from individual income tax."),
    "monthly_sales_up_to_100000": _l("While monthly sales stay at or below 100,000 yuan."),
    "halved": _l("Halved until the end date."),
    "effective_rate_5": _l("An effective rate of 5 %; the amount is the tax saved."),
}


def value(v: str) -> str:
    w = VALUES.get(v)
    return str(w) if w is not None else v


def values(vs) -> str:
    return _(", ").join(value(v) for v in vs) if vs else ""


def fact(key: str) -> str:
    w = FACTS.get(key)
    return str(w) if w is not None else key


def fact_list(keys) -> str:
    return _(", ").join(fact(k) for k in keys)


def clause(c: Clause) -> str:
    """One condition as a sentence fragment."""
    n = c.number
    k = c.key
    if k == "everyone":
        return _("For everyone")
    if k == "for":
        return _("For: %(who)s", who=values(c.values))
    if k == "age_min":
        return _("Aged %(n)s or over", n=n)
    if k == "age_under":
        return _("Under %(n)s years of age", n=n)
    if k == "gender":
        return _("Gender: %(value)s", value=values(c.values))
    if k in ("employment", "marital_status", "legal_form", "size", "industry", "vat_taxpayer"):
        return _("%(fact)s: %(values)s", fact=fact(k), values=values(c.values))
    if k == "insured":
        return _("Insured in: %(values)s", values=values(c.values))
    if k == "not_insured":
        return _("Not insured in: %(values)s", values=values(c.values))
    if k == "household_child_under":
        return _("For parents or guardians of a child under %(n)s", n=n)
    if k.startswith("household_"):
        relation = k.split("_")[1]
        if k.endswith("_min"):
            return _("Has %(who)s aged %(n)s or over", who=value(relation), n=n)
        return _("Has %(who)s in the household", who=value(relation))
    if k == "region":
        return _("Residents of region %(values)s", values=", ".join(c.values))
    if k == "local":
        return _("Local rules set the details")
    if k.startswith("not_"):
        return _("Without: %(fact)s", fact=fact(k[4:]))
    return _("Has: %(fact)s", fact=fact(k))


def audience_line(clauses) -> str:
    """「面向：…」 for a service's conditions."""
    return _("For whom: %(conditions)s", conditions=_("; ").join(clause(c) for c in clauses))


def check_line(c: Check) -> str:
    """A tested condition and the fact that decided it, e.g. "gender: female (met)"."""
    shown = value(c.actual) if c.actual is not None else _("not given")
    if c.outcome == "met":
        return _("%(fact)s: %(value)s — met", fact=fact(c.fact), value=shown)
    if c.outcome == "failed":
        return _("%(fact)s: %(value)s — not met", fact=fact(c.fact), value=shown)
    return _("%(fact)s: not given yet", fact=fact(c.fact))


def audience_words(conditions: Conditions) -> str:
    """「面向：…」 for parsed conditions."""
    return audience_line(clauses(conditions))
