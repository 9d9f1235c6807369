"""The sweep: turn duties whose lead times have come into outbox rows, idempotently.

For each distinct lead it runs one indexed range query (``due_date`` for "N days before",
``window_start`` for "window"), so its cost grows with what is due, not with the number
of citizens. Rows are inserted with ``INSERT … ON CONFLICT DO NOTHING`` on
(duty, channel, lead): running it twice, or on two machines at once, creates nothing twice.
For each duty only the most recent lead that has come is reminded; older leads that a
late sweep (or a duty stored late) would find are skipped, never sent in a burst.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, or_, select, text
from sqlalchemy.orm import Session

from webapp import family
from webapp.duties.models import Duty
from webapp.enterprise.models import Membership
from webapp.reminders import lead_choices, policy
from webapp.reminders.models import Notification
from webapp.reminders.sqlutil import id_chunks, in_ids, is_postgres

log = logging.getLogger(__name__)
CHUNK = 900


@dataclass
class SweepReport:
    candidates: int = 0
    inserted: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        channels = ", ".join(f"{k} {v}" for k, v in sorted(self.by_channel.items())) or "none"
        return (
            f"sweep: {self.candidates} duties due a reminder, {self.inserted} new rows "
            f"(attempted: {channels})"
        )


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _live_filter(today: date):
    return or_(
        Duty.status == "open",
        and_(
            Duty.status == "snoozed",
            or_(Duty.snoozed_until.is_(None), Duty.snoozed_until <= today),
        ),
    )


def _candidates(session: Session, table: dict[str, tuple[str, ...]], today: date):
    """duty → {lead: fire date} for leads that have come (within the catch-up)."""
    by_lead: dict[str, list[str]] = {}
    for rule, leads in table.items():
        for lead in leads:
            by_lead.setdefault(lead, []).append(rule)
    cols = (
        Duty.id,
        Duty.rule,
        Duty.subject_kind,
        Duty.subject_id,
        Duty.owner_account_id,
        Duty.enterprise_id,
        Duty.window_start,
        Duty.due_date,
    )
    found: dict[int, tuple] = {}
    leads: dict[int, dict[str, date]] = {}
    for lead, rules in by_lead.items():
        if lead == "window":
            where = and_(
                Duty.window_start >= today - timedelta(days=policy.WINDOW_CATCHUP_DAYS),
                Duty.window_start <= today,
                Duty.due_date >= today,
            )
        else:
            days = int(lead)
            where = and_(
                Duty.due_date >= today + timedelta(days=days - policy.CATCHUP_DAYS),
                Duty.due_date <= today + timedelta(days=days),
                Duty.due_date >= today,
            )
        stmt = select(*cols).where(where, Duty.rule.in_(rules), _live_filter(today))
        for row in session.execute(stmt):
            found[row.id] = row
            leads.setdefault(row.id, {})[lead] = policy.fire_date(
                lead, row.window_start, row.due_date
            )
    return found, leads


def _recipients(session: Session, rows: dict[int, tuple]) -> dict[int, int]:
    """duty → the account reminded: the owner; for an enterprise duty its legal
    representative (or, without one, its first member)."""
    out: dict[int, int] = {}
    enterprise_ids = set()
    for duty_id, row in rows.items():
        if row.subject_kind == "enterprise" or row.owner_account_id is None:
            if row.enterprise_id is not None:
                enterprise_ids.add(row.enterprise_id)
        else:
            out[duty_id] = row.owner_account_id
    responsible: dict[int, int] = {}
    for chunk in id_chunks(session, enterprise_ids):
        stmt = (
            select(Membership.enterprise_id, Membership.account_id, Membership.role)
            .where(in_ids(session, Membership.enterprise_id, chunk))
            .order_by(Membership.enterprise_id, Membership.id)
        )
        ranked: dict[int, tuple[int, int]] = {}
        for enterprise_id, account_id, role in session.execute(stmt):
            rank = {"legal_representative": 0, "manager": 1}.get(role, 2)
            if enterprise_id not in ranked or rank < ranked[enterprise_id][0]:
                ranked[enterprise_id] = (rank, account_id)
        responsible.update({e: a for e, (_, a) in ranked.items()})
    for duty_id, row in rows.items():
        if duty_id not in out and row.enterprise_id in responsible:
            out[duty_id] = responsible[row.enterprise_id]
    return out


def _existing(
    session: Session, duty_ids: list[int], family_of: dict[int, list[int]]
) -> dict[tuple[int, int | None, str], list[str]]:
    """(duty, recipient, channel) → leads queued. The owner's rows are keyed with recipient
    None whoever received them (an enterprise's responsible member may change); a family
    member's rows under their account."""
    out: dict[tuple[int, int | None, str], list[str]] = {}
    for chunk in id_chunks(session, duty_ids):
        stmt = select(
            Notification.duty_id, Notification.account_id, Notification.channel, Notification.lead
        ).where(in_ids(session, Notification.duty_id, chunk))
        for duty_id, account_id, channel, lead in session.execute(stmt):
            who = account_id if account_id in family_of.get(duty_id, ()) else None
            out.setdefault((duty_id, who, channel), []).append(lead)
    return out


PG_INSERT = text(
    """
    INSERT INTO notification
        (duty_id, account_id, channel, lead, status, attempts, next_attempt_at, created_at)
    SELECT d, a, c, l, 'pending', 0, :now, :now
    FROM unnest(CAST(:d AS integer[]), CAST(:a AS integer[]), CAST(:c AS text[]),
                CAST(:l AS text[])) AS t(d, a, c, l)
    ON CONFLICT (duty_id, account_id, channel, lead) DO NOTHING
    RETURNING id
    """
)


def insert_ignore(session: Session, rows: list[dict], now: datetime) -> int:
    """INSERT … ON CONFLICT (duty, recipient, channel, lead) DO NOTHING; returns rows inserted.
    PostgreSQL: one statement over arrays; SQLite: multi-row inserts."""
    if not rows:
        return 0
    if is_postgres(session):
        result = session.execute(
            PG_INSERT,
            {
                "d": [r["duty_id"] for r in rows],
                "a": [r["account_id"] for r in rows],
                "c": [r["channel"] for r in rows],
                "l": [r["lead"] for r in rows],
                "now": now,
            },
        )
        return len(result.all())
    from sqlalchemy.dialects.sqlite import insert

    table = Notification.__table__
    inserted = 0
    for chunk in _chunks(rows, 100):
        values = [
            {**r, "status": "pending", "attempts": 0, "next_attempt_at": now, "created_at": now}
            for r in chunk
        ]
        stmt = (
            insert(table)
            .values(values)
            .on_conflict_do_nothing(index_elements=["duty_id", "account_id", "channel", "lead"])
            .returning(table.c.id)
        )
        inserted += len(session.execute(stmt).all())
    return inserted


def _rows_for(duty_id, row, account_id, who, lead, fired, prefs, existing) -> list[dict]:
    channels = ["inbox"]
    # E-mail goes with a new reminder only: opting in later does not mail the reminders
    # already in the inbox; the next lead comes by e-mail too.
    if prefs[account_id].wants_email(row.rule) and lead not in existing.get(
        (duty_id, who, "inbox"), ()
    ):
        channels.append("email")
    out = []
    for channel in channels:
        done = existing.get((duty_id, who, channel), [])
        if any(
            policy.fire_date(d, row.window_start, row.due_date) >= fired[lead]
            for d in done
            if policy.valid_lead(d)
        ):
            continue
        out.append({"duty_id": duty_id, "account_id": account_id, "channel": channel, "lead": lead})
    return out


def sweep(session: Session, today: date, now: datetime) -> SweepReport:
    """Insert the outbox rows for every lead that has come. The caller commits."""
    table = policy.lead_table(session)
    # Look as far ahead as anyone's own lead time; each duty then keeps its recipient's leads.
    rows, leads = _candidates(session, lead_choices.widened_table(session, table), today)
    report = SweepReport(candidates=len(rows))
    if not rows:
        return report
    recipients = _recipients(session, rows)
    family_of = family.reminder_recipients(
        session,
        {
            d: (r.owner_account_id, r.subject_kind, r.subject_id)
            for d, r in rows.items()
            if r.subject_kind in ("self", "household")
        },
        today,
    )
    everyone = set(recipients.values()) | {a for ids in family_of.values() for a in ids}
    prefs = policy.prefs_for(session, everyone)
    existing = _existing(session, sorted(rows), family_of)
    choices = lead_choices.choices_for(session, everyone)
    new_rows: list[dict] = []
    for duty_id, row in rows.items():
        owner = recipients.get(duty_id)
        if owner is None:
            continue
        # One reminder per duty per person: the owner, and each family member who asked,
        # each at the lead times they chose.
        for who in [None, *family_of.get(duty_id, ())]:
            account_id = who or owner
            allowed = lead_choices.leads_for_account(table, choices, account_id, row.rule)
            fired = {k: v for k, v in leads[duty_id].items() if k in allowed}
            if not fired:
                continue
            # The most recent lead that has come; ties go to the nearer "N days before".
            lead = max(
                fired, key=lambda k: (fired[k], k != "window", -int(k) if k.isdigit() else 0)
            )
            new_rows.extend(_rows_for(duty_id, row, account_id, who, lead, fired, prefs, existing))
    inserted = insert_ignore(session, new_rows, now)
    report.inserted = inserted
    for r in new_rows:
        report.by_channel[r["channel"]] = report.by_channel.get(r["channel"], 0) + 1
    log.info("%s", report)
    return report


def status_counts(session: Session) -> dict[tuple[str, str], int]:
    stmt = select(Notification.status, Notification.channel, func.count()).group_by(
        Notification.status, Notification.channel
    )
    return {(s, c): n for s, c, n in session.execute(stmt)}
