"""The corrected duties reach the duties API and page for the cases of the law review."""

from __future__ import annotations

from datetime import date

import pytest

from lifecycle.identifiers import make_credit_code

TODAY = date(2026, 11, 30)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("webapp.core.clock.local_today", lambda: TODAY)


def _duties(client, headers) -> dict:
    response = client.get("/api/v1/me/duties?status=all&lang=en", headers=headers)
    assert response.status_code == 200, response.json
    return {(d["rule"], d["occurrence"]): d for d in response.json["items"]}


def test_overdue_id_card_and_computed_passport_in_api_and_page(app, factories):
    """《居民身份证法》第十一条 (renewal stays open) and 《护照法》第七条 (expiry computed)."""
    account = factories.citizen(
        birth_date=date(1975, 1, 1),
        employment="employed",
        id_card={"issued_on": "2005-09-28"},
        passport={"issued_on": "2020-01-01"},
    )
    client = app.test_client()
    items = _duties(client, factories.token(client, account))
    card = items[("id_card_renewal", "renewal-2025-09-28")]
    assert card["status"] == "open" and card["required"] and not card["advisory"]
    passport = items[("passport_renewal", "renewal-2030-01-01")]
    assert passport["computed_expiry"] and passport["advisory"] and not passport["required"]
    assert ("iit_deduction_confirmation", "2027") in items
    factories.login(client, account)
    html = client.get("/me/duties/?status=all&period=all").get_data(as_text=True)
    assert "2025-09-28" in html
    assert "推算" in html or "computed" in html


def test_employee_aged_16_has_the_income_tax_reconciliation(app, factories):
    """《个人所得税法》第十一条 has no age limit."""
    account = factories.citizen(birth_date=date(2010, 3, 1), employment="employed")
    client = app.test_client()
    items = _duties(client, factories.token(client, account))
    assert ("iit_reconciliation", "2026") in items


def test_individual_business_page_and_api_show_legal_form_and_business_income_tax(app, factories):
    """GB 32100-2015 ``92…`` 个体工商户: 《个人所得税法》第十二条, no enterprise income tax."""
    code = make_credit_code("92440101MA5ABCDE1")
    owner = factories.business(credit_code=code, established_on=date(2022, 3, 1))
    client = app.test_client()
    headers = factories.token(client, owner)
    ent = client.get(f"/api/v1/enterprises/{code}", headers=headers).json
    assert ent["legal_form"]["key"] == "individual_business"
    assert ent["legal_form"]["zh_Hans"] == "个体工商户"
    rules = {
        d["rule"]
        for d in client.get(f"/api/v1/enterprises/{code}/duties", headers=headers).json["items"]
    }
    assert {"iit_business_prepayment", "iit_business_annual"} <= rules
    assert not rules & {"eit_prepayment", "eit_annual"}
    factories.login(client, owner)
    html = client.get(f"/enterprises/{code}").get_data(as_text=True)
    assert "个体工商户" in html


def test_child_card_expired_under_16_is_due_again_at_16_in_api_and_page(app, factories):
    """《居民身份证法》第二条、第十一条第二款: born 2015-10-04, card of 2018-12-27 expired on
    2023-12-27 → renewal optional (advice) now, required on the 16th birthday 2031-10-04."""
    account = factories.citizen()
    child = factories.member(
        account, "child", "小安", date(2015, 10, 4), id_card_issued_on=date(2018, 12, 27)
    )
    client = app.test_client()
    headers = factories.token(client, account)
    member = client.get(f"/api/v1/me/household/{child}", headers=headers).json
    assert member["id_card_issued_on"] == "2018-12-27"
    items = _duties(client, headers)
    required = items[("id_card_renewal", "at16-2031-10-04")]
    assert required["required"] and required["due_date"] == "2031-10-04"
    optional = items[("id_card_renewal", "optional-2023-12-27")]
    assert optional["advisory"] and not optional["required"]
    assert ("id_card_first", "first") not in items
    factories.login(client, account)
    html = client.get("/me/duties/?status=all&period=all").get_data(as_text=True)
    assert "2031" in html and "第十一条第二款" in html and "并非必须" in html


def test_member_card_issued_before_birth_is_refused(app, factories):
    account = factories.citizen()
    client = app.test_client()
    headers = factories.token(client, account)
    body = {
        "relation": "child", "name": "小安", "birth_date": "2015-10-04",
        "id_card_issued_on": "2014-01-01", "guardian_consent": True,
    }  # fmt: skip
    response = client.post("/api/v1/me/household", json=body, headers=headers)
    assert (
        response.status_code == 422
        and "id_card" in str(response.json)
        or (response.status_code == 422)
    )
    assert client.get("/api/v1/me/household", headers=headers).json["items"] == []


def test_computed_passport_expiry_is_not_prefilled_as_entered(app, factories):
    """《护照法》第七条: the API says the expiry is computed; the form leaves it empty."""
    account = factories.citizen(birth_date=date(1990, 1, 1), passport={"issued_on": "2020-01-01"})
    client = app.test_client()
    profile = client.get("/api/v1/me", headers=factories.token(client, account)).json["profile"]
    assert profile["passport"] == {
        "issued_on": "2020-01-01", "expires_on": "2030-01-01", "expiry_computed": True,
    }  # fmt: skip
    factories.login(client, account)
    html = client.get("/settings/profile").get_data(as_text=True)
    assert 'value="2020-01-01"' in html and 'value="2030-01-01"' not in html
