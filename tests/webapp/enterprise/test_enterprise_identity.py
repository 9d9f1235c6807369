"""Enterprise identity: claims, the reviewer queue, invitations, roles and throttling."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from webapp.core.db import db


def _body(code: str, name: str = "好味道餐饮有限公司", date: str = "2021-04-16", **extra):
    return {
        "credit_code": code,
        "name": name,
        "established_on": date,
        "region_code": "440104",
        "industry": "catering",
        **extra,
    }


def _registered(app, business):
    """The registered name and date of ``business``'s enterprise (public registry data)."""
    from webapp.models import Enterprise

    with app.app_context():
        e = db.session.scalar(
            select(Enterprise).where(Enterprise.credit_code == business.credit_code)
        )
        return e.name, e.established_on.isoformat(), e.taxpayer_period


def _role(app, factories, owner, role: str):
    """A second account made a member of ``owner``'s enterprise with ``role`` by invitation."""
    from webapp.enterprise import members
    from webapp.models import Account

    account = factories.account("business")
    with app.app_context(), db.transaction() as session:
        me = session.get(Account, owner.id)
        new = members.invite(session, me, owner.credit_code, role)
        members.accept(session, session.get(Account, account.id), new.code)
    account.credit_code = owner.credit_code
    return account


def test_a_stranger_knowing_code_name_and_date_gets_only_a_pending_claim(
    app, client, factories, business
):
    name, date, period = _registered(app, business)
    stranger = factories.account("business")
    headers = factories.token(client, stranger)
    claim = client.post(
        "/api/v1/enterprises", json=_body(business.credit_code, name, date), headers=headers
    )
    assert claim.status_code == 202
    assert claim.json["status"] == "pending"
    assert "permits" not in claim.json and "taxpayer_period" not in claim.json
    # Nothing of the enterprise is readable or changeable.
    assert (
        client.get(f"/api/v1/enterprises/{business.credit_code}", headers=headers).status_code
        == 404
    )
    assert (
        client.get(
            f"/api/v1/enterprises/{business.credit_code}/members", headers=headers
        ).status_code
        == 404
    )
    browser = app.test_client()
    factories.login(browser, stranger)
    assert browser.get(f"/enterprises/{business.credit_code}").status_code == 404
    tax = browser.post(
        f"/settings/enterprises/{business.credit_code}/tax-period",
        data={"taxpayer_period": "quarterly" if period == "monthly" else "monthly"},
    )
    assert tax.status_code == 404
    assert _registered(app, business)[2] == period
    page = browser.get("/settings/enterprises").get_data(as_text=True)
    assert business.credit_code in page and "tax-period" not in page


def test_squatting_does_not_block_the_owner(app, client, factories, admin):
    code = factories.credit_code()
    squatter = factories.account("business")
    owner = factories.account("business")
    first = client.post(
        "/api/v1/enterprises",
        json=_body(code, "抢注的名字"),
        headers=factories.token(client, squatter),
    )
    assert first.status_code == 202
    owner_headers = factories.token(client, owner)
    second = client.post("/api/v1/enterprises", json=_body(code), headers=owner_headers)
    assert second.status_code == 202
    admin_headers = factories.token(client, admin)
    queue = client.get("/api/v1/admin/enterprise-claims", headers=admin_headers).json["items"]
    assert [i["disputed"] for i in queue if i["credit_code"] == code] == [True, True]
    owner_claim = next(i for i in queue if i["account_id"] == owner.id)
    squat_claim = next(i for i in queue if i["account_id"] == squatter.id)
    decision = {"evidence": "营业执照原件与法定代表人身份证已核验", "purpose": "工单 #77 企业认证"}
    ok = client.post(
        f"/api/v1/admin/enterprise-claims/{owner_claim['id']}/decision",
        json={"decision": "approve", **decision},
        headers=admin_headers,
    )
    assert ok.status_code == 204
    client.post(
        f"/api/v1/admin/enterprise-claims/{squat_claim['id']}/decision",
        json={"decision": "reject", **decision},
        headers=admin_headers,
    )
    got = client.get(f"/api/v1/enterprises/{code}", headers=owner_headers)
    assert got.status_code == 200 and got.json["role"] == "legal_representative"
    assert got.json["name"] == "好味道餐饮有限公司"
    assert (
        client.get(
            f"/api/v1/enterprises/{code}", headers=factories.token(client, squatter)
        ).status_code
        == 404
    )
    from webapp.models import AuditEntry

    with app.app_context():
        actions = set(db.session.scalars(select(AuditEntry.action)))
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "enterprise_claim.approve")
        )
    assert {"enterprise_claim.approve", "enterprise_claim.reject"} <= actions
    assert entry.after["evidence"] == decision["evidence"]


