"""The newer operations (family, entitlements, enterprise claims and members, holidays) walked
through realistic sequences — repeats, conflicts, strangers, bad values — where random
fuzzing rarely reaches: every answer is a status the OpenAPI document declares for the
operation, and never a 5xx."""

from __future__ import annotations

from datetime import date

import pytest

from lifecycle.identifiers import make_credit_code

TODAY = date(2026, 11, 30)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("webapp.core.clock.local_today", lambda: TODAY)


class Checked:
    """A test client whose every API answer must be declared for its operation."""

    def __init__(self, app):
        self.client = app.test_client()
        self.doc = self.client.get("/api/v1/openapi.json").json
        self.seen: list[tuple[str, str, int]] = []

    def __call__(self, method: str, template: str, path: str | None = None, **kw):
        response = self.client.open(f"/api/v1{path or template}", method=method, **kw)
        declared = self.doc["paths"][template][method.lower()]["responses"]
        assert response.status_code < 500, (method, path or template, response.get_data()[:300])
        assert str(response.status_code) in declared, (
            method,
            template,
            response.status_code,
            sorted(declared),
            response.get_data(as_text=True)[:300],
        )
        self.seen.append((method, template, response.status_code))
        return response


def test_family_sequences_answer_declared_statuses(app, factories):
    api = Checked(app)
    son = factories.citizen(full_name="李明")
    father = factories.citizen(birth_date=date(1960, 2, 1), full_name="张父")
    stranger = factories.citizen(full_name="王五")
    member_id = factories.member(son, "parent", "张父", date(1960, 2, 1))
    son_h, father_h = factories.token(api.client, son), factories.token(api.client, father)
    stranger_h = factories.token(api.client, stranger)
    inv = "/me/household/{member_id}/invitation"
    at = inv.replace("{member_id}", str(member_id))
    api("GET", inv, at, headers=son_h)
    api("GET", inv, at, headers=stranger_h)
    api("POST", inv, at, headers=son_h)
    token = api("POST", inv, at, headers=son_h).json["token"]  # a new link replaces the old
    api("POST", inv, at, headers=stranger_h)
    accept = "/invitations/{token}/accept"
    api("POST", accept, accept.replace("{token}", "x" * 40), headers=father_h)
    api("POST", accept, accept.replace("{token}", token), headers=son_h)  # own invitation
    api("POST", accept, accept.replace("{token}", token), headers=father_h)
    body = {"grantee_account_id": son.id, "scopes": ["view"]}
    made = api("POST", "/me/mandates", json=body, headers=father_h)
    assert made.status_code == 201, made.json
    mandate = made.json["id"]
    api("POST", "/me/mandates", json=body, headers=father_h)  # the same again
    api("POST", "/me/mandates", json={**body, "grantee_account_id": stranger.id}, headers=father_h)
    api("POST", "/me/mandates", json={**body, "grantee_account_id": father.id}, headers=father_h)
    api("POST", "/me/mandates", json={**body, "valid_until": "2020-01-01"}, headers=father_h)
    one = "/me/mandates/{mandate_id}"
    api("DELETE", one, one.replace("{mandate_id}", str(mandate)), headers=stranger_h)
    api("DELETE", one, one.replace("{mandate_id}", str(mandate)), headers=father_h)
    api("DELETE", one, one.replace("{mandate_id}", str(mandate)), headers=father_h)
    api("POST", accept, accept.replace("{token}", token), headers=father_h)  # again
    api("POST", accept, accept.replace("{token}", token), headers=stranger_h)  # used
    api("POST", inv, at, headers=son_h)  # already linked
    api("GET", "/me/links", headers=son_h)
    api("GET", "/me/family-reminders", headers=son_h)
    done = "/me/family-reminders/{duty_id}/done"
    api("POST", done, done.replace("{duty_id}", "1"), headers=stranger_h)
    api("PUT", "/me/reminder-shares", json={"spouse_account_id": stranger.id}, headers=son_h)
    api("PUT", "/me/reminder-shares", json={"spouse_account_id": son.id}, headers=son_h)
    link = "/me/household/{member_id}/link"
    api("DELETE", link, link.replace("{member_id}", str(member_id)), headers=stranger_h)
    api("DELETE", link, link.replace("{member_id}", str(member_id)), headers=son_h)
    api("DELETE", link, link.replace("{member_id}", str(member_id)), headers=son_h)
    statuses = {status for _m, _t, status in api.seen}
    assert {200, 201, 204, 400, 404, 409} <= statuses, statuses
    admin_h = factories.token(api.client, factories.account("admin"))
    admin_body = {
        **body,
        "grantor_account_id": father.id,
        "evidence": "户口簿与身份证原件",
        "purpose": "窗口代办登记",
    }
    api("POST", "/admin/mandates", json=admin_body, headers=admin_h)
    api("POST", "/admin/mandates", json=admin_body, headers=admin_h)
    api(
        "POST",
        "/admin/mandates",
        json={**admin_body, "grantor_account_id": 2**31 - 1},
        headers=admin_h,
    )
    api("POST", "/admin/mandates", json=admin_body, headers=son_h)


