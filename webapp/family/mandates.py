"""Mandates: a member lets a family member view or act for them, until a date or revoked.

A mandate is valid while it is not revoked and ``valid_until`` (inclusive) has not passed;
the check is made on every request, so a revocation or an expiry takes effect at once.
Every use (a view of the page, an action) is written to the member's access log with both
names, so the member sees each act done for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from webapp.accounts.models import Account
from webapp.core import clock
from webapp.core.service_errors import NotFound, ServiceError
from webapp.family import notify
from webapp.family.links import are_linked, person_name
from webapp.family.models import SCOPES, Mandate
from webapp.privacy.models import AccessLog
from webapp.reminders.models import InboxItem


@dataclass(frozen=True)
class MandateView:
    id: int
    grantor_id: int | None  # None: recorded in person for someone without an account yet
    grantor_name: str
    grantee_id: int
    grantee_name: str
    scopes: tuple[str, ...]
    kind: str
    valid_until: date | None
    elder_mode: bool
    purpose: str | None
    created_at: datetime
    revoked_at: datetime | None
    status: str  # active | expired | revoked


def status_of(mandate: Mandate, today: date) -> str:
    if mandate.revoked_at is not None:
        return "revoked"
    if mandate.valid_until is not None and mandate.valid_until < today:
        return "expired"
    return "active"


def view_of(session: Session, mandate: Mandate, today: date) -> MandateView:
    return MandateView(
        id=mandate.id,
        grantor_id=mandate.grantor_id,
        grantor_name=(
            person_name(session, mandate.grantor_id)
            if mandate.grantor_id is not None
            else mandate.grantor_name or "—"
        ),
        grantee_id=mandate.grantee_id,
        grantee_name=person_name(session, mandate.grantee_id),
        scopes=tuple(s for s in SCOPES if s in (mandate.scopes or [])),
        kind=mandate.kind,
        valid_until=mandate.valid_until,
        elder_mode=mandate.elder_mode,
        purpose=mandate.purpose,
        created_at=mandate.created_at,
        revoked_at=mandate.revoked_at,
        status=status_of(mandate, today),
    )


def check_scopes(scopes: list[str]) -> list[str]:
    chosen = [s for s in SCOPES if s in set(scopes)]
    if not chosen or len(chosen) != len(set(scopes)):
        raise ServiceError("invalid_scopes", _("Choose what the mandate allows."), "scopes")
    return chosen


def check_until(valid_until: date | None, today: date) -> None:
    if valid_until is not None and valid_until < today:
        raise ServiceError("invalid_date", _("Choose today or a later date."), "valid_until")


def _open_grant(session: Session, grantor_id: int, grantee_id: int) -> Mandate | None:
    """The member's granted mandate to the holder that is not revoked (active or expired)."""
    return session.scalar(
        select(Mandate).where(
            Mandate.grantor_id == grantor_id,
            Mandate.grantee_id == grantee_id,
            Mandate.kind == "granted",
            Mandate.revoked_at.is_(None),
        )
    )


@dataclass(frozen=True)
class Granted:
    mandate: Mandate
    created: bool  # False: the holder's existing mandate was updated or extended


def grant(
    session: Session,
    grantor: Account,
    grantee_id: int,
    scopes: list[str],
    valid_until: date | None = None,
    elder_mode: bool = False,
    today: date | None = None,
) -> Granted:
    """The member grants a mandate to a family member whose account is linked with theirs
    (any other account id is refused as unknown, revealing nothing). Granting again to the
    same holder changes the mandate they have (what it allows, its end, elder mode): there
    is one per member and holder (a unique index; a concurrent grant updates the row the
    other one made)."""
    today = today or clock.local_today()
    if grantee_id == grantor.id or not are_linked(session, grantor.id, grantee_id):
        raise NotFound(_("No linked family member with this account."))
    chosen = check_scopes(scopes)
    check_until(valid_until, today)
    row = _open_grant(session, grantor.id, grantee_id)
    created = row is None
    if created:
        row = Mandate(
            grantor_id=grantor.id,
            grantee_id=grantee_id,
            scopes=chosen,
            kind="granted",
            valid_until=valid_until,
            elder_mode=elder_mode,
            seen_at=clock.now(),
        )
        try:
            with session.begin_nested():
                session.add(row)
        except IntegrityError:  # granted at the same moment by another request
            row = _open_grant(session, grantor.id, grantee_id)
            if row is None:
                raise
            created = False
    if not created:
        if "reminders" in (row.scopes or []) and "reminders" not in chosen:
            notify.stop_pending(session, grantee_id, grantor.id)
        row.scopes = chosen
        row.valid_until = valid_until
        row.elder_mode = elder_mode
    session.flush()
    return Granted(row, created)


def on_account(session: Session, account_id: int) -> list[Mandate]:
    """Every mandate the account granted or received, newest first."""
    return list(
        session.scalars(
            select(Mandate)
            .where(or_(Mandate.grantor_id == account_id, Mandate.grantee_id == account_id))
            .order_by(Mandate.id.desc())
        )
    )


def revocable_by(mandate: Mandate, account_id: int, today: date) -> bool:
    """Who may end a mandate. A minor (14 to 17) sees the guardian's mandate but cannot
    revoke it: the guardian keeps parental responsibility until the 18th birthday
    (《民法典》第二十七条、第三十四条); the guardian may give it up."""
    if account_id == mandate.grantee_id:
        return True
    return not (
        mandate.kind == "guardian"
        and account_id == mandate.grantor_id
        and status_of(mandate, today) == "active"
    )