def test_review_needs_evidence_and_purpose_in_the_console(app, factories, admin_client):
    code = factories.credit_code()
    claimant = factories.account("business")
    browser = app.test_client()
    factories.login(browser, claimant)
    form = {k: v for k, v in _body(code).items()}
    form.update(size="small", taxpayer_period="monthly", role="legal_representative")
    assert browser.post("/settings/enterprises", data=form).status_code == 302
    assert "等待审核" in browser.get("/settings/enterprises").get_data(as_text=True)
    page = admin_client.get("/admin/enterprise-claims").get_data(as_text=True)
    assert code in page
    from webapp.models import EnterpriseClaim

    with app.app_context():
        claim_id = db.session.scalar(select(EnterpriseClaim.id))
    bad = admin_client.post(
        "/admin/enterprise-claims",
        data={"claim_id": claim_id, "decision": "approve", "evidence": "", "purpose": "x"},
    )
    assert bad.status_code == 422
    assert browser.get(f"/enterprises/{code}").status_code == 404
    good = admin_client.post(
        "/admin/enterprise-claims",
        data={
            "claim_id": claim_id,
            "decision": "approve",
            "role": "manager",
            "evidence": "营业执照与授权委托书已核验",
            "purpose": "企业认证申请",
        },
    )
    assert good.status_code == 302
    assert browser.get(f"/enterprises/{code}").status_code == 200


def test_wrong_details_are_throttled(client, factories, business):
    from webapp.enterprise.claims import FAILURES_PER_ACCOUNT

    name, date, _p = _registered(client.application, business)
    headers = factories.token(client, factories.account("business"))
    for day in range(1, FAILURES_PER_ACCOUNT + 1):
        wrong = client.post(
            "/api/v1/enterprises",
            json=_body(business.credit_code, name, f"2020-01-{day:02d}"),
            headers=headers,
        )
        assert wrong.status_code == 409
    # Even the right date is refused now: guessing stops here.
    blocked = client.post(
        "/api/v1/enterprises", json=_body(business.credit_code, name, date), headers=headers
    )
    assert blocked.status_code == 429


