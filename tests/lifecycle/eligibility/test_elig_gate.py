"""The gate over the whole catalog: a not-eligible service is never a candidate."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from lifecycle.catalog import load_catalog
from lifecycle.dates import age_on
from lifecycle.eligibility import ServiceConditions, clauses, eligible_candidates
from lifecycle.eligibility.facts import EMPLOYMENT, INSURANCE_SCHEMES, MARITAL_STATUSES
from lifecycle.subjects import Household, Person

TODAY = date(2026, 11, 30)
CATALOG = load_catalog()
SERVICES = [
    ServiceConditions(
        s.code, s.conditions, None if s.region_scope == "national" else s.region_scope[:4]
    )
    for s in CATALOG.services.values()
    if s.audience != "enterprise"
]


def _maybe(strategy):
    return st.one_of(st.none(), strategy)


def _person(relation: str, key: str):
    return st.builds(
        Person,
        key=st.just(key),
        name=st.just(key),
        relation=st.just(relation),
        birth_date=_maybe(st.dates(date(1920, 1, 1), date(2027, 6, 1))),
        gender=_maybe(st.sampled_from(("male", "female"))),
        region_code=_maybe(st.sampled_from(("440106", "440305", "110105", "510104"))),
        employment=_maybe(st.sampled_from(EMPLOYMENT)),
        marital_status=_maybe(st.sampled_from(MARITAL_STATUSES)),
        insured=_maybe(st.frozensets(st.sampled_from(INSURANCE_SCHEMES))),
        disability_certificate=_maybe(st.booleans()),
        pregnant=_maybe(st.booleans()),
        veteran=_maybe(st.booleans()),
        housing_fund=_maybe(st.booleans()),
    )


def _household(holder, kids, parents):
    members = [
        Person(**{**p.__dict__, "key": f"household:{i}", "name": f"m{i}"})
        for i, p in enumerate([*kids, *parents])
    ]
    return Household(holder, tuple(members))


households = st.builds(
    _household,
    _person("self", "self:1"),
    st.lists(_person("child", "household:c"), max_size=3),
    st.lists(_person("parent", "household:p"), max_size=2),
)


@settings(max_examples=60, deadline=None)
@given(households)
def test_no_allowed_service_fails_a_condition(household):
    gate = eligible_candidates(SERVICES, TODAY, household=household)
    by_key = {p.key: p for p in household.people}
    for code, verdict in gate.verdicts.items():
        if not gate.allowed(code):
            assert verdict.failed
            continue
        assert not verdict.failed
        c = CATALOG.services[code].conditions
        subject = by_key.get(verdict.subject) if verdict.subject else None
        if verdict.eligible and subject is not None:
            if c.gender:
                assert subject.gender == c.gender
            if c.age_min is not None:
                assert age_on(subject.birth_date, TODAY) >= c.age_min
            if c.age_under is not None:
                assert age_on(subject.birth_date, TODAY) < c.age_under


@settings(max_examples=40, deadline=None)
@given(households)
def test_a_father_never_gets_maternity_allowance(household):
    """《社会保险法》第五十六条: 生育津贴 is the insured woman's, never her husband's."""
    father = Person(**{**household.holder.__dict__, "gender": "male"})
    gate = eligible_candidates(SERVICES, TODAY, household=Household(father, household.members))
    assert not gate.allowed("maternity_allowance")


def test_every_service_can_be_put_in_words():
    for service in CATALOG.services.values():
        assert clauses(service.conditions)
