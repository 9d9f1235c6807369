"""The admin audit trail: who changed what, when, with the values before and after.

Actors are pseudonyms (``admin-<HMAC(PSEUDONYM_KEY, account id)[:10]>``) so the trail
survives the deletion of an admin's account and does not carry an e-mail address; the key
keeps anyone with the trail but not the key from linking a pseudonym to an account id by
hashing candidate ids. Entries are only
ever added, never edited or deleted here.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.core.model_base import utcnow
from webapp.core.models import AuditEntry

TARGET_TYPES = (
    "rule",
    "rule_version",
    "blend_params",
    "service",
    "department",
    "life_event",
    "bundle",
    "catalog",
    "reminder_policy",
    "local_window",
    "tax_override",
    "holiday_calendar",
    "duty_sync",
    "model_version",
    "citizen",
    "enterprise_claim",
)


def keyed_digest(purpose: str, value: object) -> str:
    """HMAC-SHA256 of ``purpose:value`` with PSEUDONYM_KEY (hex): one definition of how
    pseudonyms are keyed."""
    key = current_app.config["PSEUDONYM_KEY"].encode()
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def pseudonym(account_id: int | None) -> str:
    if account_id is None:
        return "system"
    return f"admin-{keyed_digest('lifepage-admin', account_id)[:10]}"


def _jsonable(value: Any) -> Any:
    if value is None:
        return None
    return json.loads(json.dumps(value, default=_default, ensure_ascii=False))


def _default(value: Any):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (set, tuple)):
        return list(value)
    return str(value)


def record(
    session: Session,
    actor_id: int | None,
    action: str,
    target_type: str,
    target_id: Any = None,
    before: Any = None,
    after: Any = None,
) -> AuditEntry:
    """Add an entry in the caller's transaction (it commits or rolls back with the change)."""
    entry = AuditEntry(
        actor=pseudonym(actor_id),
        action=action[:60],
        target_type=target_type[:40],
        target_id=None if target_id is None else str(target_id)[:80],
        before=_wrap(before),
        after=_wrap(after),
        created_at=utcnow(),
    )
    session.add(entry)
    session.flush()
    return entry


def _wrap(value: Any) -> dict | None:
    value = _jsonable(value)
    if value is None or isinstance(value, dict):
        return value
    return {"value": value}


@dataclass
class AuditFilter:
    actor: str | None = None
    action: str | None = None
    target_type: str | None = None
    date_from: date | None = None
    date_to: date | None = None


def query(session: Session, flt: AuditFilter, limit: int | None = 200) -> list[AuditEntry]:
    stmt = select(AuditEntry)
    if flt.actor:
        stmt = stmt.where(AuditEntry.actor == flt.actor)
    if flt.action:
        stmt = stmt.where(AuditEntry.action.like(f"{flt.action}%"))
    if flt.target_type:
        stmt = stmt.where(AuditEntry.target_type == flt.target_type)
    if flt.date_from:
        stmt = stmt.where(AuditEntry.created_at >= datetime.combine(flt.date_from, time(), UTC))
    if flt.date_to:
        end = datetime.combine(flt.date_to + timedelta(days=1), time(), UTC)
        stmt = stmt.where(AuditEntry.created_at < end)
    stmt = stmt.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    if limit:
        stmt = stmt.limit(limit)
    return list(session.scalars(stmt))


def actors(session: Session) -> list[str]:
    return list(session.scalars(select(AuditEntry.actor).distinct().order_by(AuditEntry.actor)))


def actions(session: Session) -> list[str]:
    return list(session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))


def to_csv(entries: list[AuditEntry]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["id", "created_at", "actor", "action", "target_type", "target_id", "before", "after"]
    )
    for e in entries:
        writer.writerow(
            [
                e.id,
                e.created_at.isoformat(),
                e.actor,
                e.action,
                e.target_type,
                e.target_id or "",
                json.dumps(e.before, ensure_ascii=False) if e.before is not None else "",
                json.dumps(e.after, ensure_ascii=False) if e.after is not None else "",
            ]
        )
    return out.getvalue()
