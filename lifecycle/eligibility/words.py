"""Conditions as clauses the web app words in each language ("面向：3 周岁以下婴幼儿…").

Framework-free: a clause is a message key and its values; the web app holds the
translated sentence for each key (webapp/entitlements).
"""

from __future__ import annotations

from dataclasses import dataclass

from lifecycle.eligibility.conditions import Conditions

__all__ = ["Clause", "clauses"]


@dataclass(frozen=True)
class Clause:
    key: str  # e.g. "for_child", "age_min", "gender", "household_child_under", "insured"
    values: tuple[str, ...] = ()
    number: int | None = None


def clauses(c: Conditions) -> tuple[Clause, ...]:
    if c.everyone:
        out = [Clause("everyone")]
    else:
        out = []
        if c.relations != ("self",):
            out.append(Clause("for", c.relations))
        if c.age_min is not None:
            out.append(Clause("age_min", number=c.age_min))
        if c.age_under is not None:
            out.append(Clause("age_under", number=c.age_under))
        if c.gender:
            out.append(Clause("gender", (c.gender,)))
        for key in ("employment", "marital_status", "insured", "not_insured"):
            if getattr(c, key):
                out.append(Clause(key, getattr(c, key)))
        for flag, wanted in c.flags:
            out.append(Clause(flag if wanted else f"not_{flag}"))
        for m in c.household:
            if m.age_under is not None:
                out.append(Clause(f"household_{m.relation}_under", number=m.age_under))
            elif m.age_min is not None:
                out.append(Clause(f"household_{m.relation}_min", number=m.age_min))
            else:
                out.append(Clause(f"household_{m.relation}"))
        if c.region:
            out.append(Clause("region", c.region))
        for key in ("legal_form", "size", "industry", "vat_taxpayer"):
            if getattr(c, key):
                out.append(Clause(key, getattr(c, key)))
    if c.local:
        out.append(Clause("local"))
    return tuple(out)