def test_entitlement_facts_sequences_answer_declared_statuses(app, factories):
    api = Checked(app)
    me = factories.citizen(employment="employed")
    other = factories.citizen()
    member_id = factories.member(me, "parent", "张父", date(1960, 2, 1))
    h, other_h = factories.token(api.client, me), factories.token(api.client, other)
    fact = "/me/facts/{subject}/{key}"
    for subject, key, value in [
        ("self", "only_child", True),
        ("self", "only_child", "maybe"),
        ("self", "only_child", 7),
        ("self", "no_such_fact", True),
        ("self", "housing", "renting"),
        ("self", "housing", ["renting", "neither"]),
        ("self", "school_stage", "compulsory"),
        (f"household-{member_id}", "disability_certificate", False),
        (f"household-{member_id}", "only_child", True),
        ("household-999999", "only_child", True),
        ("enterprise-1", "vat_taxpayer", "general"),
        ("nobody", "only_child", True),
    ]:
        path = fact.replace("{subject}", subject).replace("{key}", key)
        api("PUT", fact, path, json={"value": value}, headers=h)
        api("PUT", fact, path, json={"value": value}, headers=other_h)
        api("DELETE", fact, path, headers=h)
        api("DELETE", fact, path, headers=h)
    api("GET", "/me/facts", headers=h)
    api("GET", "/me/entitlements", headers=h)
    code = make_credit_code("92440101MA5ABCDE1")
    owner = factories.business(credit_code=code, established_on=date(2022, 3, 1))
    oh = factories.token(api.client, owner)
    ent = "/enterprises/{credit_code}/facts/{key}"
    for key, value in [
        ("vat_taxpayer", "small_scale"),
        ("vat_taxpayer", 3),
        ("headcount", -1),
        ("x", 1),
    ]:
        path = ent.replace("{credit_code}", code).replace("{key}", key)
        api("PUT", ent, path, json={"value": value}, headers=oh)
        api("PUT", ent, path, json={"value": value}, headers=h)
        api("DELETE", ent, path, headers=oh)
        api("DELETE", ent, path, headers=oh)
    listing = "/enterprises/{credit_code}/entitlements"
    api("GET", listing, listing.replace("{credit_code}", code), headers=oh)
    api("GET", listing, listing.replace("{credit_code}", code), headers=h)


