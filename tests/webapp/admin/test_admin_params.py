"""Life-cycle parameters in the console: lead times used by the next sweep, windows, tax."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from webapp.core.clock import local_today, now
from webapp.models import (
    AuditEntry,
    Duty,
    LocalWindow,
    Notification,
    ReminderPolicy,
    TaxDeadlineOverride,
)


def test_changed_lead_time_is_used_by_the_next_sweep(app, factories, admin_client, db_session):
    from webapp.reminders import sweep

    parent = factories.citizen()
    factories.member(parent, "child", "小宝", local_today() - relativedelta(days=3))
    duty = db_session.scalar(
        select(Duty).where(Duty.owner_account_id == parent.id, Duty.rule == "newborn_registration")
    )
    lead = str((duty.due_date - local_today()).days)  # a lead that fires today
    response = admin_client.post(
        "/admin/parameters/leads/newborn_registration",
        data={"leads": f"{lead}, window", "enabled": "on"},
    )
    assert response.status_code == 302
    row = db_session.get(ReminderPolicy, "newborn_registration")
    assert row.leads == ["window", lead] and row.enabled
    sweep(db_session, local_today(), now())
    db_session.commit()
    leads = set(
        db_session.scalars(select(Notification.lead).where(Notification.account_id == parent.id))
    )
    assert lead in leads and lead not in ("14", "7", "1")
    audit = db_session.scalar(
        select(AuditEntry).where(AuditEntry.action == "reminder_policy.update")
    )
    assert audit.before["leads"] == ["window", "14", "7", "1"] and audit.after["leads"] == [
        "window",
        lead,
    ]


def test_bad_leads_are_refused_with_a_message(admin_client, db_session):
    response = admin_client.post(
        "/admin/parameters/leads/newborn_registration", data={"leads": "soon", "enabled": "on"}
    )
    assert response.status_code == 422
    assert 'id="leads-newborn_registration-error"' in response.get_data(as_text=True)
    assert db_session.get(ReminderPolicy, "newborn_registration") is None
    assert admin_client.post("/admin/parameters/leads/nope", data={"leads": "1"}).status_code == 404


def test_windows_and_tax_overrides(admin_client, db_session):
    ok = admin_client.post(
        "/admin/parameters/windows",
        data={
            "kind": "medical_insurance",
            "region_prefix": "44",
            "start_month": "9",
            "start_day": "1",
            "end_month": "12",
            "end_day": "20",
        },  # noqa: E501
    )
    assert ok.status_code == 302
    assert (
        db_session.scalar(select(LocalWindow.end_day).where(LocalWindow.region_prefix == "44"))
        == 20
    )
    bad = admin_client.post(
        "/admin/parameters/windows",
        data={
            "kind": "medical_insurance",
            "region_prefix": "44",
            "start_month": "9",
            "start_day": "1",
            "end_month": "2",
            "end_day": "30",
        },  # noqa: E501
    )
    assert bad.status_code == 422
    tax = admin_client.post(
        "/admin/parameters/tax",
        data={"year": "2027", "month": "1", "due_date": "2027-01-22", "note": "公告"},
    )
    assert tax.status_code == 302
    wrong = admin_client.post(
        "/admin/parameters/tax", data={"year": "2027", "month": "2", "due_date": "2027-03-01"}
    )
    assert wrong.status_code == 422
    rows = list(db_session.scalars(select(TaxDeadlineOverride)))
    assert [(r.year, r.month, r.due_date) for r in rows] == [(2027, 1, date(2027, 1, 22))]
    assert admin_client.post("/admin/parameters/sync").status_code == 302
    actions = set(db_session.scalars(select(AuditEntry.action)))
    assert {"local_window.set", "tax_override.set", "duty_sync.run"} <= actions
