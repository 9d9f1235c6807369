"""No recommendation is for a service whose conditions the subject fails (property test over
random profiles, households and stated facts, against the whole catalog)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from lifecycle.eligibility import NOT_ELIGIBLE, evaluate
from lifecycle.eligibility.facts import EMPLOYMENT, INSURANCE_SCHEMES, MARITAL_STATUSES
from webapp.core.clock import local_today

TODAY = local_today()


def _recommend(app, account_id: int, limit: int = 50):
    from webapp.accounts.models import Account
    from webapp.core.db import db
    from webapp.entitlements import service as ent_service  # noqa: F401  (feature loaded)
    from webapp.recommend import recommend_for_account

    with app.app_context():
        account = db.session.get(Account, account_id)
        return recommend_for_account(db.session, account, limit=limit, today=TODAY)


def _household(app, account_id: int):
    from webapp.accounts.models import Account
    from webapp.core.db import db
    from webapp.entitlements.queries import account_view

    with app.app_context():
        return account_view(db.session, db.session.get(Account, account_id), TODAY).household


profiles = st.fixed_dictionaries(
    {
        "birth_date": st.dates(date(1930, 1, 1), date(2008, 1, 1)),
        "gender": st.sampled_from(("male", "female")),
        "employment": st.sampled_from(EMPLOYMENT),
        "marital_status": st.sampled_from(MARITAL_STATUSES),
    }
)
members = st.lists(
    st.tuples(
        st.sampled_from(("child", "parent")),
        st.integers(min_value=0, max_value=90 * 365),
    ),
    max_size=3,
)
facts = st.fixed_dictionaries(
    {},
    optional={
        "insured": st.lists(st.sampled_from(INSURANCE_SCHEMES), unique=True),
        "disability_certificate": st.booleans(),
        "pregnant": st.booleans(),
        "housing_fund": st.booleans(),
    },
)


@settings(
    max_examples=12,
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(profile=profiles, household=members, stated=facts)
def test_no_recommendation_fails_its_conditions(app, factories, client, profile, household, stated):
    citizen = factories.citizen(**profile)
    own = profile["birth_date"]
    for relation, days in household:
        if relation == "child":  # born after the holder, not in the future
            born = min(TODAY, own + timedelta(days=16 * 365 + days % (60 * 365)))
            if born <= own:
                continue
        else:  # born before the holder
            born = own - timedelta(days=16 * 365 + days % (40 * 365))
        factories.member(citizen, relation, relation, born)
    headers = factories.token(client, citizen)
    for key, value in stated.items():
        r = client.put(f"/api/v1/me/facts/self/{key}", json={"value": value}, headers=headers)
        assert r.status_code == 200, r.json
    result = _recommend(app, citizen.id)
    hh = _household(app, citizen.id)
    with app.app_context():  # the conditions as stored (an admin may have edited them)
        from webapp.core.db import db
        from webapp.recommend.context import load_catalog

        stored = load_catalog(db.session).conditions
    for item in result["items"]:
        s = stored[item["service_code"]]
        verdict = evaluate(s.conditions, TODAY, household=hh, region_scope=s.region_scope)
        assert verdict.outcome != NOT_ELIGIBLE, (item["service_code"], verdict.failed)
        if item.get("eligibility") == "eligible":
            assert verdict.outcome == "eligible" or not verdict.checks, item["service_code"]


def test_a_father_is_never_shown_maternity_allowance(app, factories, client):
    """《社会保险法》第五十六条: 生育津贴 is for the insured woman who gives birth."""
    father = factories.citizen(gender="male", employment="employed", marital_status="married")
    factories.member(father, "child", "宝宝", TODAY - timedelta(days=10))
    headers = factories.token(client, father)
    client.put(
        "/api/v1/me/facts/self/insured", json={"value": ["employee_medical"]}, headers=headers
    )
    codes = [i["service_code"] for i in _recommend(app, father.id, limit=50)["items"]]
    assert "maternity_allowance" not in codes
    api = client.get("/api/v1/me/recommendations?limit=50", headers=headers).json
    assert "maternity_allowance" not in [i["service_code"] for i in api["items"]]


def test_unknown_eligibility_is_marked_and_ranked_after_eligible(app, factories, client):
    citizen = factories.citizen(gender="female")
    headers = factories.token(client, citizen)
    items = client.get("/api/v1/me/recommendations?limit=50", headers=headers).json["items"]
    marks = [i["eligibility"] for i in items]
    assert marks == sorted(marks)  # "eligible" < "unknown": all eligible ones first
    for item in items:
        if item["eligibility"] == "unknown":
            assert any(r["kind"] == "eligibility_unknown" for r in item["reasons"])


def test_entitlement_signal_names_the_amount(app, factories, client):
    """《育儿补贴制度实施方案》 (3,600 a year) and 国发〔2023〕13号 (2,000 a month): the
    services that claim them get a signal whose reason names the amount."""
    from webapp.accounts.models import Account
    from webapp.core.db import db
    from webapp.recommend.recommendations import account_context

    citizen = factories.citizen()
    factories.member(citizen, "child", "宝宝", TODAY - timedelta(days=30))
    with app.app_context():
        ctx = account_context(db.session, db.session.get(Account, citizen.id), TODAY)
        signal = ctx.lifecycle_signals["childcare_subsidy"]
    assert signal.kind == "entitlement" and "育儿补贴" in signal.reason["zh_Hans"]
    assert "3,600" in signal.reason["zh_Hans"]
    headers = factories.token(client, citizen)
    items = client.get("/api/v1/me/recommendations?limit=50&lang=zh_Hans", headers=headers).json[
        "items"
    ]
    texts = [r["text"] for i in items for r in i["reasons"] if r["kind"] == "entitlement"]
    assert any("2,000" in t for t in texts), texts


def test_admin_sandbox_ranks_through_the_gate(app, factories, client, admin):
    """The sandbox's before/after lists come from the serving ranking, gate included."""
    father = factories.citizen(gender="male", marital_status="married")
    factories.member(father, "child", "宝宝", TODAY - timedelta(days=10))
    headers = factories.token(client, admin)
    r = client.post(
        "/api/v1/admin/rules/preview",
        json={
            "rules": [
                {
                    "name": "push maternity",
                    "enabled": True,
                    "action": "pin",
                    "position": 1,
                    "targets": {"services": ["maternity_allowance"]},
                }
            ],
            "user_id": father.id,
            "purpose": "核对资格过滤的效果",
        },
        headers=headers,
    )
    assert r.status_code == 200, r.json
    sample = next(s for s in r.json["samples"] if s["user_id"] == father.id)
    assert "maternity_allowance" not in sample["before"]
    assert "maternity_allowance" not in sample["after"]  # even a pin cannot show it


