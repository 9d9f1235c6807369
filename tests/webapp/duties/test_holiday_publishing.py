"""An admin publishes a year's holiday arrangement; deadlines move and lose provisional."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

TODAY = date(2026, 11, 30)
SOURCE = "国务院办公厅关于2027年部分节假日安排的通知（测试数据）"
# A 2027 arrangement in the State Council's usual shape (test data, not the real notice).
HOLIDAYS_2027 = [
    "2027-01-01..2027-01-03",
    "2027-02-05..2027-02-12",
    "2027-04-03..2027-04-05",
    "2027-05-01..2027-05-05",
    "2027-06-09..2027-06-11",
    "2027-09-15..2027-09-17",
    "2027-10-01..2027-10-07",
]
WORKDAYS_2027 = ["2027-02-20", "2027-04-25", "2027-09-26", "2027-10-09"]


def _expand(ranges: list[str]) -> list[str]:
    out = []
    for r in ranges:
        first, _, last = r.partition("..")
        d, end = date.fromisoformat(first), date.fromisoformat(last or first)
        while d <= end:
            out.append(d.isoformat())
            d += timedelta(days=1)
    return out


BODY = {"source": SOURCE, "holidays": _expand(HOLIDAYS_2027), "workdays": WORKDAYS_2027}


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("webapp.core.clock.local_today", lambda: TODAY)


@pytest.fixture
def company(app, factories):
    """An enterprise (monthly VAT and EIT) with its duties stored."""
    return factories.business(established_on=date(2020, 5, 1))


def _ent_duties(client, headers, account) -> dict:
    response = client.get(f"/api/v1/enterprises/{account.credit_code}/duties", headers=headers)
    assert response.status_code == 200, response.json
    return {(d["rule"], d["occurrence"]): d for d in response.json["items"]}


def _2027(items: dict, rule: str) -> list[dict]:
    return [d for (r, _o), d in items.items() if r == rule and d["due_date"].startswith("2027")]


def test_publish_2027_via_api_moves_vat_and_eit_and_clears_provisional(
    app, factories, company, admin
):
    """实施细则第一百零九条 with the published arrangement: Spring Festival 5–12 Feb 2027."""
    client = app.test_client()
    biz, adm = factories.token(client, company), factories.token(client, admin)
    before = _ent_duties(client, biz, company)
    assert before[("vat_declaration", "2027-01")]["due_date"] == "2027-02-19"
    assert all(d["provisional"] for d in _2027(before, "vat_declaration"))
    assert all(d["provisional"] for d in _2027(before, "eit_prepayment"))

    got = client.get("/api/v1/admin/holidays/2027", headers=adm).json
    assert got["origin"] == "fallback" and got["provisional"]

    put = client.put("/api/v1/admin/holidays/2027", json=BODY, headers=adm)
    assert put.status_code == 200, put.json
    assert put.json["origin"] == "published" and not put.json["provisional"]
    assert put.json["source"] == SOURCE and put.json["duties_moved"] >= 2

    after = _ent_duties(client, biz, company)
    assert after[("vat_declaration", "2027-01")]["due_date"] == "2027-02-26"
    assert after[("eit_prepayment", "2027-01")]["due_date"] == "2027-02-26"
    for rule in ("vat_declaration", "eit_prepayment"):
        assert _2027(after, rule) and not any(d["provisional"] for d in _2027(after, rule))
    got = client.get("/api/v1/admin/holidays/2027", headers=adm).json
    assert got["origin"] == "published" and got["workdays"] == WORKDAYS_2027
    assert client.get("/api/v1/admin/holidays/2025", headers=adm).json["origin"] == "package"


def test_publishing_is_audited_and_moves_queued_reminders(app, factories, company, admin):
    from webapp.core.db import db
    from webapp.duties.models import Duty
    from webapp.models import AuditEntry, Notification

    client = app.test_client()
    with app.app_context():
        session = db.session
        moving = session.scalar(
            select(Duty).where(Duty.rule == "vat_declaration", Duty.occurrence == "2027-01")
        )
        staying = session.scalar(
            select(Duty).where(Duty.rule == "vat_declaration", Duty.occurrence == "2026-11")
        )
        now = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
        for duty in (moving, staying):
            session.add(
                Notification(
                    duty_id=duty.id, account_id=company.id, channel="inbox", lead="7",
                    status="pending", next_attempt_at=now,
                )
            )  # fmt: skip
        session.commit()
        ids = (moving.id, staying.id)
    response = client.put(
        "/api/v1/admin/holidays/2027", json=BODY, headers=factories.token(client, admin)
    )
    assert response.json["reminders_moved"] == 1
    with app.app_context():
        rows = {n.duty_id: n for n in db.session.scalars(select(Notification))}
        # Due 2027-02-26 now: the 7-day lead fires on 2027-02-19, local midnight.
        assert rows[ids[0]].next_attempt_at == datetime(2027, 2, 18, 16, 0, tzinfo=UTC)
        assert rows[ids[1]].next_attempt_at == datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
        [entry] = db.session.scalars(
            select(AuditEntry).where(AuditEntry.target_type == "holiday_calendar")
        )
        assert entry.action == "holidays.publish" and entry.target_id == "2027"
        assert entry.before is None and entry.after["source"] == SOURCE


def test_publish_via_admin_form(app, factories, company, admin_client):
    page = admin_client.get("/admin/holidays?year=2027")
    assert page.status_code == 200 and "2027" in page.get_data(as_text=True)
    response = admin_client.post(
        "/admin/holidays/2027",
        data={
            "source": SOURCE,
            "holidays": "\n".join(HOLIDAYS_2027),
            "workdays": ", ".join(WORKDAYS_2027),
        },
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and SOURCE in html
    client = app.test_client()
    items = _ent_duties(client, factories.token(client, company), company)
    assert items[("vat_declaration", "2027-01")]["due_date"] == "2027-02-26"
    assert not any(d["provisional"] for d in _2027(items, "vat_declaration"))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"workdays": ["2027-02-22"]}, "workdays"),  # a Monday
        ({"holidays": ["2028-01-01"]}, "holidays"),
        ({"workdays": ["2027-02-06"]}, "workdays"),  # also a day off
    ],
)
def test_bad_calendar_is_refused_and_nothing_written(app, factories, admin, change, field):
    from webapp.core.db import db
    from webapp.models import AuditEntry, PublishedHolidays

    client = app.test_client()
    headers = factories.token(client, admin)
    response = client.put("/api/v1/admin/holidays/2027", json={**BODY, **change}, headers=headers)
    assert response.status_code == 400, response.json
    assert response.json["error"]["field"] == field
    with app.app_context():
        assert db.session.scalar(select(PublishedHolidays)) is None
        assert db.session.scalar(select(AuditEntry)) is None


def test_bad_form_input_shows_a_message(admin_client):
    response = admin_client.post(
        "/admin/holidays/2027", data={"source": SOURCE, "holidays": "2027-13-01", "workdays": ""}
    )
    assert response.status_code == 422
    assert "2027-13-01" in response.get_data(as_text=True)
    assert admin_client.get("/admin/holidays?year=2027").status_code == 200


def test_holidays_are_for_admins_only(app, factories, citizen, citizen_client):
    client = app.test_client()
    headers = factories.token(client, citizen)
    assert client.get("/api/v1/admin/holidays/2027", headers=headers).status_code == 403
    assert client.put("/api/v1/admin/holidays/2027", json=BODY, headers=headers).status_code == 403
    assert client.get("/api/v1/admin/holidays/2027").status_code == 401
    assert citizen_client.get("/admin/holidays").status_code == 403
    assert citizen_client.post("/admin/holidays/2027", data={}).status_code == 403


def test_year_out_of_range_is_404(app, factories, admin, admin_client):
    client = app.test_client()
    headers = factories.token(client, admin)
    assert client.get("/api/v1/admin/holidays/1800", headers=headers).status_code == 404
    assert admin_client.get("/admin/holidays?year=1800").status_code == 404


def test_catalog_load_publishes_holiday_files(app, company, tmp_path):
    """`flask catalog load` reads holidays/<year>.yaml and recomputes the duties."""
    from lifecycle.catalog import DATA_DIR
    from webapp.core.db import db
    from webapp.models import PublishedHolidays

    root = tmp_path / "catalog"
    shutil.copytree(DATA_DIR, root)
    lines = ["year: 2027", f"source: {SOURCE}", "holidays:"]
    lines += [f"  - {d}" for d in BODY["holidays"]] + ["workdays:"]
    lines += [f"  - {d}" for d in WORKDAYS_2027]
    (root / "holidays" / "2027.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["catalog", "load", "--path", str(root)])
    assert result.exit_code == 0, result.output
    assert "holidays 2027: published" in result.output
    with app.app_context():
        row = db.session.get(PublishedHolidays, 2027)
        assert row is not None and row.source == SOURCE
    again = app.test_cli_runner().invoke(args=["catalog", "load", "--path", str(root)])
    assert "holidays 2027: unchanged" in again.output


def test_a_source_with_a_line_break_is_refused_and_nothing_written(app, factories, admin):
    """The notice's name is a single line (it goes into the audit log and the duty's note)."""
    from webapp.core.db import db
    from webapp.models import PublishedHolidays

    client = app.test_client()
    headers = factories.token(client, admin)
    body = {**BODY, "source": "国务院办公厅通知\r\nBcc: x@example.com"}
    response = client.put("/api/v1/admin/holidays/2027", json=body, headers=headers)
    assert response.status_code == 422, response.json
    assert "source" in response.json["error"]["fields"]
    with app.app_context():
        assert db.session.scalar(select(PublishedHolidays)) is None


def test_a_source_with_a_line_break_gets_a_form_message(admin_client):
    response = admin_client.post(
        "/admin/holidays/2027",
        data={
            "source": SOURCE + "\r\nBcc: x@example.com",
            "holidays": "2027-01-01",
            "workdays": "",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'class="error"' in page or "has-error" in page
