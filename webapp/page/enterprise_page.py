"""The enterprise page (/enterprises/<credit_code>): the enterprise's life-cycle stage, its
duties, its members and the services recommended for it. Members only."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from lifecycle import stage as lifecycle_stage
from webapp import enterprise as enterprise_service
from webapp import people, recommend
from webapp.accounts.models import Account
from webapp.core.i18n import localized
from webapp.duties import open_duties
from webapp.duties.models import Duty
from webapp.enterprise.models import Enterprise, Membership
from webapp.page import queries, widgets
from webapp.page.timeline import stage_dict, timeline_dicts

# ---------------------------------------------------------------- the enterprise page


def enterprise_choices(session: Session, account: Account) -> list[Enterprise]:
    return [m.enterprise for m in enterprise_service.memberships(session, account)]


def _duty_row_dict(d: Duty, today: date) -> dict:
    data = widgets._duty_dict(d, today)
    # On the enterprise's own page its name in front of every title is noise: the task.
    if d.task:
        data["title"] = localized(d.task)
    data["provisional"] = d.provisional
    data["explanation"] = localized(d.explanation)
    return data


def enterprise_duties(
    session: Session, enterprise_id: int, today: date, limit: int = 8
) -> list[Duty]:
    return open_duties(
        session, enterprise_id=enterprise_id, due_from=today - timedelta(days=30), limit=limit
    )


def _enterprise_recommendations(
    session: Session, account: Account, enterprise: Enterprise, limit: int, today: date
) -> recommend.Ranking:
    """The same ranking as the citizen's widget, for the enterprise seen by this member."""
    return recommend.recommend(
        session,
        recommend.EnterpriseSubject(enterprise, viewer=account),
        today,
        limit,
        exclude=queries.hidden_service_codes(session, account.id),
    )


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
    ranking = _enterprise_recommendations(session, account, enterprise, 6, today)
    if record and ranking.items:
        recommend.record_impressions_by_code(
            session,
            account.id,
            ranking.codes,
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
        "recommended": recommend.ranking_view(ranking, text=widgets.localise_dates),
        "members": [
            {
                "name": a.display_name or enterprise_service.mask_email(a.email),
                "role": m.role,
                "you": a.id == account.id,
            }
            for m, a in members
        ],
    }
