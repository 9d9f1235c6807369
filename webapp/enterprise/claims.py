"""Claims to act for an enterprise, and their review.

Knowing a credit code, a name and a date proves nothing: they are public registry data.
Linking a code therefore only files a *pending claim*, which grants nothing and shows
nothing of the enterprise's stored data. A claim becomes a membership when an admin
reviewer approves it, recording the evidence checked and the purpose (with an audit
entry), or when its owner accepts an invitation from the enterprise (``members.accept``).
Claims for a code that someone else claimed or that has members are shown to reviewers
as *disputed*; computing that when the queue is read (not storing it) keeps it right
whatever order parallel claims commit in. Claims with details that do not match a
registered enterprise are counted and throttled per account and per code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from webapp.accounts.models import Account
from webapp.core import audit, signals
from webapp.core.model_base import utcnow
from webapp.core.service_errors import Conflict, NotFound, ServiceError
from webapp.enterprise.models import (
    MEMBER_ROLES,
    ClaimFailure,
    Enterprise,
    EnterpriseClaim,
    Membership,
)
from webapp.enterprise.schemas import EnterpriseIn

# Wrong details allowed per hour before further claims answer 429.
FAILURES_PER_ACCOUNT = 5
FAILURES_PER_CODE = 20
FAILURE_WINDOW = timedelta(hours=1)


class ClaimMismatch(ServiceError):
    """The details do not match the registered enterprise. The caller commits the
    failure record it added before re-raising, so the throttle counts it."""


@dataclass(frozen=True)
class ReviewItem:
    claim: EnterpriseClaim
    disputed: bool
    registered: bool


def _throttle(session: Session, account: Account, code: str, now: datetime) -> None:
    since = now - FAILURE_WINDOW
    mine = session.scalar(
        select(func.count(ClaimFailure.id)).where(
            ClaimFailure.account_id == account.id, ClaimFailure.created_at >= since
        )
    )
    theirs = session.scalar(
        select(func.count(ClaimFailure.id)).where(
            ClaimFailure.credit_code == code, ClaimFailure.created_at >= since
        )
    )
    if mine >= FAILURES_PER_ACCOUNT or theirs >= FAILURES_PER_CODE:
        raise ServiceError(
            "too_many_attempts",
            _("Too many attempts with details that do not match. Try again in an hour."),
            "credit_code",
            429,
        )


def _open_claim(session: Session, account_id: int, code: str) -> EnterpriseClaim | None:
    return session.scalar(
        select(EnterpriseClaim).where(
            EnterpriseClaim.account_id == account_id,
            EnterpriseClaim.credit_code == code,
            EnterpriseClaim.status == "pending",
        )
    )


def claim(session: Session, account: Account, data: EnterpriseIn) -> EnterpriseClaim:
    """File (or return the open) claim of ``account`` for ``data.credit_code``."""
    now = utcnow()
    code = data.credit_code
    _throttle(session, account, code, now)
    enterprise = session.scalar(select(Enterprise).where(Enterprise.credit_code == code))
    if enterprise is not None:
        member = session.scalar(
            select(Membership).where(
                Membership.enterprise_id == enterprise.id, Membership.account_id == account.id
            )
        )
        if member is not None:
            raise Conflict(
                "already_member", _("You are already a member of this enterprise."), "credit_code"
            )
        if (
            enterprise.name.strip() != data.name.strip()
            or enterprise.established_on != data.established_on
        ):
            session.add(ClaimFailure(account_id=account.id, credit_code=code, created_at=now))
            session.flush()
            raise ClaimMismatch(
                "enterprise_mismatch",
                _("The name or establishment date does not match the registered enterprise."),
                "name",
                409,
            )
    existing = _open_claim(session, account.id, code)
    if existing is not None:
        return existing
    row = EnterpriseClaim(
        account_id=account.id,
        credit_code=code,
        name=data.name.strip(),
        established_on=data.established_on,
        industry=data.industry,
        size=data.size,
        region_code=data.region_code,
        taxpayer_period=data.taxpayer_period,
        role=data.role,
        status="pending",
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        # The same account filed the same claim in parallel: answer with that one.
        found = _open_claim(session, account.id, code)
        if found is None:
            raise
        return found
    return row


def own_claims(session: Session, account: Account) -> list[EnterpriseClaim]:
    return list(
        session.scalars(
            select(EnterpriseClaim)
            .where(EnterpriseClaim.account_id == account.id)
            .order_by(EnterpriseClaim.created_at.desc(), EnterpriseClaim.id.desc())
        )
    )


def withdraw(session: Session, account: Account, claim_id: int) -> None:
    row = session.get(EnterpriseClaim, claim_id)
    if row is None or row.account_id != account.id:
        raise NotFound(_("No such claim."))
    if row.status != "pending":
        raise Conflict("claim_closed", _("This claim has been decided already."))
    row.status = "withdrawn"
    row.decided_at = utcnow()
    session.flush()


def claim_dict(row: EnterpriseClaim) -> dict:
    """What the claimant sees: their own words and the status, nothing stored."""
    return {
        "id": row.id,
        "credit_code": row.credit_code,
        "name": row.name,
        "role": row.role,
        "status": row.status,
        "created_at": row.created_at,
        "decided_at": row.decided_at,
    }


# ------------------------------------------------------------------ reviewer queue


def review_queue(session: Session) -> list[ReviewItem]:
    pending = list(
        session.scalars(
            select(EnterpriseClaim)
            .where(EnterpriseClaim.status == "pending")
            .order_by(EnterpriseClaim.created_at, EnterpriseClaim.id)
        )
    )
    codes = {c.credit_code for c in pending}
    counts = dict(
        session.execute(
            select(EnterpriseClaim.credit_code, func.count(EnterpriseClaim.id))
            .where(EnterpriseClaim.status == "pending", EnterpriseClaim.credit_code.in_(codes))
            .group_by(EnterpriseClaim.credit_code)
        ).all()
    )
    members = dict(
        session.execute(
            select(Enterprise.credit_code, func.count(Membership.id))
            .join(Membership, Membership.enterprise_id == Enterprise.id, isouter=True)
            .where(Enterprise.credit_code.in_(codes))
            .group_by(Enterprise.credit_code)
        ).all()
    )
    return [
        ReviewItem(
            claim=c,
            disputed=counts.get(c.credit_code, 0) > 1 or members.get(c.credit_code, 0) > 0,
            registered=c.credit_code in members,
        )
        for c in pending
    ]


def _enterprise_for(session: Session, row: EnterpriseClaim) -> Enterprise:
    enterprise = session.scalar(select(Enterprise).where(Enterprise.credit_code == row.credit_code))
    if enterprise is not None:
        return enterprise
    enterprise = Enterprise(
        credit_code=row.credit_code,
        name=row.name,
        established_on=row.established_on,
        industry=row.industry,
        size=row.size,
        region_code=row.region_code,
        taxpayer_period=row.taxpayer_period,
    )
    try:
        with session.begin_nested():
            session.add(enterprise)
    except IntegrityError:
        # Another reviewer registered the same code at the same moment.
        return session.scalar(select(Enterprise).where(Enterprise.credit_code == row.credit_code))
    return enterprise


def decide(
    session: Session,
    reviewer: Account,
    claim_id: int,
    decision: str,
    evidence: str,
    purpose: str,
    role: str | None = None,
) -> EnterpriseClaim:
    """Approve or reject a pending claim, recording the evidence checked and the purpose."""
    row = session.get(EnterpriseClaim, claim_id, with_for_update=True)
    if row is None:
        raise NotFound(_("No such claim."))
    if row.status != "pending":
        raise Conflict("claim_closed", _("This claim has been decided already."))
    if decision not in ("approve", "reject"):
        raise ServiceError("invalid_decision", _("Choose one of the offered values."), "decision")
    evidence, purpose = (evidence or "").strip(), (purpose or "").strip()
    if len(evidence) < 5:
        raise ServiceError(
            "evidence_required",
            _("Record the evidence checked (at least 5 characters)."),
            "evidence",
        )
    if len(purpose) < 5:
        raise ServiceError(
            "purpose_required", _("State the purpose (at least 5 characters)."), "purpose"
        )
    role = role or row.role
    if role not in MEMBER_ROLES:
        raise ServiceError("invalid_role", _("Choose one of the offered values."), "role")
    now = utcnow()
    if decision == "approve":
        enterprise = _enterprise_for(session, row)
        member = session.scalar(
            select(Membership).where(
                Membership.enterprise_id == enterprise.id, Membership.account_id == row.account_id
            )
        )
        if member is None:
            session.add(
                Membership(
                    account_id=row.account_id,
                    enterprise_id=enterprise.id,
                    role=role,
                    verified_via="review",
                    created_at=now,
                )
            )
        session.flush()
        signals.subject_changed(session, "enterprise", enterprise.id)
    row.status = "approved" if decision == "approve" else "rejected"
    row.role = role
    row.decided_at = now
    row.reviewer_account_id = reviewer.id
    row.evidence = evidence[:2000]
    row.purpose = purpose[:500]
    session.flush()
    audit.record(
        session,
        reviewer.id,
        f"enterprise_claim.{decision}",
        "enterprise_claim",
        row.id,
        None,
        {"credit_code": row.credit_code, "role": role, "evidence": evidence, "purpose": purpose},
    )
    return row


def close_for_member(session: Session, account_id: int, code: str, how: str) -> None:
    """A member's own open claim for the code is settled (e.g. by an invitation)."""
    row = _open_claim(session, account_id, code)
    if row is not None:
        row.status = "approved"
        row.decided_at = utcnow()
        row.evidence = how
