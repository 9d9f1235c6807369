"""Plain data the web app fills from its database and hands to the duty rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

__all__ = ["Document", "Person", "Permit", "Enterprise"]


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
