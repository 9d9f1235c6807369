"""The enterprise page: members only, stage, timeline, duties, services, permits, switcher."""

from __future__ import annotations

from datetime import date, timedelta

from webapp.core.clock import local_today


def test_member_sees_the_enterprise_page(business_client, business):
    response = business_client.get(f"/enterprises/{business.credit_code}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert business.credit_code in html
    assert "经营" in html  # the life-cycle stage of an enterprise founded in 2021
    assert 'id="duties-h"' in html and 'id="rec-h"' in html and 'id="members-h"' in html


def test_enterprise_index_redirects_to_the_first_enterprise(business_client, business):
    response = business_client.get("/enterprises/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/enterprises/{business.credit_code}")


def test_enterprise_index_without_enterprise_goes_to_settings(app, factories):
    account = factories.account("business")
    client = app.test_client()
    factories.login(client, account)
    response = client.get("/enterprises/")
    assert response.headers["Location"].endswith("/settings/enterprises")


def test_non_members_and_unknown_codes_get_404(app, factories, business):
    other = factories.business()
    client = app.test_client()
    factories.login(client, other)
    assert client.get(f"/enterprises/{business.credit_code}").status_code == 404
    assert client.get("/enterprises/NOTACODE").status_code == 404
    citizen = factories.citizen()
    factories.login(client, citizen)
    assert client.get(f"/enterprises/{business.credit_code}").status_code == 404


def test_switcher_for_members_of_several_enterprises(app, factories, business):
    from webapp.core.db import db
    from webapp.enterprise import services as enterprises
    from webapp.enterprise.schemas import EnterpriseIn

    second = factories.credit_code()
    with app.app_context(), db.transaction() as session:
        enterprises.register_verified(
            session,
            session.merge(business),
            EnterpriseIn.model_validate(
                {
                    "credit_code": second,
                    "name": "第二家公司",
                    "established_on": date(2025, 1, 6),
                    "industry": "retail",
                    "size": "micro",
                    "region_code": "440104",
                }
            ),
        )
    client = app.test_client()
    factories.login(client, business)
    html = client.get(f"/enterprises/{second}").get_data(as_text=True)
    assert 'aria-label="' in html and f"/enterprises/{business.credit_code}" in html
    assert "第二家公司" in html


def test_enterprise_duties_from_the_duty_table(app, factories, business, db_session):
    from webapp.models import Duty, Enterprise

    enterprise = db_session.query(Enterprise).filter_by(credit_code=business.credit_code).one()
    db_session.add(
        Duty(
            subject_kind="enterprise",
            subject_id=enterprise.id,
            enterprise_id=enterprise.id,
            subject_name=enterprise.name,
            rule="test_rule",
            occurrence="x",
            service_code="enterprise_annual_report",
            title={"zh_Hans": "测试义务年度报告", "en": "Test annual report"},
            explanation={"zh_Hans": "", "en": ""},
            legal_basis="《企业信息公示暂行条例》第八条",
            window_start=local_today(),
            due_date=local_today() + timedelta(days=1),
        )
    )
    db_session.commit()
    client = app.test_client()
    factories.login(client, business)
    html = client.get(f"/enterprises/{business.credit_code}").get_data(as_text=True)
    assert "测试义务年度报告" in html


def test_demo_business_user_sees_the_demo_enterprise(app, client):
    from webapp import demo
    from webapp.core.clock import local_today
    from webapp.core.db import db

    with app.app_context(), db.transaction() as session:
        demo.seed_demo_accounts(session, local_today())
    client.post("/login", data={"email": "business@lifepage.test", "password": demo.DEMO_PASSWORD})
    response = client.get(f"/enterprises/{demo.DEMO_CREDIT_CODE}")
    assert response.status_code == 200
    assert "好味道" in response.get_data(as_text=True)


def test_not_relevant_on_the_enterprise_page(app, factories, business):
    from sqlalchemy import select

    from webapp.models import Enterprise, Interaction

    client = app.test_client()
    factories.login(client, business)
    page_path = f"/enterprises/{business.credit_code}"
    html = client.get(page_path).get_data(as_text=True)
    assert 'name="enterprise"' in html
    import re

    code = re.search(r'name="service_code" value="([a-z_0-9]+)"', html)[1]
    response = client.post(
        "/me/not-relevant",
        data={"service_code": code, "enterprise": business.credit_code, "next": page_path},
    )
    assert response.headers["Location"].endswith(page_path)
    from webapp.core.db import db

    # A separate app context per look at the database: a context kept open across requests
    # would share flask.g (and the logged-in user) between the test clients.
    with app.app_context(), db.transaction() as session:
        enterprise = session.scalar(
            select(Enterprise).where(Enterprise.credit_code == business.credit_code)
        )
        row = session.scalar(select(Interaction).where(Interaction.kind == "dismiss"))
        assert row.enterprise_id == enterprise.id
    html = client.get(page_path).get_data(as_text=True)
    assert f'name="service_code" value="{code}"' not in html
    # Someone else's enterprise: 404, nothing recorded.
    other = factories.business()
    client = app.test_client()
    factories.login(client, other)
    response = client.post(
        "/me/not-relevant", data={"service_code": code, "enterprise": business.credit_code}
    )
    assert response.status_code == 404, response.headers.get("Location")
