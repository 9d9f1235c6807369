"""What is due: duties computed from the profile, household and enterprises, stored, shown
on the page and through the API, and changed by the user."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

TODAY = date(2026, 11, 26)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("webapp.core.clock.local_today", lambda: TODAY)


def add_months(d: date, n: int) -> date:
    """Independent of lifecycle.dates: the same day n months on (all test days exist)."""
    y, m = divmod(d.month - 1 + n, 12)
    return d.replace(year=d.year + y, month=m + 1)


PROFILE = {
    "birth_date": date(1988, 6, 18),
    "gender": "male",
    "retirement_category": "male",
    "employment": "employed",
    "id_card": {"issued_on": "2015-03-10"},
    "driver_license": {"issued_on": "2021-08-20", "expires_on": "2027-08-20"},
}
CHILD_BIRTH = date(2021, 5, 1)


@pytest.fixture
def family(factories):
    """A citizen with the profile above and a child, 小明."""
    account = factories.citizen(**PROFILE)
    child_id = factories.member(account, "child", "小明", CHILD_BIRTH)
    return account, child_id


def api_duties(client, headers, query="status=all&lang=en"):
    response = client.get(f"/api/v1/me/duties?{query}", headers=headers)
    assert response.status_code == 200, response.json
    return {(d["subject"]["kind"], d["rule"], d["occurrence"]): d for d in response.json["items"]}


def rows(app):
    """The stored duties, read in a short app context of their own (a long-lived one would
    be shared by the test client's requests, and with it ``g`` and the logged-in user)."""
    from webapp.core.db import db
    from webapp.models import Duty

    with app.app_context():
        session = db.new_session()
        try:
            return {
                (d.subject_kind, d.subject_id, d.rule, d.occurrence): d
                for d in session.scalars(select(Duty))
            }
        finally:
            session.close()


def test_citizen_sees_duties_with_dates_and_legal_basis(app, factories, family):
    account, child_id = family
    client = app.test_client()
    headers = factories.token(client, account)
    items = api_duties(client, headers)

    # ID card issued at 26 → valid 20 years (居民身份证法第五条); renew in the 3 months before.
    expiry = date(2035, 3, 10)
    card = items[("self", "id_card_renewal", f"renewal-{expiry}")]
    assert card["due_date"] == expiry.isoformat()
    assert card["window_start"] == add_months(expiry, -3).isoformat() == "2034-12-10"
    assert "第五条" in card["legal_basis"]
    assert card["service_code"] == "id_card_renewal"
    assert card["status"] == "open"

    licence = items[("self", "driver_license_renewal", "renewal-2027-08-20")]
    assert licence["window_start"] == (date(2027, 8, 20) - timedelta(days=90)).isoformat()

    # A man born June 1988: 60 years + the full 36 months' delay → 63.
    retirement = items[("self", "retirement", "retirement")]
    assert retirement["due_date"] == "2051-06-18"
    assert retirement["window_start"] == "2051-03-18"
    assert "延迟法定退休年龄" in retirement["legal_basis"]

    iit = items[("self", "iit_reconciliation", "2026")]
    assert (iit["window_start"], iit["due_date"]) == ("2027-03-01", "2027-06-30")

    # The child is 6 by 31 August 2027 → primary school in September 2027.
    school = items[("household", "school_enrollment_primary", "2027")]
    assert school["subject"] == {"kind": "household", "id": child_id, "name": "小明"}
    assert school["due_date"] == "2027-06-30"
    assert "义务教育法" in school["legal_basis"]
    dose = items[("household", "immunization", "DTaP-5")]
    assert dose["window_start"] == add_months(CHILD_BIRTH, 72).isoformat()
    assert "小明" in dose["title"] and dose["explanation"]

    due = [d["due_date"] for d in items.values()]
    response = client.get("/api/v1/me/duties?status=all", headers=headers)
    assert [d["due_date"] for d in response.json["items"]] == sorted(due)

    # The page: grouped by subject, each duty with its window, law and service link.
    factories.login(client, account)
    page = client.get("/me/duties/?status=all&period=all").get_data(as_text=True)
    assert "小明" in page
    assert "《中华人民共和国居民身份证法》第五条" in page
    assert "2035年3月10日" in page and "2034年12月10日" in page
    assert 'href="/services/id_card_renewal"' in page
    assert f'action="/me/duties/{card["id"]}/done"' in page
    grouped = client.get("/me/duties/?status=all&period=all&view=groups").get_data(as_text=True)
    assert grouped.index("居民身份证换领") < grouped.index("小明的")  # "me" comes first
    client.post("/language", data={"locale": "en", "next": "/"})
    page = client.get("/me/duties/?status=all&period=all").get_data(as_text=True)
    assert (
        "Mar 10, 2035" in page
        and 'First resident ID card for <span lang="zh-Hans">小明</span>' in page
    )


def test_page_filters_by_status_and_period(app, factories, family):
    account, _child = family
    client = app.test_client()
    items = api_duties(client, factories.token(client, account))
    insurance = items[("household", "resident_medical_insurance", "2027")]  # due 31 Dec 2026
    card = items[("self", "id_card_renewal", "renewal-2035-03-10")]
    factories.login(client, account)

    def shown(query):
        page = client.get(f"/me/duties/?{query}").get_data(as_text=True)
        return {d["id"] for d in items.values() if f'id="duty-{d["id"]}"' in page}

    assert shown("period=30") == set()  # open, due in the next 30 days: nothing yet
    assert shown("") == shown("period=year")  # the default: the coming year
    assert insurance["id"] in shown("period=year") and card["id"] not in shown("period=year")
    assert card["id"] in shown("period=all")
    client.post(f"/me/duties/{card['id']}/done")
    assert shown("status=done&period=all") == {card["id"]}
    assert card["id"] not in shown("status=open&period=all")
    assert len(shown("status=all&period=all")) == len(items)
    assert client.get("/me/duties/?status=bogus&period=zz").status_code == 200


def test_enterprise_member_sees_enterprise_duties(app, factories):
    from webapp.core.db import db
    from webapp.enterprise import services as enterprises
    from webapp.enterprise.schemas import PermitIn

    owner = factories.business()
    with app.app_context(), db.transaction() as session:
        ent, _m = enterprises.get_for_member(session, session.merge(owner), owner.credit_code)
        enterprises.add_permit(
            session,
            ent,
            PermitIn(kind="food_business_license", number="JY14401040001", expires_on="2027-06-30"),
        )
    client = app.test_client()
    headers = factories.token(client, owner)
    items = api_duties(client, headers)
    report = items[("enterprise", "annual_report", "2026")]
    assert (report["window_start"], report["due_date"]) == ("2027-01-01", "2027-06-30")
    assert "企业信息公示暂行条例" in report["legal_basis"]
    assert report["subject"]["kind"] == "enterprise"
    vat = items[("enterprise", "vat_declaration", "2026-11")]
    assert vat["due_date"] == "2026-12-15"  # a Tuesday, no holiday
    assert ("enterprise", "eit_prepayment", "2026-11") in items
    assert items[("enterprise", "eit_annual", "2026")]["due_date"] == "2027-05-31"
    permit = next(d for k, d in items.items() if k[1] == "permit_renewal")
    assert permit["service_code"] == "food_business_license_renewal"
    assert permit["window_start"] < permit["due_date"] < "2027-06-30"
    assert "食品经营许可和备案管理办法" in permit["legal_basis"]

    by_code = client.get(f"/api/v1/enterprises/{owner.credit_code}/duties", headers=headers)
    assert by_code.status_code == 200
    assert {d["rule"] for d in by_code.json["items"]} >= {
        "annual_report",
        "vat_declaration",
        "eit_prepayment",
        "eit_annual",
        "permit_renewal",
    }
    factories.login(client, owner)
    page = client.get("/me/duties/?period=year").get_data(as_text=True)
    assert "增值税申报" in page and "食品经营许可证延续" in page


def test_sync_twice_changes_nothing(app, factories, family):
    from webapp.core.db import db
    from webapp.duties import sync as duty_sync

    account, _child = family
    factories.business()

    def snapshot():
        return {
            key: (d.id, d.window_start, d.due_date, d.title, d.status, d.updated_at)
            for key, d in rows(app).items()
        }

    before = snapshot()
    assert before
    with app.app_context(), db.transaction() as session:
        first = duty_sync.sync_all(session)
        again = duty_sync.sync_account(session, account.id)
    assert first.inserted == first.updated == first.retired == 0
    assert again.unchanged > 0 and again.inserted == again.updated == again.retired == 0
    assert snapshot() == before


def test_changing_the_childs_birth_date_moves_duties_and_keeps_statuses(app, factories, family):
    from webapp.core.db import db
    from webapp.people import services as profiles
    from webapp.people.household_schemas import HouseholdIn

    account, child_id = family
    client = app.test_client()
    headers = factories.token(client, account)
    items = api_duties(client, headers)
    dose = items[("household", "immunization", "DTaP-5")]
    school = items[("household", "school_enrollment_primary", "2027")]
    assert client.post(f"/api/v1/me/duties/{dose['id']}/done", headers=headers).status_code == 200
    snoozed = client.post(
        f"/api/v1/me/duties/{school['id']}/snooze", json={"until": "2027-01-10"}, headers=headers
    )
    assert snoozed.json["status"] == "snoozed"

    # Born 15 September instead: not 6 by 31 August 2027, so school starts in 2028.
    new_birth = date(2021, 9, 15)
    with app.app_context(), db.transaction() as session:
        profiles.update_member(
            session,
            session.merge(account),
            child_id,
            HouseholdIn(relation="child", name="小明", birth_date=new_birth, guardian_consent=True),
        )
    items = api_duties(client, headers)
    moved = items[("household", "immunization", "DTaP-5")]
    assert moved["id"] == dose["id"]
    assert moved["window_start"] == add_months(new_birth, 72).isoformat()
    assert moved["status"] == "done"  # the user's status stays
    assert ("household", "school_enrollment_primary", "2027") not in items
    assert items[("household", "school_enrollment_primary", "2028")]["status"] == "open"
    stored = rows(app)
    assert stored[("household", child_id, "school_enrollment_primary", "2027")].status == "retired"
    assert client.post(f"/api/v1/me/duties/{school['id']}/done", headers=headers).status_code == 404

    # Back to the old date: the retired duty is reopened, not duplicated.
    with app.app_context(), db.transaction() as session:
        profiles.update_member(
            session,
            session.merge(account),
            child_id,
            HouseholdIn(
                relation="child", name="小明", birth_date=CHILD_BIRTH, guardian_consent=True
            ),
        )
    items = api_duties(client, headers)
    back = items[("household", "school_enrollment_primary", "2027")]
    assert back["id"] == school["id"] and back["status"] == "open"
    assert items[("household", "immunization", "DTaP-5")]["status"] == "done"


def test_a_duty_that_no_longer_applies_is_retired(app, factories, family):
    from webapp.core.db import db
    from webapp.people import services as profiles
    from webapp.people.schemas import ProfileIn

    account, _child = family
    data = dict(PROFILE, driver_license={"issued_on": "2021-08-20", "expires_on": "2031-08-20"})
    data.pop("id_card")
    with app.app_context(), db.transaction() as session:
        profiles.replace_profile(session, session.merge(account), ProfileIn.model_validate(data))
    stored = rows(app)
    assert stored[("self", account.id, "driver_license_renewal", "renewal-2027-08-20")].status == (
        "retired"
    )
    assert stored[("self", account.id, "id_card_renewal", "renewal-2035-03-10")].status == "retired"
    client = app.test_client()
    items = api_duties(client, factories.token(client, account))
    assert ("self", "driver_license_renewal", "renewal-2031-08-20") in items
    assert not any(k[1] == "id_card_renewal" for k in items)
    assert ("self", "id_card_first", "first") not in items  # an adult: no first application


def test_done_snooze_dismiss_reopen_through_the_page(app, factories, family):
    from webapp.models import Interaction

    account, _child = family
    client = app.test_client()
    items = api_duties(client, factories.token(client, account))
    card = items[("self", "id_card_renewal", "renewal-2035-03-10")]["id"]
    licence = items[("self", "driver_license_renewal", "renewal-2027-08-20")]["id"]
    iit = items[("self", "iit_reconciliation", "2026")]["id"]
    factories.login(client, account)

    response = client.post(f"/me/duties/{card}/done", data={"status": "all", "period": "all"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/me/duties/?status=all&period=all#duty-{card}")
    response = client.post(f"/me/duties/{licence}/snooze", data={"until": "2027-06-01"})
    assert response.status_code == 302
    assert client.post(f"/me/duties/{iit}/dismiss").status_code == 302
    stored = {d.id: d for d in rows(app).values()}
    assert stored[card].status == "done" and stored[card].status_changed_at is not None
    assert (stored[licence].status, stored[licence].snoozed_until) == ("snoozed", date(2027, 6, 1))
    assert stored[iit].status == "dismissed"
    from webapp.core.db import db

    with app.app_context():
        interactions = list(db.session.scalars(select(Interaction)))
        assert [(i.kind, i.source, i.account_id) for i in interactions] == [
            ("complete", "duty", account.id)
        ]

    open_page = client.get("/me/duties/?period=all").get_data(as_text=True)
    assert f'id="duty-{card}"' not in open_page and f'id="duty-{licence}"' not in open_page
    done_page = client.get("/me/duties/?status=done&period=all").get_data(as_text=True)
    assert f'action="/me/duties/{card}/reopen"' in done_page
    all_page = client.get("/me/duties/?status=all&period=all").get_data(as_text=True)
    assert "2027年6月1日" in all_page  # snoozed until

    assert client.post(f"/me/duties/{iit}/reopen").status_code == 302
    assert client.post(f"/me/duties/{card}/reopen").status_code == 302
    stored = {d.id: d for d in rows(app).values()}
    assert stored[iit].status == stored[card].status == "open"


def test_a_snoozed_duty_is_open_again_on_its_date(app, factories, family, monkeypatch):
    account, _child = family
    client = app.test_client()
    headers = factories.token(client, account)
    duty = api_duties(client, headers)[("self", "iit_reconciliation", "2026")]
    client.post(
        f"/api/v1/me/duties/{duty['id']}/snooze", json={"until": "2026-12-05"}, headers=headers
    )
    assert ("self", "iit_reconciliation", "2026") not in api_duties(client, headers, "status=open")
    monkeypatch.setattr("webapp.core.clock.local_today", lambda: date(2026, 12, 5))
    woke = api_duties(client, headers, "status=open")[("self", "iit_reconciliation", "2026")]
    assert woke["status"] == "open" and woke["snoozed_until"] is None


def test_done_snooze_dismiss_reopen_through_the_api(app, factories, family):
    account, _child = family
    client = app.test_client()
    headers = factories.token(client, account)
    duty = api_duties(client, headers)[("self", "retirement", "retirement")]
    url = f"/api/v1/me/duties/{duty['id']}"
    assert client.post(f"{url}/done", headers=headers).json["status"] == "done"
    assert client.post(f"{url}/reopen", headers=headers).json["status"] == "open"
    snoozed = client.post(f"{url}/snooze", json={"until": "2027-01-01"}, headers=headers).json
    assert (snoozed["status"], snoozed["snoozed_until"]) == ("snoozed", "2027-01-01")
    assert client.post(f"{url}/dismiss", headers=headers).json["status"] == "dismissed"
    listed = api_duties(client, headers, "status=dismissed")
    assert list(listed) == [("self", "retirement", "retirement")]
    ranged = api_duties(client, headers, "from=2027-01-01&to=2027-12-31&status=open")
    assert ranged and all("2027-01-01" <= d["due_date"] <= "2027-12-31" for d in ranged.values())
    bad = client.get("/api/v1/me/duties?status=nope", headers=headers)
    assert bad.status_code == 422 and bad.json["error"]["code"] == "validation_error"
    assert (
        client.get("/api/v1/me/duties?from=2027-02-01&to=2027-01-01", headers=headers).status_code
        == 422
    )
    assert client.get("/api/v1/me/duties?colour=red", headers=headers).status_code == 422
    assert client.get("/api/v1/me/duties").status_code == 401


def test_bad_snooze_dates_are_refused_and_nothing_is_written(app, factories, family):
    account, _child = family
    client = app.test_client()
    headers = factories.token(client, account)
    duty = api_duties(client, headers)[("self", "driver_license_renewal", "renewal-2027-08-20")]
    url = f"/api/v1/me/duties/{duty['id']}/snooze"
    for body, status in (
        ({"until": TODAY.isoformat()}, 400),  # not after today
        ({"until": "2025-01-01"}, 400),
        ({"until": "2028-08-21"}, 400),  # more than a year after the due date
        ({"until": "tomorrow"}, 422),
        ({}, 422),
        ({"until": "2027-01-01", "status": "done"}, 422),  # no mass assignment
    ):
        response = client.post(url, json=body, headers=headers)
        assert response.status_code == status, body
        assert response.json["error"]["code"]
    factories.login(client, account)
    for until in ("2020-01-01", "not a date", ""):
        response = client.post(f"/me/duties/{duty['id']}/snooze", data={"until": until})
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert 'aria-invalid="true"' in page and f'id="snooze-{duty["id"]}-error"' in page
    stored = {d.id: d for d in rows(app).values()}[duty["id"]]
    assert (stored.status, stored.snoozed_until, stored.status_changed_at) == ("open", None, None)


def test_another_user_gets_404_on_every_duty_route(app, factories, family):
    account, _child = family
    owner_client = app.test_client()
    ids = [
        d["id"] for d in api_duties(owner_client, factories.token(owner_client, account)).values()
    ]
    biz = factories.business()
    with_biz = app.test_client()
    biz_duty = api_duties(with_biz, factories.token(with_biz, biz))
    ids.append(next(iter(biz_duty.values()))["id"])

    stranger = factories.citizen()
    client = app.test_client()
    headers = factories.token(client, stranger)
    factories.login(client, stranger)
    assert api_duties(client, headers) == {} or all(
        d["id"] not in ids for d in api_duties(client, headers).values()
    )
    assert f'id="duty-{ids[0]}"' not in client.get("/me/duties/?status=all&period=all").get_data(
        as_text=True
    )
    for duty_id in (*ids[:3], ids[-1], 999999):
        for action in ("done", "dismiss", "reopen"):
            assert (
                client.post(f"/api/v1/me/duties/{duty_id}/{action}", headers=headers).status_code
                == 404
            )
            assert client.post(f"/me/duties/{duty_id}/{action}").status_code == 404
        snooze = client.post(
            f"/api/v1/me/duties/{duty_id}/snooze", json={"until": "2027-01-01"}, headers=headers
        )
        assert snooze.status_code == 404
        assert (
            client.post(f"/me/duties/{duty_id}/snooze", data={"until": "2027-01-01"}).status_code
            == 404
        )
    other = client.get(f"/api/v1/enterprises/{biz.credit_code}/duties", headers=headers)
    assert other.status_code == 404 and other.json["error"]["code"] == "not_found"
    # Nothing changed for the owners.
    assert all(
        d["status"] == "open"
        for d in api_duties(owner_client, factories.token(owner_client, account)).values()
    )


def test_pages_need_a_login(client):
    response = client.get("/me/duties/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.post("/me/duties/1/done").status_code in (302, 400)


def test_household_duties_follow_the_household_consent(app, factories, family):
    from webapp.core.db import db
    from webapp.privacy import consents

    account, child_id = family
    client = app.test_client()
    headers = factories.token(client, account)
    child_duty = api_duties(client, headers)[("household", "immunization", "DTaP-5")]
    with app.app_context(), db.transaction() as session:
        consents.set_consents(session, account.id, {"household_data": False})
    items = api_duties(client, headers)
    assert not any(k[0] == "household" for k in items) and items
    stored = rows(app)
    assert {d.status for k, d in stored.items() if k[0] == "household"} == {"retired"}
    assert (
        client.post(f"/api/v1/me/duties/{child_duty['id']}/done", headers=headers).status_code
        == 404
    )
    factories.login(client, account)
    assert "小明" not in client.get("/me/duties/?status=all&period=all").get_data(as_text=True)

    with app.app_context(), db.transaction() as session:
        consents.set_consents(session, account.id, {"household_data": True})
    again = api_duties(client, headers)[("household", "immunization", "DTaP-5")]
    assert again["id"] == child_duty["id"] and again["status"] == "open"


def test_removing_a_household_member_removes_their_duties(app, factories, family):
    account, child_id = family
    client = app.test_client()
    factories.login(client, account)
    assert client.post(f"/settings/household/{child_id}/delete").status_code == 302
    assert not [k for k in rows(app) if k[0] == "household"]


def test_due_soon_for_the_personal_page(app, factories, family):
    from webapp.core.db import db
    from webapp.duties import services as duties

    account, _child = family
    with app.app_context():
        soon = duties.due_soon(db.session, db.session.merge(account), TODAY, days=60, limit=5)
        # The child's insurance payment and the employee's December deduction confirmation.
        assert sorted(d.rule for d in soon) == [
            "iit_deduction_confirmation",
            "resident_medical_insurance",
        ]
        assert {d.due_date for d in soon} == {date(2026, 12, 31)}
        later = duties.due_soon(db.session, db.session.merge(account), TODAY, days=400, limit=3)
        assert len(later) == 3
        assert [d.due_date for d in later] == sorted(d.due_date for d in later)


def test_local_windows_and_tax_overrides_from_the_database(app, factories, family):
    from webapp.core.db import db
    from webapp.core.service_errors import ServiceError
    from webapp.duties import params as lifecycle_params
    from webapp.duties import sync as duty_sync

    account, _child = family
    biz = factories.business()
    with app.test_request_context(), db.transaction() as session:
        lifecycle_params.set_local_window(session, "school_registration", "4401", (4, 15), (5, 20))
        lifecycle_params.set_tax_override(session, 2026, 12, date(2026, 12, 22), "published")
        for bad in (
            lambda: lifecycle_params.set_local_window(
                session, "school_registration", "44", (2, 30), (5, 1)
            ),
            lambda: lifecycle_params.set_local_window(session, "nope", "", (1, 1), (2, 1)),
            lambda: lifecycle_params.set_tax_override(session, 2026, 12, date(2027, 1, 5)),
        ):
            with pytest.raises(ServiceError):
                bad()
        params = lifecycle_params.current_params(session)
        assert params.tax_overrides[(2026, 12)] == date(2026, 12, 22)
        duty_sync.sync_all(session)
    client = app.test_client()
    school = api_duties(client, factories.token(client, account))[
        ("household", "school_enrollment_primary", "2027")
    ]
    assert (school["window_start"], school["due_date"]) == ("2027-04-15", "2027-05-20")
    vat = api_duties(client, factories.token(client, biz))[
        ("enterprise", "vat_declaration", "2026-11")
    ]
    assert vat["due_date"] == "2026-12-22"


def test_enterprise_tax_period_and_permits_in_settings(app, factories):
    biz = factories.business()
    client = app.test_client()
    factories.login(client, biz)
    code = biz.credit_code
    response = client.post(
        f"/settings/enterprises/{code}/permits",
        data={"kind": "food_business_license", "number": "JY1", "expires_on": "2028-03-31"},
    )
    assert response.status_code == 302
    headers = factories.token(client, biz)
    assert any(k[1] == "permit_renewal" for k in api_duties(client, headers))
    assert (
        client.post(
            f"/settings/enterprises/{code}/tax-period", data={"taxpayer_period": "quarterly"}
        ).status_code
        == 302
    )
    items = api_duties(client, headers)
    assert ("enterprise", "vat_declaration", "2026-Q4") in items
    assert ("enterprise", "vat_declaration", "2026-11") not in items
    page = client.get("/settings/enterprises").get_data(as_text=True)
    assert 'value="quarterly" selected' in page
    assert (
        client.post(
            f"/settings/enterprises/{code}/tax-period", data={"taxpayer_period": "yearly"}
        ).status_code
        == 302
    )  # refused with a message, nothing changed
    assert ("enterprise", "vat_declaration", "2026-Q4") in api_duties(client, headers)

    from webapp.core.db import db
    from webapp.models import Permit

    with app.app_context():
        permit_id = db.session.scalar(select(Permit.id))
    stranger = factories.business()
    other = app.test_client()
    factories.login(other, stranger)
    assert other.post(f"/settings/enterprises/{code}/permits/{permit_id}/delete").status_code == 404
    assert (
        other.post(
            f"/settings/enterprises/{code}/tax-period", data={"taxpayer_period": "monthly"}
        ).status_code
        == 404
    )
    assert (
        client.post(f"/settings/enterprises/{code}/permits/{permit_id}/delete").status_code == 302
    )
    assert not any(k[1] == "permit_renewal" for k in api_duties(client, headers))


def test_cli_sync(app, factories, family):
    account, _child = family
    runner = app.test_cli_runner()
    result = runner.invoke(args=["duties", "sync", "--all"])
    assert result.exit_code == 0, result.output
    assert "0 inserted" in result.output and "0 retired" in result.output
    result = runner.invoke(args=["duties", "sync", "--account", account.email.upper()])
    assert result.exit_code == 0 and "unchanged" in result.output
    assert runner.invoke(args=["duties", "sync", "--account", "nobody@example.test"]).exit_code != 0
    assert runner.invoke(args=["duties", "sync"]).exit_code != 0


def test_overdue_duties_stay_open_and_the_horizon_rolls_forward(app, factories):
    from webapp.core.db import db
    from webapp.duties import sync as duty_sync
    from webapp.models import Enterprise

    biz = factories.business()
    with app.app_context():
        ent_id = db.session.scalar(
            select(Enterprise.id).where(Enterprise.credit_code == biz.credit_code)
        )

    def vat():
        return {k[3]: d for k, d in rows(app).items() if k[2] == "vat_declaration"}

    assert max(vat()) == "2027-11"
    later = date(2026, 12, 20)  # November's VAT (due 15 December) is now overdue
    with app.app_context(), db.transaction() as session:
        report = duty_sync.sync_enterprise(session, ent_id, today=later)
    assert report.retired == 0 and report.inserted > 0
    assert vat()["2026-11"].status == "open"
    assert max(vat()) == "2027-12"  # the 13-month horizon moved on
    with app.app_context(), db.transaction() as session:
        again = duty_sync.sync_enterprise(session, ent_id, today=later)
    assert again.inserted == again.updated == again.retired == 0

    # More than a year overdue: no longer listed as open.
    with app.app_context(), db.transaction() as session:
        duty_sync.sync_enterprise(session, ent_id, today=date(2028, 1, 10))
    assert vat()["2026-11"].status == "retired"


def test_long_permit_numbers_fit_the_occurrence_column(app, factories):
    from webapp.core.db import db
    from webapp.duties import sync as duty_sync
    from webapp.enterprise import services as enterprises
    from webapp.enterprise.schemas import PermitIn

    biz = factories.business()
    number = "JY" + "9" * 58
    with app.app_context(), db.transaction() as session:
        ent, _m = enterprises.get_for_member(session, session.merge(biz), biz.credit_code)
        enterprises.add_permit(
            session,
            ent,
            PermitIn(kind="food_business_license", number=number, expires_on="2028-01-31"),
        )
        ent_id = ent.id
    permits = [k for k in rows(app) if k[2] == "permit_renewal"]
    assert len(permits) == 1 and len(permits[0][3]) <= 40
    with app.app_context(), db.transaction() as session:
        report = duty_sync.sync_enterprise(session, ent_id)
    assert report.inserted == report.retired == 0