def test_individual_business_is_not_recommended_enterprise_income_tax(app, factories, client):
    """《企业所得税法》第一条: 个体工商户 do not file enterprise income tax."""
    owner = factories.business()
    headers = factories.token(client, owner)
    path = f"/api/v1/enterprises/{owner.credit_code}"
    r = client.put(
        f"{path}/facts/legal_form", json={"value": "individual_business"}, headers=headers
    )
    assert r.status_code == 200
    items = client.get(f"{path}/recommendations?limit=50", headers=headers).json["items"]
    codes = {i["service_code"] for i in items}
    assert codes and not codes & {"eit_prepayment", "eit_annual_reconciliation"}


def test_the_page_widget_uses_the_stated_facts(app, factories, client, monkeypatch):
    """国发〔2015〕52号: without a disability certificate the subsidies are not candidates
    on the personal page either (the widget ranks with the stated facts)."""
    from webapp.recommend import context

    built = []
    original = context.build_citizen_context

    def spy(rows, today, catalog=None):
        ctx = original(rows, today, catalog)
        built.append(ctx)
        return ctx

    monkeypatch.setattr(context, "build_citizen_context", spy)
    citizen = factories.citizen()
    headers = factories.token(client, citizen)
    client.put(
        "/api/v1/me/facts/self/disability_certificate", json={"value": False}, headers=headers
    )
    assert client.get("/api/v1/me/page", headers=headers).status_code == 200
    assert built and "disability_living_subsidy" in built[-1].dismissed
