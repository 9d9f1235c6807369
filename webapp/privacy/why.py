"""Why am I seeing this: the reasons a service is (or is not) recommended now."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp import entitlements
from webapp import recommend as tags
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
    it (``recommend_for_account`` / ``recommend_for_enterprise``), so the reasons are the
    ones the page shows.
    """
    service = session.scalar(select(Service).where(Service.code == service_code))
    if service is None:
        return None
    from webapp import recommend as recommendations

    if enterprise is not None:
        result = recommendations.recommend_for_enterprise(
            session, enterprise, limit=limit, today=today, account=account
        )
    else:
        result = recommendations.recommend_for_account(session, account, limit=limit, today=today)
    position, item = next(
        (
            (n, it)
            for n, it in enumerate(result["items"], start=1)
            if it["service_code"] == service_code
        ),
        (None, None),
    )
    return {
        "service_code": service.code,
        "title": service.name,
        "eligibility": entitlements.explain_eligibility(
            session, account, service.eligibility, service.region_scope, today, enterprise
        ),
        "personalized": bool(result["personalized"]),
        "recommended": item is not None,
        "position": position,
        "reasons": item["reasons"] if item else [],
        "tags": [t for t in tags.my_tags(session, account, today) if t["enabled"]]
        if result["personalized"] and enterprise is None
        else [],
        "enterprise": {"credit_code": enterprise.credit_code, "name": enterprise.name}
        if enterprise is not None
        else None,
    }
