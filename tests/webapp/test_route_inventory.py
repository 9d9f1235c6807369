"""Every route is accounted for: public, or covered by a test that another user gets nothing.

``test_every_route_is_listed`` walks ``app.url_map`` and fails for a route that is neither in
``PUBLIC`` (with the reason it is public) nor in ``COVERED`` (mapped to the test that checks
another user's access). A new route that returns personal or enterprise data therefore fails
CI until it is listed here with a wrong-user test. The three generic tests below exercise
every route of their group, so listing a route under one of them *is* adding it to the test:

- ``test_admin_routes_refuse_everyone_else``: admin routes answer 403 to citizens and
  business users (HTML and API);
- ``test_object_routes_refuse_another_user``: routes naming another user's object (household
  member, duty, inbox item, enterprise, permit) answer 404/403 to a different user and leave
  the object unchanged;
- ``test_caller_routes_show_only_the_callers_data``: routes about the caller (``/me``,
  settings, privacy centre…) never show another user's data.
"""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.webapp.family.wrong_user import FAMILY_ROUTES, check_family_routes
from webapp.core.db import db
from webapp.models import Duty, HouseholdMember, InboxItem, Permit

ADMIN = "test_admin_routes_refuse_everyone_else"
OBJECT = "test_object_routes_refuse_another_user"
CALLER = "test_caller_routes_show_only_the_callers_data"
FAMILY = "test_family_routes_refuse_another_user"

PUBLIC = {
    "/": "home page, no personal data",
    "/login": "log-in form",
    "/signup": "sign-up form",
    "/logout": "ends the caller's own session",
    "/language": "language choice of the caller's session",
    "/healthz": "health report without personal data",
    "/static/<path:filename>": "static files",
    "/services/": "public service catalog",
    "/services/<code>": "public service catalog",
    "/services/bundles/<code>": "public service catalog",
    "/services/departments/<code>": "public service catalog",
    "/services/life-events/<key>": "public service catalog",
    "/api/v1/openapi.json": "API description",
    "/api/v1/services": "public service catalog",
    "/api/v1/services/<code>": "public service catalog",
    "/api/v1/life-events": "public life-event taxonomy",
    "/api/v1/accounts": "sign-up",
    "/api/v1/tokens": "log-in; answers only with the credentials' own token",
    "/api/v1/tokens/current": "revokes the token that is sent",
    "/calendar/<token>.ics": "capability URL: a secret token; unknown token → 404 "
    "(test_privacy::test_delete_erases_personal_data_and_keeps_a_pseudonymous_audit_trail)",
    "/unsubscribe/<token>": "capability URL: a secret signed token; unknown token → 404",
    "/verify/<token>": "capability URL: a signed single-use token from the e-mail; "
    "invalid → 400 (accounts/test_recovery.py)",
    "/verify/resend": "mails the caller's own address",
    "/password/forgot": "mails the address typed, if it has an account; same answer either way",
    "/password/reset/<token>": "capability URL: a signed single-use token from the e-mail",
    "/api/v1/accounts/verification": "takes a signed single-use token; answers nothing",
    "/api/v1/accounts/verification/resend": "mails the caller's own address",
    "/api/v1/password-reset": "mails the address sent, if it has an account; always 202",
    "/api/v1/password-reset/confirm": "takes a signed single-use token; answers nothing",
}

