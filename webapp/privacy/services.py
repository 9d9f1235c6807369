"""The citizen's rights over their data (《个人信息保护法》第四十四至四十七条): see who read it,
copy it (export), delete it.

Decisions (see docs/privacy.md):

* **Export** gives the resident ID number *decrypted*: it is the owner's own data and the
  export exists so they can copy and transfer it (第四十五条). The file is only ever produced
  for the signed-in owner (or their own API token) and is sent with ``Cache-Control:
  no-store``. Secrets are left out: the password hash, API token hashes and the calendar-feed
  token (the export says whether a feed exists).
* **Delete** removes the ``Account`` row itself (so the e-mail address is free to register
  again) and, before that, every row of personal data explicitly: profile, household,
  memberships (an enterprise with no members left stays: it is a registered enterprise, not
  personal data), duties of self and household, interactions, tags, consents, page layout,
  pins, hides, inbox, the notification outbox (pending reminders are thereby cancelled),
  notification settings (the calendar feed), API tokens. The browser session dies with the
  account (its session token is on the row). What remains is the audit trail, pseudonymous:
  ``deleted-<sha256(id)[:10]>`` replaces the account id in audit entries about it, e-mail
  address and names in their values are replaced by the same pseudonym, and every logged
  read of the citizen's data is kept as an audit entry about the pseudonym.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from webapp import entitlements, people
from webapp import recommend as tags
from webapp.accounts.models import Account
from webapp.catalog.models import Bundle, BundleStepDone, Service
from webapp.core import audit
from webapp.core.clock import local_today, now
from webapp.duties.models import Duty
from webapp.enterprise.models import Enterprise, EnterpriseClaim, Membership, Permit
from webapp.page.models import HiddenService, PageLayout, PinnedService
from webapp.people.models import CitizenProfile, HouseholdMember
from webapp.privacy import consents
from webapp.privacy.models import AccessLog, Consent, TagPreference
from webapp.recommend import Interaction
from webapp.reminders.models import (
    InboxItem,
    Notification,
    NotificationSettings,
    ReminderLeadChoice,
)

EXPORT_FORMAT = "lifepage-export"
EXPORT_VERSION = 1


def actor_pseudonym(account_id: int | None) -> str:
    """The pseudonym the admin audit trail uses for an actor (services.audit's, if present)."""
    return audit.pseudonym(account_id)


def pseudonym(account_id: int) -> str:
    """The id a deleted account keeps in the audit trail."""
    return "deleted-" + audit.keyed_digest("lifepage-deleted", account_id)[:10]


# --- who looked at my data (rows written by the admin console: services.citizen_lookup) ----


def access_log(session: Session, account_id: int, limit: int | None = None) -> list[AccessLog]:
    stmt = (
        select(AccessLog)
        .where(AccessLog.subject_account_id == account_id)
        .order_by(AccessLog.created_at.desc(), AccessLog.id.desc())
    )
    if limit:
        stmt = stmt.limit(limit)
    return list(session.scalars(stmt))


def access_dict(row: AccessLog) -> dict:
    return {
        "id": row.id,
        "who": row.actor_label,
        "when": row.created_at,
        "what": row.what,
        "purpose": row.purpose,
    }


# --- export ---------------------------------------------------------------------------------


def _value(v: Any) -> Any:
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    return v


def _rows(session: Session, stmt) -> list[dict]:
    """Plain dicts straight from a column query (no ORM objects: fast for large sections)."""
    result = session.execute(stmt)
    keys = list(result.keys())
    return [{k: _value(v) for k, v in zip(keys, row, strict=True)} for row in result]


def _profile(session: Session, account_id: int) -> dict | None:
    p = session.get(CitizenProfile, account_id)
    if p is None:
        return None
    return {
        "full_name": p.full_name,
        "id_number": people.id_number(p),
        "id_number_masked": people.masked_id_number(p),
        "birth_date": _value(p.birth_date),
        "gender": p.gender,
        "region_code": p.region_code,
        "id_card_issued_on": _value(p.id_card_issued_on),
        "driver_license_issued_on": _value(p.driver_license_issued_on),
        "driver_license_expires_on": _value(p.driver_license_expires_on),
        "passport_issued_on": _value(p.passport_issued_on),
        "passport_expires_on": _value(p.passport_expires_on),
        "employment": p.employment,
        "retirement_category": p.retirement_category,
        "marital_status": p.marital_status,
        "updated_at": _value(p.updated_at),
    }


def _enterprises(session: Session, account_id: int) -> list[dict]:
    out = []
    for membership, ent in session.execute(
        select(Membership, Enterprise)
        .join(Enterprise, Enterprise.id == Membership.enterprise_id)
        .where(Membership.account_id == account_id)
        .order_by(Enterprise.id)
    ):
        out.append(
            {
                "credit_code": ent.credit_code,
                "name": ent.name,
                "role": membership.role,
                "member_since": _value(membership.created_at),
                "established_on": _value(ent.established_on),
                "industry": ent.industry,
                "size": ent.size,
                "region_code": ent.region_code,
                "taxpayer_period": ent.taxpayer_period,
                "deregistered_on": _value(ent.deregistered_on),
                "permits": _rows(
                    session,
                    select(Permit.kind, Permit.number, Permit.issued_on, Permit.expires_on)
                    .where(Permit.enterprise_id == ent.id)
                    .order_by(Permit.id),
                ),
            }
        )
    return out


def _duties(session: Session, account_id: int) -> list[dict]:
    enterprise_ids = select(Membership.enterprise_id).where(Membership.account_id == account_id)
    return _rows(
        session,
        select(
            Duty.id,
            Duty.subject_kind,
            Duty.subject_id,
            Duty.subject_name,
            Duty.rule,
            Duty.occurrence,
            Duty.service_code,
            Duty.title,
            Duty.legal_basis,
            Duty.window_start,
            Duty.due_date,
            Duty.status,
            Duty.snoozed_until,
            Duty.provisional,
            Duty.advisory,
        )
        .where(
            or_(
                Duty.owner_account_id == account_id,
                Duty.enterprise_id.in_(enterprise_ids),
            )
        )
        .order_by(Duty.due_date, Duty.id),
    )


def export_data(session: Session, account: Account) -> dict:
    """All of the account's data as one JSON-ready dict, section by section."""
    aid = account.id
    today = local_today()
    settings = session.get(NotificationSettings, aid)
    layout = session.get(PageLayout, aid)
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": now().isoformat(),
        "account": {
            "id": aid,
            "email": account.email,
            "kind": account.role,
            "locale": account.locale,
            "display_name": account.display_name,
            "created_at": _value(account.created_at),
            "password_changed_at": _value(account.password_changed_at),
        },
        "profile": _profile(session, aid),
        "household": _rows(
            session,
            select(
                HouseholdMember.id,
                HouseholdMember.relation,
                HouseholdMember.name,
                HouseholdMember.birth_date,
                HouseholdMember.gender,
                HouseholdMember.guardian_consent_at,
                HouseholdMember.deceased_on,
                HouseholdMember.id_card_issued_on,
                HouseholdMember.created_at,
            )
            .where(HouseholdMember.account_id == aid)
            .order_by(HouseholdMember.id),
        ),
        "facts": entitlements.export_facts(session, aid),
        "enterprises": _enterprises(session, aid),
        "enterprise_claims": _rows(
            session,
            select(
                EnterpriseClaim.credit_code,
                EnterpriseClaim.name,
                EnterpriseClaim.established_on,
                EnterpriseClaim.role,
                EnterpriseClaim.status,
                EnterpriseClaim.created_at,
                EnterpriseClaim.decided_at,
            )
            .where(EnterpriseClaim.account_id == aid)
            .order_by(EnterpriseClaim.id),
        ),
        "duties": _duties(session, aid),
        "interactions": _rows(
            session,
            select(
                Service.code.label("service_code"),
                Interaction.kind,
                Interaction.source,
                Interaction.enterprise_id,
                Interaction.created_at,
            )
            .join(Service, Service.id == Interaction.service_id)
            .where(Interaction.account_id == aid)
            .order_by(Interaction.created_at, Interaction.id),
        ),
        "notifications": _rows(
            session,
            select(
                Notification.id,
                Notification.duty_id,
                Notification.channel,
                Notification.lead,
                Notification.status,
                Notification.attempts,
                Notification.sent_at,
                Notification.created_at,
            )
            .where(Notification.account_id == aid)
            .order_by(Notification.id),
        ),
        "inbox": _rows(
            session,
            select(
                InboxItem.id,
                InboxItem.duty_id,
                InboxItem.title,
                InboxItem.body,
                InboxItem.created_at,
                InboxItem.read_at,
            )
            .where(InboxItem.account_id == aid)
            .order_by(InboxItem.id),
        ),
        "notification_settings": None
        if settings is None
        else {
            "email_enabled": settings.email_enabled,
            "quiet_start": settings.quiet_start.isoformat(),
            "quiet_end": settings.quiet_end.isoformat(),
            "digest": settings.digest,
            "weekly_email_budget": settings.weekly_email_budget,
            "muted_rules": settings.muted_rules,
            "calendar_feed": settings.calendar_token is not None,
        },
        "reminder_lead_choices": _rows(
            session,
            select(ReminderLeadChoice.category, ReminderLeadChoice.days)
            .where(ReminderLeadChoice.account_id == aid)
            .order_by(ReminderLeadChoice.category),
        ),
        "consents": {
            "current": consents.current_consents(session, aid),
            "history": _rows(
                session,
                select(Consent.purpose, Consent.granted, Consent.version, Consent.created_at)
                .where(Consent.account_id == aid)
                .order_by(Consent.id),
            ),
        },
        "tags": [
            {k: v for k, v in t.items() if k != "source_text"}
            for t in tags.my_tags(session, account, today)
        ],
        "tag_preferences": _rows(
            session,
            select(TagPreference.tag_key, TagPreference.enabled, TagPreference.updated_at)
            .where(TagPreference.account_id == aid)
            .order_by(TagPreference.tag_key),
        ),
        "page": {
            "layout": None
            if layout is None
            else {"widgets": layout.widgets, "theme": layout.theme},
            "pinned": _rows(
                session,
                select(Service.code.label("service_code"), PinnedService.position)
                .join(Service, Service.id == PinnedService.service_id)
                .where(PinnedService.account_id == aid)
                .order_by(PinnedService.position),
            ),
            "hidden": _rows(
                session,
                select(Service.code.label("service_code"), HiddenService.created_at)
                .join(Service, Service.id == HiddenService.service_id)
                .where(HiddenService.account_id == aid)
                .order_by(Service.code),
            ),
            "bundle_steps_done": _rows(
                session,
                select(
                    Bundle.code.label("bundle_code"),
                    Service.code.label("service_code"),
                    BundleStepDone.done_at,
                )
                .join(Bundle, Bundle.id == BundleStepDone.bundle_id)
                .join(Service, Service.id == BundleStepDone.service_id)
                .where(BundleStepDone.account_id == aid)
                .order_by(Bundle.code, Service.code),
            ),
        },
        "access_log": [
            {k: _value(v) for k, v in access_dict(row).items()} for row in access_log(session, aid)
        ],
    }


def export_json(session: Session, account: Account) -> str:
    """The export as JSON text (UTF-8, Chinese kept readable)."""
    return json.dumps(export_data(session, account), ensure_ascii=False)


def export_filename(today: date | None = None) -> str:
    return f"lifepage-export-{(today or local_today()).isoformat()}.json"
