"""The facts eligibility conditions and entitlement rules read: one definition of each.

A fact belongs to a person (``lifecycle.subjects.Person``) or an enterprise
(``lifecycle.subjects.Enterprise``); ``None`` on the subject means "not given", which
makes a condition that needs it *unknown* rather than failed.
"""

from __future__ import annotations

from dataclasses import dataclass

from lifecycle.identifiers import legal_form

__all__ = [
    "FACTS",
    "FactInfo",
    "RELATIONS",
    "GENDERS",
    "EMPLOYMENT",
    "MARITAL_STATUSES",
    "INSURANCE_SCHEMES",
    "SCHOOL_STAGES",
    "LEGAL_FORMS",
    "VAT_TAXPAYER_TYPES",
    "SIZES",
    "INCOME_BANDS",
    "enterprise_legal_form",
]

RELATIONS = ("self", "child", "parent", "spouse")
GENDERS = ("male", "female")
EMPLOYMENT = ("employed", "self_employed", "unemployed", "retired", "student")
MARITAL_STATUSES = ("single", "married", "divorced", "widowed")
#: Social insurance schemes (《社会保险法》): employee / resident medical and pension.
INSURANCE_SCHEMES = (
    "employee_medical",
    "resident_medical",
    "employee_pension",
    "resident_pension",
    "unemployment",
)
SCHOOL_STAGES = ("none", "preschool", "compulsory", "senior", "higher")
#: GB 32100-2015 organisation types under registering authority 9 (市场监管): 1 企业,
#: 2 个体工商户, 3 农民专业合作社; anything else is "other".
LEGAL_FORMS = ("enterprise", "individual_business", "farmers_cooperative", "other")
VAT_TAXPAYER_TYPES = ("small_scale", "general")
SIZES = ("micro", "small", "medium", "large")
#: Annual comprehensive taxable income bands, named by their upper bound in CNY, matching
#: the brackets of 《个人所得税法》 附表一 (3 % … 45 %).
INCOME_BANDS = ("b36k", "b144k", "b300k", "b420k", "b660k", "b960k", "over960k")


@dataclass(frozen=True)
class FactInfo:
    key: str
    subject: str  # "person" | "enterprise"
    kind: str  # "bool" | "choice" | "int" | "set" | "date" | "region"
    choices: tuple[str, ...] = ()
    asked: bool = False  # the optional questionnaire may ask for it


def _f(key, subject, kind, choices=(), asked=False) -> tuple[str, FactInfo]:
    return key, FactInfo(key, subject, kind, tuple(choices), asked)


FACTS: dict[str, FactInfo] = dict(
    [
        _f("birth_date", "person", "date"),
        _f("gender", "person", "choice", GENDERS),
        _f("region_code", "person", "region"),
        _f("employment", "person", "choice", EMPLOYMENT),
        _f("marital_status", "person", "choice", MARITAL_STATUSES),
        _f("insured", "person", "set", INSURANCE_SCHEMES, asked=True),
        _f("disability_certificate", "person", "bool", asked=True),
        _f("only_child", "person", "bool", asked=True),
        _f("school_stage", "person", "choice", SCHOOL_STAGES, asked=True),
        _f("income_band", "person", "choice", INCOME_BANDS, asked=True),
        _f("housing", "person", "choice", ("first_home_loan", "renting", "neither"), True),
        _f("rent_city_tier", "person", "choice", ("tier1", "tier2", "tier3"), asked=True),
        _f("continuing_education", "person", "choice", ("degree", "certificate", "none"), True),
        _f("serious_illness_expense", "person", "int", asked=True),
        _f("elderly_support_share", "person", "int", asked=True),
        _f("pregnant", "person", "bool", asked=True),
        _f("veteran", "person", "bool", asked=True),
        _f("housing_fund", "person", "bool", asked=True),
        _f("driver_license", "person", "bool"),
        _f("legal_form", "enterprise", "choice", LEGAL_FORMS),
        _f("size", "enterprise", "choice", SIZES),
        _f("industry", "enterprise", "choice"),
        _f("vat_taxpayer", "enterprise", "choice", VAT_TAXPAYER_TYPES, asked=True),
        _f("headcount", "enterprise", "int", asked=True),
        _f("assets", "enterprise", "int", asked=True),
        _f("annual_taxable_income", "enterprise", "int", asked=True),
        _f("monthly_sales", "enterprise", "int", asked=True),
    ]
)


def enterprise_legal_form(enterprise) -> str | None:
    """The enterprise's legal form: as stated, else read from its unified social credit
    code (GB 32100-2015, ``lifecycle.identifiers.legal_form``); None when neither says."""
    if enterprise.legal_form is not None:
        return enterprise.legal_form
    form = legal_form(enterprise.credit_code or "")
    if form.key == "unknown":
        return None
    return form.key if form.key in LEGAL_FORMS else "other"
