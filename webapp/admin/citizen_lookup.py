"""Citizen look-up in the admin console. Every read of a citizen's personal data needs a
stated purpose and leaves an ``access_log`` row (which the citizen sees in the privacy
centre) and an audit entry: finding an account by its e-mail address (which tells that the
person has an account), and reading the account (e-mail address, name, language), the
profile, the household or the duties. The citizen's page itself shows only the id."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp import people as profiles
from webapp.accounts.models import Account
from webapp.core import audit
from webapp.core.model_base import utcnow
from webapp.core.service_errors import NotFound, ServiceError
from webapp.duties.models import Duty
from webapp.people.models import CitizenProfile
from webapp.privacy.models import AccessLog

WHAT = ("account", "profile", "household", "duties")


def _purpose(purpose: str) -> str:
    purpose = (purpose or "").strip()
    if len(purpose) < 5:
        raise ServiceError(
            "purpose_required",
            _(
                "State the purpose of this access (at least 5 characters); it is shown to the citizen."
            ),
            "purpose",
        )
    return purpose[:500]


def _log(session: Session, admin: Account, citizen_id: int, what: str, purpose: str) -> None:
    session.add(
        AccessLog(
            subject_account_id=citizen_id,
            actor_account_id=admin.id,
            actor_label=actor_label(admin),
            what=what,
            purpose=purpose,
            created_at=utcnow(),
        )
    )
    audit.record(
        session, admin.id, f"citizen.view_{what}", "citizen", citizen_id, None, {"purpose": purpose}
    )


def search(
    session: Session, admin: Account, email: str, purpose: str, limit: int = 20
) -> list[Account]:
    """The citizen with exactly this e-mail address (any case), for a stated purpose; a hit
    is logged in that citizen's access log. No prefix search: the console must not list
    other people's addresses the admin did not already know."""
    purpose = _purpose(purpose)
    q = (email or "").strip().lower()
    if "@" not in q:
        return []
    found = list(
        session.scalars(
            select(Account)
            .where(Account.role == "citizen", func.lower(Account.email) == q)
            .limit(limit)
        )
    )
    for account in found:
        _log(session, admin, account.id, "lookup", purpose)
    return found


def get_citizen(session: Session, account_id: int) -> Account:
    account = session.get(Account, account_id)
    if account is None or account.role != "citizen":
        raise NotFound(_("No such citizen."))
    return account


def actor_label(admin: Account) -> str:
    return f"管理员 {admin.email}"


def view(session: Session, admin: Account, account_id: int, what: str, purpose: str) -> dict:
    """Read one part of a citizen's data for a stated purpose; logged before it is returned."""
    citizen = get_citizen(session, account_id)
    if what not in WHAT:
        raise ServiceError("invalid_what", _("Choose one of the offered values."), "what")
    _log(session, admin, citizen.id, what, _purpose(purpose))
    if what == "account":
        return {
            "account": {
                "email": citizen.email,
                "display_name": citizen.display_name,
                "locale": citizen.locale,
                "created_at": citizen.created_at,
            }
        }
    if what == "profile":
        row = session.get(CitizenProfile, citizen.id)
        return {"profile": profiles.profile_dict(row) if row else None}
    if what == "household":
        return {
            "household": [profiles.member_dict(m) for m in profiles.household(session, citizen)]
        }
    duties = session.scalars(
        select(Duty).where(Duty.owner_account_id == citizen.id).order_by(Duty.due_date).limit(200)
    )
    return {
        "duties": [
            {
                "rule": d.rule,
                "subject": d.subject_name,
                "title": d.title,
                "window_start": d.window_start,
                "due_date": d.due_date,
                "status": d.status,
            }
            for d in duties
        ]
    }


def require_purpose(purpose: str) -> str:
    """The stated purpose of reading a chosen citizen's data (ServiceError if too short)."""
    return _purpose(purpose)


def log_preview(
    session: Session,
    admin: Account,
    subject: Account,
    purpose: str = "规则沙盒预览 / rules sandbox preview",
) -> None:
    """The sandbox showed ``subject``'s recommendations (derived from personal data)."""
    if subject.role != "citizen":
        return
    purpose = purpose[:500]
    session.add(
        AccessLog(
            subject_account_id=subject.id,
            actor_account_id=admin.id,
            actor_label=actor_label(admin),
            what="recommendations",
            purpose=purpose,
            created_at=utcnow(),
        )
    )
    audit.record(
        session,
        admin.id,
        "citizen.view_recommendations",
        "citizen",
        subject.id,
        None,
        {"purpose": purpose},
    )


def log_preview_samples(session: Session, admin: Account, account_ids: list[int]) -> None:
    """Each sampled citizen whose top 10 the sandbox showed gets an access-log row."""
    purpose = "规则沙盒抽样预览 / rules sandbox sample preview"
    for account in session.scalars(select(Account).where(Account.id.in_(account_ids))):
        log_preview(session, admin, account, purpose)
