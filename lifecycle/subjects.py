"""Plain data the web app fills from its database and hands to the duty rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

__all__ = ["Document", "Person", "Permit", "Enterprise", "Household"]


@dataclass(frozen=True)
class Document:
    issued_on: date | None = None
    expires_on: date | None = None


@dataclass(frozen=True)
class Person:
    key: str  # caller's stable subject key, e.g. "self:3", "household:17"
    name: str
    relation: str  # "self" | "child" | "parent" | "spouse"
    birth_date: date | None = None
    gender: str | None = None  # "male" | "female"
    region_code: str | None = None  # 6-digit GB/T 2260
    employment: str | None = None  # employed|self_employed|unemployed|retired|student
    retirement_category: str | None = None  # male|female_cadre|female_worker
    marital_status: str | None = None
    id_card: Document | None = None  # expires_on is computed by the law, not given
    driver_license: Document | None = None
    passport: Document | None = None
    deceased_on: date | None = None
    # Optional facts the person states (None: not given). Their vocabularies are in
    # lifecycle.eligibility.facts.FACTS, the one definition of each fact.
    insured: frozenset[str] | None = None  # schemes: employee_medical, resident_pension, …
    disability_certificate: bool | None = None
    only_child: bool | None = None  # the person is an only child (elderly support)
    school_stage: str | None = None  # preschool|compulsory|senior|higher|none
    income_band: str | None = None  # annual comprehensive taxable income band
    housing: str | None = None  # first_home_loan|renting|neither
    rent_city_tier: str | None = None  # tier1|tier2|tier3 (住房租金 扣除标准)
    continuing_education: str | None = None  # degree|certificate|none
    serious_illness_expense: int | None = None  # self-paid medical costs this year, CNY
    elderly_support_share: int | None = None  # agreed monthly share among siblings, CNY
    pregnant: bool | None = None
    veteran: bool | None = None
    housing_fund: bool | None = None  # pays into the housing provident fund


@dataclass(frozen=True)
class Household:
    """The account holder and the household members they recorded."""

    holder: Person
    members: tuple[Person, ...] = ()

    @property
    def people(self) -> tuple[Person, ...]:
        return (self.holder, *self.members)

    def with_relation(self, relation: str) -> tuple[Person, ...]:
        return tuple(p for p in self.people if p.relation == relation)


@dataclass(frozen=True)
class Permit:
    kind: str
    number: str
    issued_on: date | None
    expires_on: date | None


@dataclass(frozen=True)
class Enterprise:
    key: str
    credit_code: str
    name: str
    established_on: date | None
    industry: str | None = None
    size: str | None = None
    region_code: str | None = None
    taxpayer_period: str = "monthly"  # "monthly" | "quarterly"
    permits: tuple[Permit, ...] = ()
    deregistered_on: date | None = None
    # Optional facts (None: not given); vocabularies in lifecycle.eligibility.facts.FACTS.
    # enterprise|individual_business|farmers_cooperative|other; None: read it from the credit
    # code (lifecycle.eligibility.facts.enterprise_legal_form)
    legal_form: str | None = None
    vat_taxpayer: str | None = None  # small_scale|general
    headcount: int | None = None  # 从业人数
    assets: int | None = None  # 资产总额, CNY
    annual_taxable_income: int | None = None  # 年应纳税所得额, CNY
    monthly_sales: int | None = None  # 月销售额, CNY
