"""The enterprise page (/enterprises/<credit_code>): the enterprise's life-cycle stage, its
duties, its members and the services recommended for it. Members only."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from lifecycle import stage as lifecycle_stage
from webapp import enterprise as enterprise_service
from webapp import people, recommend
from webapp.accounts.models import Account
from webapp.core.i18n import localized
from webapp.duties import OPEN_STATUSES
from webapp.duties.models import Duty
from webapp.enterprise.models import Enterprise, Membership
from webapp.page import queries, widgets, widgets_recommended
from webapp.page.timeline import stage_dict, timeline_dicts

log = logging.getLogger(__name__)


# ---------------------------------------------------------------- the enterprise page


def enterprise_choices(session: Session, account: Account) -> list[Enterprise]:
    return [m.enterprise for m in enterprise_service.memberships(session, account)]


def _duty_row_dict(d: Duty, today: date) -> dict:
    data = widgets._duty_dict(d, today)
    # On the enterprise's own page its name in front of every title is noise.
    for sep in ("：", ": ", ":"):
        prefix = f"{d.subject_name}{sep}"
        if d.subject_name and data["title"].startswith(prefix):
            data["title"] = data["title"][len(prefix) :]
    data["provisional"] = d.provisional
    data["explanation"] = localized(d.explanation)
    return data


def enterprise_duties(
    session: Session, enterprise_id: int, today: date, limit: int = 8
) -> list[Duty]:
    return list(
        session.scalars(
            select(Duty)
            .where(
                Duty.enterprise_id == enterprise_id,
                Duty.status.in_(OPEN_STATUSES),
                Duty.due_date >= today - timedelta(days=30),
            )
            .order_by(Duty.due_date, Duty.id)
            .limit(limit)
        )
    )


def _enterprise_recommendations(
    session: Session, account: Account, enterprise: Enterprise, stage, limit: int, today: date
) -> dict:
    fn = recommend.recommend_for_enterprise
    try:
        hidden_codes = queries.hidden_service_codes(session, account.id)
        result = fn(
            session, enterprise, limit=limit + len(hidden_codes), today=today, account=account
        )
        items = widgets._get(result, "items", result if isinstance(result, list) else [])
        return {
            "personalized": bool(widgets._get(result, "personalized", True)),
            "source": "recommender",
            "note": "",
            "items": [
                {
                    "service_code": widgets._get(i, "service_code"),
                    "title": localized(widgets._get(i, "title") or ""),
                    "reasons": [
                        widgets_recommended._reason_dict(r)
                        for r in widgets._get(i, "reasons", []) or []
                    ],
                    "url": widgets.service_url(widgets._get(i, "service_code"), "recommendation"),
                }
                for i in items
                if widgets._get(i, "service_code")
                and widgets._get(i, "service_code") not in hidden_codes
            ][:limit],
        }
    except Exception:  # the page stands without recommendations
        widgets.log.exception("recommend_for_enterprise failed; showing catalog suggestions")
    events = list(dict.fromkeys((*stage.current_events, *stage.upcoming_events)))
    facts: dict[str, str] = {}
    for fact in (*stage.current, *stage.upcoming):
        facts.setdefault(fact.event, widgets.localise_dates(localized(fact.reason)))
    hidden = queries.hidden_service_ids(session, account.id)
    items = widgets_recommended.catalog_suggestions(
        session,
        events,
        facts,
        ("enterprise", "both"),
        hidden,
        limit,
        set(stage.current_events),
    )
    return {
        "personalized": False,
        "source": "catalog",
        "note": _(
            "Chosen from the service catalog for the enterprise's life-cycle stage; "
            "personalised ranking is not switched on yet."
        ),
        "items": items,
    }


def build_enterprise_page(
    session: Session, account: Account, credit_code: str, today: date, record: bool = True
) -> dict:
    """The enterprise page for a member; NotFound for anyone else (never reveal it exists)."""
    enterprise, membership = enterprise_service.get_for_member(session, account, credit_code)
    subject = people.enterprise_subject(enterprise)
    stage = lifecycle_stage.enterprise_stage(subject, today)
    members = session.execute(
        select(Membership, Account)
        .join(Account, Account.id == Membership.account_id)
        .where(Membership.enterprise_id == enterprise.id)
        .order_by(Membership.role, Account.id)
    ).all()
    recommended = _enterprise_recommendations(session, account, enterprise, stage, 6, today)
    if record and recommended["items"]:
        recommend.record_impressions_by_code(
            session,
            account.id,
            [i["service_code"] for i in recommended["items"]],
            "recommendation",
            enterprise_id=enterprise.id,
        )
    return {
        "enterprise": enterprise_service.enterprise_dict(enterprise, membership),
        "role": membership.role,
        "stage": stage_dict(stage),
        "timeline": timeline_dicts(lifecycle_stage.enterprise_timeline(subject, today)),
        "duties": [
            _duty_row_dict(d, today) for d in enterprise_duties(session, enterprise.id, today)
        ],
        "recommended": recommended,
        "members": [
            {
                "name": a.display_name or enterprise_service.mask_email(a.email),
                "role": m.role,
                "you": a.id == account.id,
            }
            for m, a in members
        ],
    }
