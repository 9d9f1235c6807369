"""Admins edit how a service is done — channel, online application address, office, fee —
in the console and the API; bad values are refused with a message and write nothing; each
edit is audited; the service page shows the result."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from webapp.models import AuditEntry, Service

CODE = "hukou_birth_registration"
URL = f"/api/v1/admin/services/{CODE}"


@pytest.fixture
def restore(client, factories, admin):
    """The catalog is shared by the session's tests: put the delivery back afterwards."""
    headers = factories.token(client, admin)
    before = client.get(URL, headers=headers).json
    yield headers
    body = {k: before[k] for k in ("channel", "apply_url", "office", "fee")}
    assert client.put(f"{URL}/delivery", json=body, headers=headers).status_code == 200


def _delivery(app) -> tuple:
    """The stored delivery fields (a short session of its own: a session held open for the
    whole test would share ``g`` with the test client's requests)."""
    from webapp.core.db import db

    with app.app_context():
        session = db.new_session()
        try:
            row = session.scalar(select(Service).where(Service.code == CODE))
            return (row.delivery, row.apply_url, row.office, row.fee, row.updated_at)
        finally:
            session.close()


def _last_audit(app) -> AuditEntry:
    from webapp.core.db import db

    with app.app_context():
        session = db.new_session()
        try:
            return session.scalars(
                select(AuditEntry).where(AuditEntry.target_id == CODE).order_by(AuditEntry.id)
            ).all()[-1]
        finally:
            session.close()


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _form(admin_client) -> dict:
    """The edit form's current values, as the browser would send them back."""
    html = admin_client.get(f"/admin/catalog/services/{CODE}").text
    data = {"csrf_token": _csrf(html)}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html):
        data[name] = value.replace("&amp;", "&").replace("&#34;", '"').replace("&#39;", "'")
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[name] = body.replace("&amp;", "&")
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', options)
        data[name] = chosen.group(1) if chosen else ""
    data["life_events"] = re.findall(
        r'name="life_events" value="([^"]+)"[^>]*checked', html
    ) or re.findall(r'value="([^"]+)"[^>]*name="life_events"[^>]*checked', html)
    data.pop("active", None)
    if re.search(r'name="active"[^>]*checked', html):
        data["active"] = "on"
    return data


def test_the_console_edits_delivery_and_the_service_page_shows_it(
    app, admin_client, client, restore
):
    form = _form(admin_client)
    assert "channel" in form and "apply_url" in form and "fee_zh_Hans" in form
    data = {
        **form,
        "channel": "both",
        "apply_url": "https://zwfw.example.gov.cn/hukou/apply",
        "office_zh_Hans": "户籍派出所，工作日 9:00–17:00",
        "office_en": "The local police station, weekdays 9:00–17:00",
        "office_zh_Hant": "",  # empty: converted from 简体
        "fee_zh_Hans": "工本费 10 元",
        "fee_zh_Hant": "",
        "fee_en": "10 yuan",
    }
    saved = admin_client.post(f"/admin/catalog/services/{CODE}", data=data)
    assert saved.status_code == 302, saved.text[:2000]
    delivery, apply_url, _office, fee, _at = _delivery(app)
    assert delivery == "both" and apply_url.endswith("/hukou/apply")
    assert fee == {"zh_Hans": "工本费 10 元", "zh_Hant": "工本費 10 元", "en": "10 yuan"}
    entry = _last_audit(app)
    assert entry.action == "service.update"
    assert entry.after["apply_url"] == "https://zwfw.example.gov.cn/hukou/apply"
    assert entry.after["fee"]["en"] == "10 yuan"
    page = client.get(f"/services/{CODE}", headers={"Accept-Language": "zh-CN"}).text
    assert "https://zwfw.example.gov.cn/hukou/apply" in page
    assert "户籍派出所，工作日 9:00–17:00" in page and "工本费 10 元" in page
    again = admin_client.get(f"/admin/catalog/services/{CODE}").text
    assert 'value="https://zwfw.example.gov.cn/hukou/apply"' in again


