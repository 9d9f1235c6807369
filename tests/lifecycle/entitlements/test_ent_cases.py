"""Table-driven cases for every entitlement rule: one YAML file per rule, citing its article.

Each file names the rule key and its legal basis; each case gives ``today``, the holder's
and household members' facts (or an enterprise's), and the entitlements expected for that
key (an empty list: none). Only the fields a case names are compared.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from lifecycle.entitlements import (
    Dated,
    ElderlyAllowanceBand,
    EntitlementParams,
    enterprise_entitlements,
    person_entitlements,
)
from lifecycle.subjects import Enterprise, Household, Person

HERE = Path(__file__).parent
FILES = sorted(HERE.glob("*.yaml"))


def _person(raw: dict, index: int) -> Person:
    raw = dict(raw)
    relation = raw.pop("relation", "self")
    key = "self:1" if relation == "self" else f"household:{index}"
    if "insured" in raw:
        raw["insured"] = frozenset(raw["insured"])
    return Person(key=key, name=raw.pop("name", key), relation=relation, **raw)


def _params(raw: dict | None) -> EntitlementParams:
    if not raw:
        return EntitlementParams()
    table = {}
    for prefix, spec in raw.items():
        bands = tuple(ElderlyAllowanceBand(b["age_min"], b["monthly"]) for b in spec["bands"])
        table[str(prefix)] = (Dated(bands, spec["from"], spec.get("to"), spec["basis"]),)
    return EntitlementParams(elderly_allowance=table)


def _cases():
    for path in FILES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert data["basis"], f"{path.name} must cite its article"
        for case in data["cases"]:
            yield pytest.param(data["rule"], case, id=f"{path.stem}: {case['name']}")


def _fields(e) -> dict:
    return {
        "status": e.status,
        "amount": e.amount.value if e.amount else None,
        "period": e.amount.period if e.amount else None,
        "from": e.start,
        "to": e.end,
        "missing": list(e.missing_facts),
        "subject": e.subject.name,
        "tax_saved": e.tax_saved.value if e.tax_saved else None,
        "total": e.total.value if e.total else None,
        "note": e.note,
        "basis_contains": e.legal_basis,
    }


def test_every_rule_has_a_table_with_many_cases():
    rules = {}
    for path in FILES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        rules[data["rule"]] = len(data["cases"])
    assert all(n >= 5 for n in rules.values()), rules
    assert {
        "iit_infant_care",
        "iit_child_education",
        "iit_elderly_support",
        "childcare_subsidy",
    } <= set(rules)


@pytest.mark.parametrize(("rule", "case"), list(_cases()))
def test_case(rule, case):
    today: date = case["today"]
    if "enterprise" in case:
        e = Enterprise(
            key="enterprise:1", credit_code="x", name="E", established_on=None, **case["enterprise"]
        )
        got = [x for x in enterprise_entitlements(e, today) if x.key == rule]
    else:
        holder = _person(case.get("holder", {}), 0)
        members = tuple(_person(m, i + 1) for i, m in enumerate(case.get("members", [])))
        household = Household(holder, members)
        got = [
            x
            for x in person_entitlements(household, today, _params(case.get("params")))
            if x.key == rule
        ]
    expected = case["expect"]
    assert len(got) == len(expected), [(_fields(g)) for g in got]
    for g, want in zip(got, expected, strict=True):
        fields = _fields(g)
        for k, v in want.items():
            if k == "basis_contains":
                assert v in fields[k]
            else:
                assert fields[k] == v, (k, fields)
