"""Enterprises, membership and permits; members only."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from lifecycle.identifiers import legal_form
from webapp.accounts.models import Account
from webapp.core import signals
from webapp.core.model_base import utcnow
from webapp.core.service_errors import NotFound
from webapp.enterprise.models import Enterprise, Membership, Permit
from webapp.enterprise.schemas import EnterpriseIn, PermitIn


def memberships(session: Session, account: Account) -> list[Membership]:
    return list(
        session.scalars(
            select(Membership)
            .join(Enterprise)
            .where(Membership.account_id == account.id)
            .order_by(Enterprise.name)
        )
    )


def get_for_member(
    session: Session, account: Account, credit_code: str
) -> tuple[Enterprise, Membership]:
    """The enterprise if the account is a member; otherwise NotFound (never reveal it exists)."""
    row = session.execute(
        select(Enterprise, Membership)
        .join(Membership, Membership.enterprise_id == Enterprise.id)
        .where(
            Enterprise.credit_code == (credit_code or "").upper(),
            Membership.account_id == account.id,
        )
    ).first()
    if row is None:
        raise NotFound(_("No such enterprise."))
    return row[0], row[1]


def register_verified(
    session: Session, account: Account, data: EnterpriseIn, via: str = "demo"
) -> tuple[Enterprise, Membership]:
    """Make ``account`` a member with ``data.role`` without a claim: for demo and test data
    only, where the identity was established outside the site. Users go through
    ``claims.claim`` and a review or an invitation."""
    enterprise = session.scalar(
        select(Enterprise).where(Enterprise.credit_code == data.credit_code)
    )
    if enterprise is None:
        enterprise = Enterprise(
            credit_code=data.credit_code,
            name=data.name,
            established_on=data.established_on,
            industry=data.industry,
            size=data.size,
            region_code=data.region_code,
            taxpayer_period=data.taxpayer_period,
        )
        session.add(enterprise)
        session.flush()
    existing = session.scalar(
        select(Membership).where(
            Membership.account_id == account.id, Membership.enterprise_id == enterprise.id
        )
    )
    if existing is not None:
        return enterprise, existing
    membership = Membership(
        account_id=account.id, enterprise_id=enterprise.id, role=data.role, verified_via=via
    )
    session.add(membership)
    session.flush()
    signals.subject_changed(session, "enterprise", enterprise.id)
    return enterprise, membership


def update(session: Session, enterprise: Enterprise, data: EnterpriseIn) -> Enterprise:
    enterprise.name = data.name
    enterprise.established_on = data.established_on
    enterprise.industry = data.industry
    enterprise.size = data.size
    enterprise.region_code = data.region_code
    enterprise.taxpayer_period = data.taxpayer_period
    enterprise.updated_at = utcnow()
    session.flush()
    signals.subject_changed(session, "enterprise", enterprise.id)
    return enterprise


def add_permit(session: Session, enterprise: Enterprise, data: PermitIn) -> Permit:
    permit = Permit(enterprise_id=enterprise.id, **data.model_dump())
    session.add(permit)
    session.flush()
    signals.subject_changed(session, "enterprise", enterprise.id)
    return permit


def remove_permit(session: Session, enterprise: Enterprise, permit_id: int) -> None:
    permit = session.get(Permit, permit_id)
    if permit is None or permit.enterprise_id != enterprise.id:
        raise NotFound(_("No such permit."))
    session.delete(permit)
    session.flush()
    signals.subject_changed(session, "enterprise", enterprise.id)


def _legal_form(credit_code: str) -> dict:
    """GB 32100-2015: the credit code's first two characters (lifecycle.identifiers)."""
    form = legal_form(credit_code)
    return {"key": form.key, "code": form.code, "zh_Hans": form.zh_Hans, "en": form.en}


def enterprise_dict(enterprise: Enterprise, membership: Membership | None = None) -> dict:
    return {
        "credit_code": enterprise.credit_code,
        "name": enterprise.name,
        "established_on": enterprise.established_on,
        "industry": enterprise.industry,
        "size": enterprise.size,
        "region_code": enterprise.region_code,
        "taxpayer_period": enterprise.taxpayer_period,
        "legal_form": _legal_form(enterprise.credit_code),
        "role": membership.role if membership else None,
        "permits": [
            {
                "id": p.id,
                "kind": p.kind,
                "number": p.number,
                "issued_on": p.issued_on,
                "expires_on": p.expires_on,
            }
            for p in enterprise.permits
        ],
    }