def test_enterprise_claims_and_members_answer_declared_statuses(app, factories):
    api = Checked(app)
    code = make_credit_code("91440101MA5ABCDE1")
    owner = factories.business(credit_code=code, established_on=date(2022, 3, 1))
    oh = factories.token(api.client, owner)
    someone = factories.account("business")
    sh = factories.token(api.client, someone)
    body = {
        "credit_code": code,
        "name": "某公司",
        "established_on": "2022-03-01",
        "region_code": "440106",
    }
    claim = api("POST", "/enterprises", json=body, headers=sh)  # a code someone holds
    api("POST", "/enterprises", json=body, headers=sh)  # the same claim again
    fresh = {**body, "credit_code": make_credit_code("91440101MA5FGHKL1")}
    assert api("POST", "/enterprises", json=fresh, headers=sh).status_code == 202
    api("POST", "/enterprises", json=fresh, headers=sh)
    api("POST", "/enterprises", json={**fresh, "credit_code": "91440101MA5FGHKL10"}, headers=sh)
    api("GET", "/enterprises/claims", headers=sh)
    claims = api.client.get("/api/v1/enterprises/claims", headers=sh).json["items"]
    one = "/enterprises/claims/{claim_id}"
    for c in claims:
        api("DELETE", one, one.replace("{claim_id}", str(c["id"])), headers=oh)
        api("DELETE", one, one.replace("{claim_id}", str(c["id"])), headers=sh)
        api("DELETE", one, one.replace("{claim_id}", str(c["id"])), headers=sh)
    assert claim.status_code in (202, 409)
    inv = "/enterprises/{credit_code}/invitations"
    at = inv.replace("{credit_code}", code)
    made = api("POST", inv, at, json={"role": "manager", "note": "财务"}, headers=oh).json
    api("POST", inv, at, json={"role": "staff"}, headers=sh)
    api("GET", inv, at, headers=oh)
    api("GET", inv, at, headers=sh)
    accept = "/enterprise-invitations/accept"
    api("POST", accept, json={"code": "wrong"}, headers=sh)
    api("POST", accept, json={"code": made["code"]}, headers=oh)  # already a member
    api("POST", accept, json={"code": made["code"]}, headers=sh)
    api("POST", accept, json={"code": made["code"]}, headers=sh)  # used
    members = "/enterprises/{credit_code}/members"
    listed = api("GET", members, members.replace("{credit_code}", code), headers=oh).json
    api(
        "GET",
        members,
        members.replace("{credit_code}", code),
        headers=factories.token(api.client, factories.citizen()),
    )
    member = "/enterprises/{credit_code}/members/{membership_id}"
    for m in listed["items"]:
        path = member.replace("{credit_code}", code).replace("{membership_id}", str(m["id"]))
        api("PATCH", member, path, json={"role": "staff"}, headers=sh)
        api("PATCH", member, path, json={"role": "staff"}, headers=oh)
        api("DELETE", member, path, headers=sh)
        api("DELETE", member, path, headers=oh)
    leave = "/enterprises/{credit_code}/membership"
    api("DELETE", leave, leave.replace("{credit_code}", code), headers=oh)
    api("DELETE", leave, leave.replace("{credit_code}", code), headers=sh)
    api("DELETE", leave, leave.replace("{credit_code}", code), headers=sh)
    gone = "/enterprises/{credit_code}/invitations/{invitation_id}"
    path = gone.replace("{credit_code}", code).replace("{invitation_id}", str(made["id"]))
    api("DELETE", gone, path, headers=oh)
    api("DELETE", gone, path, headers=oh)
    admin_h = factories.token(api.client, factories.account("admin"))
    api("GET", "/admin/enterprise-claims", headers=admin_h)
    decision = "/admin/enterprise-claims/{claim_id}/decision"
    review = {"decision": "approve", "evidence": "营业执照原件", "purpose": "认领审核"}
    for c in claims:
        path = decision.replace("{claim_id}", str(c["id"]))
        api("POST", decision, path, json=review, headers=admin_h)
        api("POST", decision, path, json=review, headers=admin_h)
    statuses = {status for _m, _t, status in api.seen}
    assert {200, 201, 202, 204, 403, 404, 409} <= statuses, statuses


def test_holidays_answer_declared_statuses(app, factories):
    api = Checked(app)
    admin_h = factories.token(api.client, factories.account("admin"))
    one = "/admin/holidays/{year}"
    body = {"source": "国务院办公厅通知", "holidays": ["2027-01-01"], "workdays": []}
    for year in ("2027", "1999", "3000", "0"):
        api("GET", one, one.replace("{year}", year), headers=admin_h)
        api("PUT", one, one.replace("{year}", year), json=body, headers=admin_h)
    api(
        "PUT",
        one,
        "/admin/holidays/2027",
        json={**body, "holidays": ["2028-01-01"]},
        headers=admin_h,
    )
    api(
        "PUT",
        one,
        "/admin/holidays/2027",
        json={**body, "workdays": ["2027-01-01"]},
        headers=admin_h,
    )


def test_ids_beyond_the_database_range_are_refused(app, factories):
    """An id or version above 2³¹ − 1 is a 422, never an overflow in the database (500)."""
    api = Checked(app)
    admin_h = factories.token(api.client, factories.account("admin"))
    huge = 2**40
    response = api("POST", "/admin/rules/rollback", json={"version": huge}, headers=admin_h)
    assert response.status_code == 422
    body = {"user_id": huge, "purpose": "检查推荐"}
    assert api("POST", "/admin/rules/preview", json=body, headers=admin_h).status_code == 422
