"""Family reminders as real notifications: the sweep queues one reminder per duty per person
who asked (inbox, and e-mail under that person's consent, budget and quiet hours); done by
anyone closes it for all; a revocation, an expiry or a share turned off stops pending rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.webapp.family.conftest import TODAY, grant
from tests.webapp.family.test_shared import _spouses
from tests.webapp.reminders.test_reminders import (
    clear_duties,
    enable_email,
    inbox_count,
    make_duty,
    rows,
    run_dispatch,
    run_sweep,
    smtp,  # noqa: F401  (fixture)
)

# 10:00 in Shanghai on TODAY: outside the default quiet hours.
NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)


def _fathers_duty(app, family) -> int:
    clear_duties(app, family.father)
    return make_duty(app, family.father, due_date=TODAY + timedelta(days=30))


def _queued(app, duty_id):
    return sorted((n.account_id, n.channel, n.status) for n in rows(app, duty_id=duty_id))


def test_the_reminders_scope_queues_one_reminder_per_person(app, client, family):
    duty_id = _fathers_duty(app, family)
    grant(client, family, ["view", "reminders"])
    grant(client, family, ["reminders"])  # granting again does not double it
    run_sweep(app, today=TODAY, now=NOW)
    assert run_sweep(app, today=TODAY, now=NOW).inserted == 0  # idempotent
    assert _queued(app, duty_id) == sorted(
        [(family.father.id, "inbox", "pending"), (family.son.id, "inbox", "pending")]
    )
    run_dispatch(app, now=NOW, today=TODAY)
    assert inbox_count(app, family.father.id) == 1
    assert _inbox_duties(app, family.son.id).count(duty_id) == 1


def _inbox_duties(app, account_id) -> list[int]:
    from sqlalchemy import select

    from webapp.core.db import db
    from webapp.models import InboxItem

    with app.app_context():
        return list(
            db.session.scalars(select(InboxItem.duty_id).where(InboxItem.account_id == account_id))
        )


def test_without_a_mandate_nothing_is_queued_for_the_son(app, client, family):
    duty_id = _fathers_duty(app, family)
    grant(client, family, ["view"])  # view alone brings no reminders
    run_sweep(app, today=TODAY, now=NOW)
    assert [a for a, _c, _s in _queued(app, duty_id)] == [family.father.id]


def test_email_follows_the_recipients_own_consent_and_quiet_hours(app, client, family, smtp):  # noqa: F811
    duty_id = _fathers_duty(app, family)
    grant(client, family, ["reminders"])
    enable_email(app, family.son)
    run_sweep(app, today=TODAY, now=NOW)
    assert (family.son.id, "email", "pending") in _queued(app, duty_id)
    assert (family.father.id, "email", "pending") not in _queued(app, duty_id)
    night = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)  # 23:00 in Shanghai
    report = run_dispatch(app, now=night, today=TODAY)
    assert report.outcomes.get("deferred") and smtp.messages == []
    run_dispatch(app, now=NOW + timedelta(days=1), today=TODAY + timedelta(days=1))
    assert family.son.email in [m["To"] for m in smtp.messages]
    assert family.father.email not in [m["To"] for m in smtp.messages]


def test_done_by_the_owner_closes_it_for_the_holder(app, client, family):
    duty_id = _fathers_duty(app, family)
    grant(client, family, ["reminders"])
    run_sweep(app, today=TODAY, now=NOW)
    done = client.post(f"/api/v1/me/duties/{duty_id}/done", headers=family.father_h)
    assert done.status_code in (200, 204), done.json
    run_dispatch(app, now=NOW, today=TODAY)
    assert duty_id not in _inbox_duties(app, family.son.id)
    assert {s for _a, _c, s in _queued(app, duty_id)} == {"expired"}


def test_revoking_stops_pending_reminders_at_once(app, client, family):
    duty_id = _fathers_duty(app, family)
    mandate_id = grant(client, family, ["reminders"])
    run_sweep(app, today=TODAY, now=NOW)
    client.delete(f"/api/v1/me/mandates/{mandate_id}", headers=family.father_h)
    assert (family.son.id, "inbox", "cancelled") in _queued(app, duty_id)
    run_dispatch(app, now=NOW, today=TODAY)
    assert duty_id not in _inbox_duties(app, family.son.id)
    assert inbox_count(app, family.father.id) == 1


def test_an_expired_mandate_is_not_delivered(app, client, family):
    duty_id = _fathers_duty(app, family)
    grant(client, family, ["reminders"], valid_until=TODAY)
    run_sweep(app, today=TODAY, now=NOW)
    tomorrow = TODAY + timedelta(days=1)
    run_dispatch(app, now=NOW + timedelta(days=1), today=tomorrow)
    assert duty_id not in _inbox_duties(app, family.son.id)
    assert (family.son.id, "inbox", "cancelled") in _queued(app, duty_id)


def test_spouses_share_the_childs_reminder_and_one_done_closes_both(app, client, factories):
    husband, wife, h_h, w_h = _spouses(client, factories)
    body = {"spouse_account_id": husband.id, "share": True}
    assert client.put("/api/v1/me/reminder-shares", json=body, headers=w_h).status_code == 204
    run_sweep(app, today=TODAY, now=NOW)
    shared = {n.duty_id for n in rows(app) if n.account_id == wife.id} & {
        n.duty_id for n in rows(app) if n.account_id == husband.id
    }
    assert shared, "the wife is reminded of the child's duties"
    duty_id = min(shared)
    assert sorted(n.account_id for n in rows(app, duty_id=duty_id, channel="inbox")) == sorted(
        [husband.id, wife.id]
    )
    done = client.post(f"/api/v1/me/family-reminders/{duty_id}/done", headers=w_h)
    assert done.status_code == 204
    run_dispatch(app, now=NOW, today=TODAY)
    assert {n.status for n in rows(app, duty_id=duty_id)} == {"expired"}


def test_turning_the_share_off_cancels_the_spouses_pending_rows(app, client, factories):
    husband, wife, h_h, w_h = _spouses(client, factories)
    body = {"spouse_account_id": husband.id, "share": True}
    client.put("/api/v1/me/reminder-shares", json=body, headers=w_h)
    run_sweep(app, today=TODAY, now=NOW)
    client.put("/api/v1/me/reminder-shares", json={**body, "share": False}, headers=w_h)
    run_dispatch(app, now=NOW, today=TODAY)
    husbands = {n.duty_id for n in rows(app) if n.account_id == husband.id}
    childs = [n for n in rows(app) if n.account_id == wife.id and n.duty_id in husbands]
    assert childs and {n.status for n in childs} == {"cancelled"}
    assert not set(_inbox_duties(app, wife.id)) & husbands