def revoke(
    session: Session, account: Account, mandate_id: int, today: date | None = None
) -> Mandate:
    """The member (grantor) or the holder (grantee) ends a mandate at once (except a minor's
    guardian mandate, see ``revocable_by``)."""
    today = today or clock.local_today()
    row = session.get(Mandate, mandate_id)
    if row is None or account.id not in (row.grantor_id, row.grantee_id):
        raise NotFound(_("No such mandate."))
    if not revocable_by(row, account.id, today):
        raise ServiceError(
            "guardian_until_18",
            _("Your guardian keeps this access until you turn 18; you can see every use of it."),
            status=403,
        )
    if row.revoked_at is None:
        row.revoked_at = clock.now()
        row.revoked_by = account.id
        if row.grantor_id is not None:
            notify.stop_pending(session, row.grantee_id, row.grantor_id)
    session.flush()
    return row


def active(
    session: Session, grantee_id: int, grantor_id: int, scope: str, today: date | None = None
) -> Mandate | None:
    """The valid mandate that lets ``grantee`` do ``scope`` for ``grantor``, or None."""
    today = today or clock.local_today()
    for row in session.scalars(
        select(Mandate).where(
            Mandate.grantee_id == grantee_id,
            Mandate.grantor_id == grantor_id,
            Mandate.revoked_at.is_(None),
            or_(Mandate.valid_until.is_(None), Mandate.valid_until >= today),
        )
    ):
        if scope in (row.scopes or []):
            return row
    return None


def subjects_for(
    session: Session, grantee_id: int, scope: str, today: date | None = None
) -> list[Mandate]:
    """The active mandates the account holds with ``scope``, one per grantor."""
    today = today or clock.local_today()
    rows = session.scalars(
        select(Mandate)
        .where(
            Mandate.grantee_id == grantee_id,
            Mandate.revoked_at.is_(None),
            or_(Mandate.valid_until.is_(None), Mandate.valid_until >= today),
        )
        .order_by(Mandate.id)
    )
    seen: dict[int, Mandate] = {}
    for row in rows:
        if scope in (row.scopes or []) and row.grantor_id not in seen:
            seen[row.grantor_id] = row
    return list(seen.values())


def record_use(session: Session, mandate: Mandate, what: str, detail: str = "") -> AccessLog:
    """One line in the member's access log: who acted, under which mandate, what was done."""
    actor = person_name(session, mandate.grantee_id)
    row = AccessLog(
        subject_account_id=mandate.grantor_id,
        actor_account_id=mandate.grantee_id,
        actor_label=_("%(name)s (family, mandate %(id)s)", name=actor, id=mandate.id)[:120],
        what=what[:60],
        purpose=detail or (mandate.purpose or _("Family mandate")),
    )
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class DoneForMe:
    at: datetime
    actor_name: str
    what: str
    detail: str


def done_for(session: Session, account_id: int, limit: int = 20) -> list[DoneForMe]:
    """What family members did for the account under a mandate (views left out), newest
    first: the member's activity ("由 李明 代为标记完成")."""
    rows = session.scalars(
        select(AccessLog)
        .where(
            AccessLog.subject_account_id == account_id,
            AccessLog.what.like("family\\_%", escape="\\"),
            AccessLog.what != "family_view",
        )
        .order_by(AccessLog.id.desc())
        .limit(limit)
    )
    return [
        DoneForMe(
            r.created_at,
            person_name(session, r.actor_account_id) if r.actor_account_id else "—",
            r.what,
            r.purpose or "",
        )
        for r in rows
    ]


def unseen(session: Session, account_id: int) -> list[Mandate]:
    """Mandates recorded for the account in person that it has not seen yet."""
    return list(
        session.scalars(
            select(Mandate).where(Mandate.grantor_id == account_id, Mandate.seen_at.is_(None))
        )
    )


def mark_seen(session: Session, account_id: int) -> None:
    """Shown once; a mandate recorded before the member had an account stays until they
    confirm or revoke it (``in_person.confirm``)."""
    now = clock.now()
    for row in unseen(session, account_id):
        if row.grantor_email is None and row.member_id is None:
            row.seen_at = now
    session.flush()


def end_guardian_access(session: Session, today: date) -> int:
    """The daily job: a guardian mandate whose minor turned 18 ends, with notice to both."""
    count = 0
    for row in session.scalars(
        select(Mandate).where(
            Mandate.kind == "guardian",
            Mandate.ended_notice_at.is_(None),
            Mandate.valid_until < today,
        )
    ):
        if row.revoked_at is None:
            row.revoked_at = clock.now()
        row.ended_notice_at = clock.now()
        member, guardian = (
            person_name(session, row.grantor_id),
            person_name(session, row.grantee_id),
        )
        text = {
            "zh_Hans": f"{member} 已年满十八周岁，监护人 {guardian} 的代办权限已自动结束。",
            "zh_Hant": f"{member} 已年滿十八周歲，監護人 {guardian} 的代辦權限已自動結束。",
            "en": f"{member} has turned 18: the guardian access of {guardian} has ended.",
        }
        title = {
            "zh_Hans": "监护代办已结束",
            "zh_Hant": "監護代辦已結束",
            "en": "Guardian access ended",
        }
        for account_id in (row.grantor_id, row.grantee_id):
            session.add(InboxItem(account_id=account_id, title=title, body=text))
        count += 1
    session.flush()
    return count