@pytest.mark.parametrize(
    ("changes", "error_field"),
    [
        ({"apply_url": "javascript:alert(1)"}, "apply_url"),
        ({"apply_url": "ftp://files.example/x"}, "apply_url"),
        ({"apply_url": "http://plain.example/x"}, "apply_url"),
        ({"apply_url": "https://x.example/" + "a" * 500}, "apply_url"),
        ({"office_zh_Hans": "派出所\n二楼"}, "office_zh_Hans"),
        ({"office_en": "Police\x07station"}, None),  # refused for every form (400)
        ({"fee_zh_Hans": "免费" * 120}, "fee_zh_Hans"),
        ({"fee_zh_Hans": "免费", "fee_en": ""}, "fee_en"),  # 简体 without English
        ({"channel": "by_post"}, "channel"),
    ],
)
def test_the_console_refuses_bad_delivery_values(app, admin_client, changes, error_field):
    before = _delivery(app)
    form = _form(admin_client)
    bad = admin_client.post(f"/admin/catalog/services/{CODE}", data={**form, **changes})
    if error_field is None:
        assert bad.status_code == 400
    else:
        assert bad.status_code == 422
        assert f'id="f-{error_field}-error"' in bad.text
    assert _delivery(app) == before


def test_the_api_reads_and_sets_delivery_audited(app, client, restore):
    headers = restore
    body = {
        "channel": "in_person",
        "apply_url": "https://zwfw.example.gov.cn/apply",
        "office": None,
        "fee": {"zh_Hans": "免费", "en": "Free"},
    }
    done = client.put(f"{URL}/delivery", json=body, headers=headers)
    assert done.status_code == 200, done.json
    assert done.json["delivery"] == "in_person" and done.json["channel"] == "in_person"
    assert done.json["fee"] == {"zh_Hans": "免费", "zh_Hant": "免費", "en": "Free"}
    assert client.get(URL, headers=headers).json == done.json
    public = client.get(f"/api/v1/services/{CODE}").json
    assert public["delivery"] == "in_person" and public["apply_url"] == body["apply_url"]
    page = client.get(f"/services/{CODE}", headers={"Accept-Language": "en"}).text
    assert "In person" in page and "Free" in page
    online = client.put(f"{URL}/delivery", json={**body, "channel": "both"}, headers=headers)
    assert online.json["channel"] == "both"
    page = client.get(f"/services/{CODE}", headers={"Accept-Language": "en"}).text
    assert "https://zwfw.example.gov.cn/apply" in page
    entry = _last_audit(app)
    assert entry.action == "service.update" and entry.after["channel"] == "both"
    assert entry.before["channel"] == "in_person"
    # Empty channel: what the online level (4) implies.
    implied = client.put(f"{URL}/delivery", json={"channel": ""}, headers=headers)
    assert implied.status_code == 200 and implied.json["channel"] == ""
    assert implied.json["delivery"] == "online"
    assert implied.json["apply_url"] is None and implied.json["fee"] is None


@pytest.mark.parametrize(
    "body",
    [
        {"apply_url": "javascript:alert(1)"},
        {"apply_url": "http://plain.example/x"},
        {"apply_url": "https://x.example/a\u2028b"},
        {"channel": "fax"},
        {"office": {"zh_Hans": "派出所"}},
        {"office": {"zh_Hans": "派出\r\n所", "en": "Police"}},
        {"fee": {"zh_Hans": "免费", "en": "x" * 400}},
        {"fee": "免费"},
        {"unknown": 1},
    ],
)
def test_the_api_refuses_bad_delivery_and_writes_nothing(client, factories, admin, body):
    headers = factories.token(client, admin)
    before = client.get(URL, headers=headers).json
    response = client.put(f"{URL}/delivery", json=body, headers=headers)
    assert response.status_code in (400, 422) and "error" in response.json
    assert client.get(URL, headers=headers).json == before


def test_only_admins_and_only_known_services(client, factories):
    citizen_h = factories.token(client, factories.citizen())
    assert client.get(URL, headers=citizen_h).status_code == 403
    put = client.put(f"{URL}/delivery", json={"channel": "online"}, headers=citizen_h)
    assert put.status_code == 403
    admin_h = factories.token(client, factories.account(role="admin"))
    assert client.get("/api/v1/admin/services/nope", headers=admin_h).status_code == 404
    missing = client.put(
        "/api/v1/admin/services/nope/delivery", json={"channel": "online"}, headers=admin_h
    )
    assert missing.status_code == 404
