"""Several dispatchers: a long dispatch run leases each batch from the moment it claims it.

Found under load (bench/check_deploy.py on the 100k population): a run that delivers a
backlog for longer than the lease used to lease every batch from the run's start, so later
batches were claimable by the other dispatchers at once (e-mails could go out twice).
"""

from __future__ import annotations

from datetime import timedelta

from tests.webapp.reminders.test_reminders import (
    NOW,
    clear_duties,
    make_duty,
    rows,
    run_dispatch,
    run_sweep,
)
from webapp.reminders.dispatch import DispatchConfig


def test_each_batch_is_leased_from_its_own_claim(app, factories, monkeypatch):
    from webapp.reminders import dispatch

    account = factories.citizen()
    clear_duties(app, account)
    for _ in range(3):
        make_duty(app, account)
    assert run_sweep(app).inserted == 3

    ticks = iter([0.0, 0.0, 400.0, 800.0, 1200.0])  # the run's start, then each batch
    monkeypatch.setattr(dispatch, "monotonic", lambda: next(ticks))
    claimed_at = []
    real_claim = dispatch.claim

    def spy(session, token, now, batch, lease_seconds, **kwargs):
        claimed_at.append(now)
        return real_claim(session, token, now, batch, lease_seconds, **kwargs)

    monkeypatch.setattr(dispatch, "claim", spy)
    report = run_dispatch(app, cfg=DispatchConfig(batch=1, lease_seconds=300))

    assert claimed_at[:3] == [NOW, NOW + timedelta(seconds=400), NOW + timedelta(seconds=800)]
    assert report.claimed == 3
    assert [n.status for n in rows(app, channel="inbox")] == ["sent"] * 3