# Routes naming an object that belongs to someone: how to call them as another user.
OBJECT_CALLS: dict[str, list[tuple[str, dict | None]]] = {
    "/api/v1/me/household/<int:member_id>": [
        ("GET", None),
        (
            "PUT",
            {
                "relation": "child",
                "name": "冒名",
                "birth_date": "2015-01-01",
                "gender": "male",
                "guardian_consent": True,
            },
        ),
        ("DELETE", None),
    ],
    "/settings/household/<int:member_id>": [
        ("GET", None),
        (
            "POST",
            {
                "relation": "child",
                "name": "冒名",
                "birth_date": "2015-01-01",
                "gender": "male",
                "guardian_consent": "on",
            },
        ),
    ],
    "/settings/household/<int:member_id>/delete": [("POST", {})],
    "/api/v1/me/household/<int:member_id>/death": [
        ("PUT", {"deceased_on": "2020-01-01"}),
        ("DELETE", None),
    ],
    "/settings/household/<int:member_id>/death": [("POST", {"deceased_on": "2020-01-01"})],
    "/settings/household/<int:member_id>/death/undo": [("POST", {})],
    "/api/v1/me/duties/<int:duty_id>/done": [("POST", None)],
    "/api/v1/me/duties/<int:duty_id>/dismiss": [("POST", None)],
    "/api/v1/me/duties/<int:duty_id>/reopen": [("POST", None)],
    "/api/v1/me/duties/<int:duty_id>/snooze": [("POST", {"until": "2099-01-01"})],
    "/me/duties/<int:duty_id>/done": [("POST", {})],
    "/me/duties/<int:duty_id>/dismiss": [("POST", {})],
    "/me/duties/<int:duty_id>/reopen": [("POST", {})],
    "/me/duties/<int:duty_id>/snooze": [("POST", {"until": "2099-01-01"})],
    "/api/v1/me/inbox/<int:item_id>/read": [("POST", None)],
    "/inbox/<int:item_id>/read": [("POST", {})],
    "/api/v1/enterprises/<credit_code>": [("GET", None)],
    "/api/v1/enterprises/<credit_code>/duties": [("GET", None)],
    "/api/v1/enterprises/<credit_code>/recommendations": [("GET", None)],
    "/enterprises/<credit_code>": [("GET", None)],
    "/settings/enterprises/<credit_code>/permits": [
        ("POST", {"kind": "other", "number": "X-1", "issued_on": "2024-01-01"})
    ],
    "/settings/enterprises/<credit_code>/permits/<int:permit_id>/delete": [("POST", {})],
    "/settings/enterprises/<credit_code>/tax-period": [("POST", {"taxpayer_period": "quarterly"})],
    "/api/v1/enterprises/<credit_code>/entitlements": [("GET", None)],
    "/api/v1/enterprises/<credit_code>/facts/<key>": [
        ("PUT", {"value": "general"}),
        ("DELETE", None),
    ],
    "/enterprises/<credit_code>/entitlements": [
        ("GET", None),
        ("POST", {"key": "vat_taxpayer", "value": "general"}),
    ],
    "/settings/enterprises/claims/<int:claim_id>/withdraw": [("POST", {})],
    "/api/v1/enterprises/claims/<int:claim_id>": [("DELETE", None)],
    "/api/v1/enterprises/<credit_code>/members": [("GET", None)],
    "/api/v1/enterprises/<credit_code>/members/<int:membership_id>": [
        ("PATCH", {"role": "staff"}),
        ("DELETE", None),
    ],
    "/api/v1/enterprises/<credit_code>/membership": [("DELETE", None)],
    "/api/v1/enterprises/<credit_code>/invitations": [("GET", None), ("POST", {"role": "staff"})],
    "/api/v1/enterprises/<credit_code>/invitations/<int:invitation_id>": [("DELETE", None)],
    "/enterprises/<credit_code>/members": [("GET", None)],
    "/enterprises/<credit_code>/invitations": [("POST", {"role": "staff"})],
    "/enterprises/<credit_code>/invitations/<int:invitation_id>/revoke": [("POST", {})],
    "/enterprises/<credit_code>/members/<int:membership_id>/role": [("POST", {"role": "staff"})],
    "/enterprises/<credit_code>/members/<int:membership_id>/remove": [("POST", {})],
    "/api/v1/tokens/<int:token_id>": [("DELETE", None)],
    "/settings/tokens/<int:token_id>/revoke": [("POST", {})],
}

# Routes about the caller themself (no other user's object in the URL).
CALLER_ROUTES = (
    "/api/v1/me",
    "/api/v1/me/access-log",
    "/api/v1/me/bundles/<code>",
    "/api/v1/me/bundles/<code>/steps/<service_code>",
    "/api/v1/me/calendar",
    "/api/v1/me/calendar/rotate",
    "/api/v1/me/consents",
    "/api/v1/me/consents/history",
    "/api/v1/me/duties",
    "/api/v1/me/export",
    "/api/v1/me/hidden",
    "/api/v1/me/hidden/<code>",
    "/api/v1/me/household",
    "/api/v1/me/inbox",
    "/api/v1/me/interactions",
    "/api/v1/me/notification-settings",
    "/api/v1/me/page",
    "/api/v1/me/page/layout",
    "/api/v1/me/pins",
    "/api/v1/me/pins/<code>",
    "/api/v1/me/profile",
    "/api/v1/me/recommendations",
    "/api/v1/me/reminder-leads",
    "/api/v1/me/reminder-leads/<category>",
    "/api/v1/me/tags",
    "/api/v1/me/tags/<key>",
    "/api/v1/me/why/<service_code>",
    "/api/v1/enterprises",
    "/api/v1/enterprises/claims",
    "/api/v1/tokens",
    "/settings/tokens",
    "/api/v1/enterprise-invitations/accept",
    "/enterprises/invitations/accept",
    "/me/",
    "/me/customise",
    "/me/duties/",
    "/me/layout/move",
    "/me/layout/order",
    "/me/layout/reset",
    "/me/layout/settings",
    "/me/layout/visibility",
    "/me/not-relevant",
    "/me/not-relevant/undo",
    "/me/pins",
    "/me/theme",
    "/inbox",
    "/inbox/read-all",
    "/enterprises/",
    "/services/<code>/actions",
    "/services/bundles/<code>/steps/<service_code>",
    "/settings/",
    "/settings/profile",
    "/settings/household",
    "/settings/enterprises",
    "/settings/notifications",
    "/settings/notifications/calendar/rotate",
    "/settings/notifications/leads",
    "/settings/password",
    "/privacy/",
    "/privacy/access-log",
    "/privacy/consents/<purpose>",
    "/privacy/delete",
    "/privacy/export",
    "/privacy/tags",
    "/privacy/why/<service_code>",
    "/api/v1/me/entitlements",
    "/api/v1/me/facts",
    "/api/v1/me/facts/<subject>/<key>",
    "/entitlements",
    "/entitlements/facts",
)