def test_staff_read_but_cannot_edit_or_invite(app, client, factories, business):
    staff = _role(app, factories, business, "staff")
    headers = factories.token(client, staff)
    code = business.credit_code
    assert client.get(f"/api/v1/enterprises/{code}", headers=headers).json["role"] == "staff"
    assert client.get(f"/api/v1/enterprises/{code}/members", headers=headers).status_code == 200
    browser = app.test_client()
    factories.login(browser, staff)
    assert (
        browser.post(
            f"/settings/enterprises/{code}/tax-period", data={"taxpayer_period": "quarterly"}
        ).status_code
        == 403
    )
    assert (
        browser.post(
            f"/settings/enterprises/{code}/permits", data={"kind": "other", "number": "S-1"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/api/v1/enterprises/{code}/invitations", json={"role": "staff"}, headers=headers
        ).status_code
        == 403
    )
    assert _registered(app, business)[2] == "monthly"


def test_manager_edits_permits_and_tax_and_invites_but_cannot_manage_members(
    app, client, factories, business
):
    manager = _role(app, factories, business, "manager")
    code = business.credit_code
    browser = app.test_client()
    factories.login(browser, manager)
    assert (
        browser.post(
            f"/settings/enterprises/{code}/tax-period", data={"taxpayer_period": "quarterly"}
        ).status_code
        == 302
    )
    assert _registered(app, business)[2] == "quarterly"
    headers = factories.token(client, manager)
    assert (
        client.post(
            f"/api/v1/enterprises/{code}/invitations", json={"role": "staff"}, headers=headers
        ).status_code
        == 201
    )
    assert (
        client.post(
            f"/api/v1/enterprises/{code}/invitations",
            json={"role": "legal_representative"},
            headers=headers,
        ).status_code
        == 403
    )
    members = client.get(f"/api/v1/enterprises/{code}/members", headers=headers).json["items"]
    owner_row = next(m for m in members if not m["you"])
    assert (
        client.patch(
            f"/api/v1/enterprises/{code}/members/{owner_row['id']}",
            json={"role": "staff"},
            headers=headers,
        ).status_code
        == 403
    )
    assert (
        client.delete(
            f"/api/v1/enterprises/{code}/members/{owner_row['id']}", headers=headers
        ).status_code
        == 403
    )


def test_legal_representative_manages_members(app, client, factories, business):
    staff = _role(app, factories, business, "staff")
    code = business.credit_code
    headers = factories.token(client, business)
    members = client.get(f"/api/v1/enterprises/{code}/members", headers=headers).json["items"]
    staff_row = next(m for m in members if not m["you"])
    changed = client.patch(
        f"/api/v1/enterprises/{code}/members/{staff_row['id']}",
        json={"role": "manager"},
        headers=headers,
    )
    assert changed.status_code == 200 and changed.json["role"] == "manager"
    assert (
        client.delete(
            f"/api/v1/enterprises/{code}/members/{staff_row['id']}", headers=headers
        ).status_code
        == 204
    )
    assert (
        client.get(
            f"/api/v1/enterprises/{code}", headers=factories.token(client, staff)
        ).status_code
        == 404
    )


def test_the_last_legal_representative_stays(app, client, factories, business):
    code = business.credit_code
    headers = factories.token(client, business)
    me = client.get(f"/api/v1/enterprises/{code}/members", headers=headers).json["items"][0]
    assert (
        client.delete(f"/api/v1/enterprises/{code}/membership", headers=headers).status_code == 409
    )
    assert (
        client.patch(
            f"/api/v1/enterprises/{code}/members/{me['id']}",
            json={"role": "staff"},
            headers=headers,
        ).status_code
        == 409
    )
    # With a second legal representative, the first may leave.
    _role(app, factories, business, "legal_representative")
    assert (
        client.delete(f"/api/v1/enterprises/{code}/membership", headers=headers).status_code == 204
    )
    assert client.get(f"/api/v1/enterprises/{code}", headers=headers).status_code == 404


def test_staff_can_leave(app, client, factories, business):
    staff = _role(app, factories, business, "staff")
    headers = factories.token(client, staff)
    assert (
        client.delete(
            f"/api/v1/enterprises/{business.credit_code}/membership", headers=headers
        ).status_code
        == 204
    )
    assert (
        client.get(f"/api/v1/enterprises/{business.credit_code}", headers=headers).status_code
        == 404
    )


def test_invitation_is_single_use(app, client, factories, business):
    code = business.credit_code
    created = client.post(
        f"/api/v1/enterprises/{code}/invitations",
        json={"role": "manager", "note": "会计"},
        headers=factories.token(client, business),
    )
    assert created.status_code == 201 and created.json["accept_url"].endswith(created.json["code"])
    first = factories.account("business")
    browser = app.test_client()
    factories.login(browser, first)
    assert "invitation" in browser.get(
        f"/enterprises/invitations/accept?code={created.json['code']}"
    ).get_data(as_text=True)
    accepted = browser.post("/enterprises/invitations/accept", data={"code": created.json["code"]})
    assert accepted.status_code == 302
    second = factories.account("business")
    again = client.post(
        "/api/v1/enterprise-invitations/accept",
        json={"code": created.json["code"]},
        headers=factories.token(client, second),
    )
    assert again.status_code == 410
    role = client.get(f"/api/v1/enterprises/{code}", headers=factories.token(client, first)).json[
        "role"
    ]
    assert role == "manager"


def test_invitation_expires_and_can_be_revoked(app, client, factories, business):
    from webapp.models import Invitation

    code = business.credit_code
    owner_headers = factories.token(client, business)
    expiring = client.post(
        f"/api/v1/enterprises/{code}/invitations", json={"role": "staff"}, headers=owner_headers
    ).json
    revoked = client.post(
        f"/api/v1/enterprises/{code}/invitations", json={"role": "staff"}, headers=owner_headers
    ).json
    with app.app_context(), db.transaction() as session:
        row = session.get(Invitation, expiring["id"])
        row.expires_at = row.created_at - timedelta(seconds=1)
    assert (
        client.delete(
            f"/api/v1/enterprises/{code}/invitations/{revoked['id']}", headers=owner_headers
        ).status_code
        == 204
    )
    states = {
        i["id"]: i["state"]
        for i in client.get(f"/api/v1/enterprises/{code}/invitations", headers=owner_headers).json[
            "items"
        ]
    }
    assert states == {expiring["id"]: "expired", revoked["id"]: "revoked"}
    invitee = factories.token(client, factories.account("business"))
    for inv in (expiring, revoked):
        assert (
            client.post(
                "/api/v1/enterprise-invitations/accept", json={"code": inv["code"]}, headers=invitee
            ).status_code
            == 410
        )
    assert (
        client.post(
            "/api/v1/enterprise-invitations/accept", json={"code": "nonsense"}, headers=invitee
        ).status_code
        == 404
    )


def test_invitation_dies_with_the_inviters_role(app, client, factories, business):
    manager = _role(app, factories, business, "manager")
    code = business.credit_code
    inv = client.post(
        f"/api/v1/enterprises/{code}/invitations",
        json={"role": "manager"},
        headers=factories.token(client, manager),
    ).json
    owner_headers = factories.token(client, business)
    row = next(
        m
        for m in client.get(f"/api/v1/enterprises/{code}/members", headers=owner_headers).json[
            "items"
        ]
        if not m["you"]
    )
    client.patch(
        f"/api/v1/enterprises/{code}/members/{row['id']}",
        json={"role": "staff"},
        headers=owner_headers,
    )
    invitee = factories.token(client, factories.account("business"))
    assert (
        client.post(
            "/api/v1/enterprise-invitations/accept", json={"code": inv["code"]}, headers=invitee
        ).status_code
        == 410
    )


def test_members_page_in_the_browser(app, business_client, business):
    page = business_client.get(f"/enterprises/{business.credit_code}/members")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "成员" in html and "邀请" in html
    made = business_client.post(
        f"/enterprises/{business.credit_code}/invitations", data={"role": "staff"}
    )
    assert made.status_code == 302
    html = business_client.get(f"/enterprises/{business.credit_code}/members").get_data(
        as_text=True
    )
    assert "<code>" in html
    # The code is shown once.
    assert "<code>" not in business_client.get(
        f"/enterprises/{business.credit_code}/members"
    ).get_data(as_text=True)


def test_a_claim_can_be_withdrawn(app, client, factories):
    headers = factories.token(client, factories.account("business"))
    claim = client.post(
        "/api/v1/enterprises", json=_body(factories.credit_code()), headers=headers
    ).json
    # Linking again answers with the same open claim.
    again = client.post(
        "/api/v1/enterprises", json=_body(claim["credit_code"]), headers=headers
    ).json
    assert again["id"] == claim["id"]
    assert (
        client.delete(f"/api/v1/enterprises/claims/{claim['id']}", headers=headers).status_code
        == 204
    )
    listed = client.get("/api/v1/enterprises/claims", headers=headers).json["items"]
    assert [c["status"] for c in listed] == ["withdrawn"]
    other = factories.token(client, factories.account("business"))
    assert (
        client.delete(f"/api/v1/enterprises/claims/{claim['id']}", headers=other).status_code == 404
    )


@pytest.mark.skipif(
    not __import__("os").environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="the race needs PostgreSQL",
)
def test_parallel_claims_race_on_postgresql(app, factories):
    """Eight parallel claims of one code (two accounts, four each): one open claim per
    account, both disputed, no member, no error."""
    import threading

    from webapp.enterprise import claims
    from webapp.enterprise.schemas import EnterpriseIn
    from webapp.models import Account, EnterpriseClaim, Membership

    code = factories.credit_code()
    accounts = [factories.account("business"), factories.account("business")]
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def run(account_id: int):
        with app.app_context():
            try:
                barrier.wait()
                with db.transaction() as session:
                    claims.claim(
                        session,
                        session.get(Account, account_id),
                        EnterpriseIn.model_validate(_body(code)),
                    )
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)

    threads = [threading.Thread(target=run, args=(a.id,)) for a in accounts for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with app.app_context():
        rows = db.session.scalars(
            select(EnterpriseClaim).where(EnterpriseClaim.credit_code == code)
        ).all()
        assert sorted(r.account_id for r in rows) == sorted(a.id for a in accounts)
        assert db.session.scalar(select(Membership.id)) is None
        queue = claims.review_queue(db.session)
        assert [i.disputed for i in queue if i.claim.credit_code == code] == [True, True]


@pytest.mark.skipif(
    not __import__("os").environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="the race needs PostgreSQL",
)
def test_two_legal_representatives_leaving_at_once_leave_one(app, factories, business):
    """The enterprise row lock serialises member changes: of two legal representatives who
    leave at the same moment, one stays."""
    import threading

    from webapp.core.service_errors import Conflict
    from webapp.enterprise import members
    from webapp.models import Account, Membership

    second = _role(app, factories, business, "legal_representative")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def run(account_id: int):
        with app.test_request_context():  # the refusal's message is translated
            barrier.wait()
            try:
                with db.transaction() as session:
                    members.leave(session, session.get(Account, account_id), business.credit_code)
                outcomes.append("left")
            except Conflict:
                outcomes.append("refused")

    threads = [threading.Thread(target=run, args=(a.id,)) for a in (business, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["left", "refused"]
    with app.app_context():
        roles = db.session.scalars(select(Membership.role)).all()
    assert roles == ["legal_representative"]


def test_an_invitation_note_with_a_line_break_is_refused(app, client, factories, business):
    """API: 422 naming the field; form: a message; nothing written either way."""
    from webapp.enterprise.models import Invitation

    code = business.credit_code
    response = client.post(
        f"/api/v1/enterprises/{code}/invitations",
        json={"role": "staff", "note": "会计\r\nBcc: x@example.com"},
        headers=factories.token(client, business),
    )
    assert response.status_code == 422 and "note" in response.json["error"]["fields"]
    browser = app.test_client()
    factories.login(browser, business)
    page = browser.post(
        f"/enterprises/{code}/invitations",
        data={"role": "staff", "note": "会计\nBcc: x@example.com"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "one line" in page or "一行" in page
    with app.app_context():
        assert db.session.scalar(select(Invitation)) is None
