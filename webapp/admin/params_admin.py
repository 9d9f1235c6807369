"""Life-cycle parameters as data, edited in the console: reminder lead times per duty rule,
local windows and the tax authority's published deadlines. Changes take effect at the
next duty sync and reminder sweep (or at once with ``sync_now``); all are audited."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from lifecycle.params import DEFAULT_PARAMS
from lifecycle.rules import RULES
from webapp import duties
from webapp.core import audit
from webapp.core.service_errors import NotFound, ServiceError
from webapp.duties.models import LocalWindow, TaxDeadlineOverride
from webapp.reminders.models import ReminderPolicy


def _valid_lead(lead: str) -> bool:
    return lead == "window" or (lead.isdigit() and 0 <= int(lead) <= 366)


def lead_rows(session: Session) -> list[dict]:
    overrides = {r.rule: r for r in session.scalars(select(ReminderPolicy))}
    out = []
    for key, info in sorted(RULES.items()):
        row = overrides.get(key)
        out.append(
            {
                "rule": key,
                "summary": info.summary,
                "default": list(info.default_leads),
                "leads": list(row.leads) if row else list(info.default_leads),
                "enabled": row.enabled if row else True,
                "overridden": row is not None,
            }
        )
    return out


def parse_leads(text: str) -> list[str]:
    parts = [p.strip().lower() for p in text.replace("，", ",").replace(" ", ",").split(",")]
    leads = [p for p in parts if p]
    bad = [p for p in leads if not _valid_lead(p)]
    if bad:
        raise ServiceError(
            "invalid_leads",
            _("Leads are 'window' or a number of days from 0 to 366, separated by commas."),
            "leads",
        )
    # "window" first, then days from the furthest to the nearest
    uniq = list(dict.fromkeys(leads))
    return sorted(uniq, key=lambda x: (x != "window", -int(x) if x.isdigit() else 0))


def set_leads(
    session: Session, actor_id: int | None, rule: str, text: str, enabled: bool
) -> ReminderPolicy:
    if rule not in RULES:
        raise NotFound(_("No such duty rule."))
    leads = parse_leads(text)
    if enabled and not leads:
        raise ServiceError("invalid_leads", _("Give at least one lead time."), "leads")
    row = session.get(ReminderPolicy, rule)
    before = (
        {"leads": list(row.leads), "enabled": row.enabled}
        if row
        else {
            "leads": list(RULES[rule].default_leads),
            "enabled": True,
            "default": True,
        }
    )
    if row is None:
        row = ReminderPolicy(rule=rule, leads=leads, enabled=enabled)
        session.add(row)
    else:
        row.leads = leads
        row.enabled = enabled
    session.flush()
    audit.record(
        session, actor_id, "reminder_policy.update", "reminder_policy", rule, before,
        {"leads": leads, "enabled": enabled},
    )  # fmt: skip
    return row


def reset_leads(session: Session, actor_id: int | None, rule: str) -> None:
    row = session.get(ReminderPolicy, rule)
    if row is None:
        raise NotFound(_("This rule uses its default lead times already."))
    before = {"leads": list(row.leads), "enabled": row.enabled}
    session.delete(row)
    session.flush()
    audit.record(
        session, actor_id, "reminder_policy.reset", "reminder_policy", rule, before,
        {"leads": list(RULES[rule].default_leads), "enabled": True, "default": True},
    )  # fmt: skip


# ------------------------------------------------------------------ windows and tax deadlines
def window_rows(session: Session) -> list[LocalWindow]:
    return list(
        session.scalars(select(LocalWindow).order_by(LocalWindow.kind, LocalWindow.region_prefix))
    )


def default_windows() -> list[dict]:
    out = []
    for kind, attr in duties.WINDOW_KINDS.items():
        for prefix, ((sm, sd), (em, ed)) in sorted(getattr(DEFAULT_PARAMS, attr).items()):
            out.append(
                {
                    "kind": kind,
                    "region_prefix": prefix,
                    "start": f"{sm:02d}-{sd:02d}",
                    "end": f"{em:02d}-{ed:02d}",
                }
            )
    return out


def _window_dict(row: LocalWindow) -> dict:
    return {
        "kind": row.kind,
        "region_prefix": row.region_prefix,
        "start": f"{row.start_month:02d}-{row.start_day:02d}",
        "end": f"{row.end_month:02d}-{row.end_day:02d}",
    }


def set_window(session: Session, actor_id: int | None, data) -> LocalWindow:
    existing = session.scalar(
        select(LocalWindow).where(
            LocalWindow.kind == data.kind, LocalWindow.region_prefix == (data.region_prefix or "")
        )
    )
    before = _window_dict(existing) if existing else None
    row = duties.set_local_window(
        session,
        data.kind,
        data.region_prefix or "",
        (data.start_month, data.start_day),
        (data.end_month, data.end_day),
    )
    audit.record(
        session, actor_id, "local_window.set", "local_window",
        f"{row.kind}:{row.region_prefix}", before, _window_dict(row),
    )  # fmt: skip
    return row


def delete_window(session: Session, actor_id: int | None, kind: str, region_prefix: str) -> None:
    row = session.scalar(
        select(LocalWindow).where(
            LocalWindow.kind == kind, LocalWindow.region_prefix == region_prefix
        )
    )
    if row is None:
        raise NotFound(_("No such window."))
    before = _window_dict(row)
    duties.delete_local_window(session, kind, region_prefix)
    audit.record(
        session,
        actor_id,
        "local_window.delete",
        "local_window",
        f"{kind}:{region_prefix}",
        before,
        None,
    )


def tax_rows(session: Session) -> list[TaxDeadlineOverride]:
    return list(
        session.scalars(
            select(TaxDeadlineOverride).order_by(
                TaxDeadlineOverride.year.desc(), TaxDeadlineOverride.month.desc()
            )
        )
    )


def set_tax(session: Session, actor_id: int | None, data) -> TaxDeadlineOverride:
    existing = session.scalar(
        select(TaxDeadlineOverride).where(
            TaxDeadlineOverride.year == data.year, TaxDeadlineOverride.month == data.month
        )
    )
    before = (
        {"due_date": existing.due_date.isoformat(), "note": existing.note} if existing else None
    )
    row = duties.set_tax_override(session, data.year, data.month, data.due_date, data.note)
    audit.record(
        session, actor_id, "tax_override.set", "tax_override", f"{data.year}-{data.month:02d}",
        before, {"due_date": row.due_date.isoformat(), "note": row.note},
    )  # fmt: skip
    return row


def delete_tax(session: Session, actor_id: int | None, year: int, month: int) -> None:
    row = session.scalar(
        select(TaxDeadlineOverride).where(
            TaxDeadlineOverride.year == year, TaxDeadlineOverride.month == month
        )
    )
    if row is None:
        raise NotFound(_("No such override."))
    before = {"due_date": row.due_date.isoformat(), "note": row.note}
    duties.delete_tax_override(session, year, month)
    audit.record(
        session,
        actor_id,
        "tax_override.delete",
        "tax_override",
        f"{year}-{month:02d}",
        before,
        None,
    )


def sync_now(session: Session, actor_id: int | None, today: date) -> dict:
    """Run the duty sync now (normally daily) so parameter changes apply at once."""
    report = duties.sync_all(session, today)
    summary = {k: v for k, v in vars(report).items() if isinstance(v, (int, float, str))}
    audit.record(session, actor_id, "duty_sync.run", "duty_sync", today.isoformat(), None, summary)
    return summary