COVERED: dict[str, str] = {
    **dict.fromkeys(OBJECT_CALLS, OBJECT),
    **dict.fromkeys(CALLER_ROUTES, CALLER),
    **dict.fromkeys(FAMILY_ROUTES, FAMILY),
}


def test_family_routes_refuse_another_user(app, factories, client, monkeypatch):
    check_family_routes(app, factories, client, monkeypatch)


def _is_admin(rule: str) -> bool:
    return rule.startswith(("/admin", "/api/v1/admin"))


def _tests_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}


def test_every_route_is_listed(app):
    here = _tests_in(Path(__file__))
    unlisted = []
    for rule in app.url_map.iter_rules():
        if rule.rule in PUBLIC or _is_admin(rule.rule):
            continue
        test = COVERED.get(rule.rule)
        if test is None:
            unlisted.append(rule.rule)
            continue
        assert test in here, f"{rule.rule}: no test named {test}"
    assert not unlisted, (
        "Routes with no wrong-user test (list them in tests/webapp/test_route_inventory.py, "
        f"public ones in PUBLIC with the reason): {sorted(set(unlisted))}"
    )


def test_listed_routes_exist(app):
    served = {rule.rule for rule in app.url_map.iter_rules()}
    stale = (set(PUBLIC) | set(COVERED)) - served
    assert not stale, f"listed but not served (remove them): {sorted(stale)}"


# --- the generic wrong-user tests -------------------------------------------------------------

FILL = {
    "code": "child_immunization",
    "service_code": "child_immunization",
    "key": "age:30-39",
    "purpose": "training_data",
    "path:filename": "css/site.css",
}


def _fill(rule: str, values: dict) -> str:
    def repl(m):
        name = m.group(2)
        return str(values.get(name, values.get(m.group(0)[1:-1], "x")))

    return re.sub(r"<(?:(\w+):)?(\w+)>", repl, rule)


def _call(client, method: str, url: str, body, headers=None):
    if url.startswith("/api/"):
        return client.open(url, method=method, json=body, headers=headers or {})
    return client.open(url, method=method, data=body or {})


@pytest.fixture
def owner(app, factories):
    """Citizen A with a household member, duties and an inbox item; business A with a permit."""
    citizen = factories.citizen(
        full_name="欧阳娜娜",
        id_number="11010519491231002X",
        birth_date=date(1949, 12, 31),
        gender="female",
        retirement_category="female_worker",
    )
    member_id = factories.member(citizen, "child", "欧阳小宝", date(2021, 5, 1))
    business = factories.business(name="欧阳秘密有限公司")
    with app.app_context(), db.transaction() as session:
        duty = session.scalars(
            select(Duty).where(Duty.owner_account_id == citizen.id).order_by(Duty.id)
        ).first()
        item = InboxItem(account_id=citizen.id, title={"zh_Hans": "欧阳提醒"}, body={"en": "x"})
        session.add(item)
        from webapp.models import Enterprise

        ent = session.scalar(
            select(Enterprise).where(Enterprise.credit_code == business.credit_code)
        )
        permit = Permit(enterprise_id=ent.id, kind="other", number="OY-1")
        session.add(permit)
        from webapp.enterprise import claims, members
        from webapp.enterprise.schemas import EnterpriseIn
        from webapp.models import Account, Membership

        acc = session.get(Account, business.id)
        membership = session.scalar(select(Membership).where(Membership.account_id == acc.id))
        invitation = members.invite(session, acc, business.credit_code, "staff").invitation
        claim = claims.claim(
            session,
            acc,
            EnterpriseIn.model_validate(
                {
                    "credit_code": factories.credit_code(),
                    "name": "欧阳另一家公司",
                    "established_on": "2020-01-01",
                    "region_code": "440104",
                }
            ),
        )
        from webapp.accounts import services as account_services

        account_services.issue_api_token(session, session.get(Account, citizen.id))
        session.flush()
        from webapp.models import ApiToken

        token_id = session.scalar(select(ApiToken.id).where(ApiToken.account_id == citizen.id))
        ids = {
            "member_id": member_id,
            "duty_id": duty.id if duty else 999999,
            "item_id": item.id,
            "credit_code": business.credit_code,
            "permit_id": permit.id,
            "membership_id": membership.id,
            "invitation_id": invitation.id,
            "claim_id": claim.id,
            "token_id": token_id,
        }
    return {"citizen": citizen, "business": business, "ids": ids}


