"""Why am I seeing this: the reasons a service is (or is not) recommended now."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp import entitlements, recommend
from webapp.accounts.models import Account
from webapp.catalog.models import Service
from webapp.enterprise.models import Enterprise


def explain_recommendation(
    session: Session,
    account: Account,
    service_code: str,
    today: date,
    limit: int = 20,
    enterprise: Enterprise | None = None,
) -> dict | None:
    """Why ``service_code`` is recommended to the account (or, given a member's
    ``enterprise``, to the enterprise) now, or that it is not.

    None when the catalog has no such service. The ranking is computed as the page computes
    it (``recommend.recommend``), so the reasons are the ones the page shows.
    """
    service = session.scalar(select(Service).where(Service.code == service_code))
    if service is None:
        return None
    subject = (
        recommend.EnterpriseSubject(enterprise, viewer=account)
        if enterprise is not None
        else recommend.CitizenSubject(account)
    )
    ranking = recommend.recommend(session, subject, today, limit)
    position, item = next(
        ((n, it) for n, it in enumerate(ranking.items, start=1) if it.service_code == service_code),
        (None, None),
    )
    return {
        "service_code": service.code,
        "title": service.name,
        "eligibility": entitlements.explain_eligibility(
            session, account, service.eligibility, service.region_scope, today, enterprise
        ),
        "personalized": ranking.personalized,
        "recommended": item is not None,
        "position": position,
        "reasons": [
            {"kind": r.kind, "text": dict(r.text), "source": r.source} for r in item.reasons
        ]
        if item
        else [],
        "tags": [t for t in recommend.my_tags(session, account, today) if t["enabled"]]
        if ranking.personalized and enterprise is None
        else [],
        "enterprise": {"credit_code": enterprise.credit_code, "name": enterprise.name}
        if enterprise is not None
        else None,
    }