def test_admin_routes_refuse_everyone_else(app, factories, citizen, business):
    rules = [r for r in app.url_map.iter_rules() if _is_admin(r.rule)]
    assert rules, "the admin console is not registered"
    for account in (citizen, business):
        browser = app.test_client()
        factories.login(browser, account)
        headers = factories.token(app.test_client(), account)
        for rule in rules:
            url = _fill(rule.rule, {"account_id": 1, "rule_id": 1, "claim_id": 1, "year": 2027})
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = _call(browser, method, url, {}, headers)
                assert response.status_code == 403, (account.role, method, rule.rule)


def test_object_routes_refuse_another_user(app, factories, owner):
    intruders = [factories.citizen(), factories.business()]
    for intruder in intruders:
        browser = app.test_client()
        factories.login(browser, intruder)
        headers = factories.token(app.test_client(), intruder)
        for rule, calls in OBJECT_CALLS.items():
            url = _fill(rule, owner["ids"])
            for method, body in calls:
                response = _call(browser, method, url, body, headers)
                assert response.status_code in (403, 404), (
                    intruder.role,
                    method,
                    url,
                    response.status_code,
                )
    with app.app_context():
        member = db.session.get(HouseholdMember, owner["ids"]["member_id"])
        assert member is not None and member.name == "欧阳小宝"
        duty = db.session.get(Duty, owner["ids"]["duty_id"])
        assert duty is None or duty.status == "open"
        assert db.session.get(InboxItem, owner["ids"]["item_id"]).read_at is None
        assert db.session.get(Permit, owner["ids"]["permit_id"]) is not None
        from webapp.models import EnterpriseClaim, Invitation, Membership

        assert db.session.get(Membership, owner["ids"]["membership_id"]).role == (
            "legal_representative"
        )
        assert db.session.get(Invitation, owner["ids"]["invitation_id"]).revoked_at is None
        assert db.session.get(EnterpriseClaim, owner["ids"]["claim_id"]).status == "pending"
        from webapp.models import ApiToken

        assert db.session.get(ApiToken, owner["ids"]["token_id"]).revoked_at is None


MARKERS = ("欧阳", "11010519491231002X", "11010519491231****")


def test_caller_routes_show_only_the_callers_data(app, factories, owner):
    markers = (
        *MARKERS,
        owner["citizen"].email,
        owner["business"].email,
        owner["ids"]["credit_code"],
    )
    rules = {r.rule: r for r in app.url_map.iter_rules() if r.rule in CALLER_ROUTES}
    for intruder in (factories.citizen(), factories.business()):
        browser = app.test_client()
        factories.login(browser, intruder)
        headers = factories.token(app.test_client(), intruder)
        # Reads first, then the writes (each on the intruder's own data only).
        for reads in (True, False):
            for rule_text, rule in sorted(rules.items()):
                url = _fill(rule_text, FILL)
                for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                    if (method == "GET") != reads:
                        continue
                    response = _call(browser, method, url, {} if method != "GET" else None, headers)
                    assert response.status_code < 500, (method, url, response.status_code)
                    text = response.get_data(as_text=True)
                    for marker in markers:
                        assert marker not in text, (intruder.role, method, url, marker)
    # The markers are really there for their owner (the check above is not vacuous).
    own = app.test_client()
    factories.login(own, owner["citizen"])
    assert "欧阳小宝" in own.get("/privacy/export").get_data(as_text=True)
