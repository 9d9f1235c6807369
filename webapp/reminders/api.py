"""The caller's inbox, notification settings and calendar feed URL."""

from __future__ import annotations

from dataclasses import asdict
from typing import Literal

from flask import url_for
from flask_babel import gettext as _
from pydantic import BaseModel, Field

from webapp.core import clock
from webapp.core.api import bp
from webapp.core.api.spec import acting_account, current_account, endpoint
from webapp.core.db import db
from webapp.core.i18n import current_locale
from webapp.core.schemas import StrictModel
from webapp.core.service_errors import ServiceError
from webapp.reminders import calendar, lead_choices, policy
from webapp.reminders.channels import email as email_channel
from webapp.reminders.channels import inbox
from webapp.reminders.schemas import (
    CalendarOut,
    InboxItemOut,
    InboxOut,
    NotificationSettingsIn,
    NotificationSettingsOut,
)


def _locale() -> str:
    """The account's language; an Accept-Language header wins when it names one."""
    from flask import request

    from webapp.core.i18n import LOCALES

    if request.accept_languages:
        return current_locale()
    locale = current_account().locale
    return locale if locale in LOCALES else "zh_Hans"


def _item(row) -> dict:
    out = inbox.item_dict(row, _locale())
    out["created_at"] = row.created_at.isoformat()
    return out


@endpoint(
    bp, "/me/inbox", summary="Notifications in the in-app inbox", tag="inbox", response=InboxOut
)
def get_inbox():
    account_id = current_account().id
    return {
        "unread": inbox.unread_count(db.session, account_id),
        "items": [_item(r) for r in inbox.items(db.session, account_id)],
    }


@endpoint(
    bp,
    "/me/inbox/<int:item_id>/read",
    "POST",
    summary="Mark an inbox item read",
    tag="inbox",
    response=InboxItemOut,
    errors=(404,),
)
def read_inbox_item(item_id: int):
    item = inbox.mark_read(db.session, current_account().id, item_id, clock.now())
    db.session.commit()
    return _item(item)


@endpoint(
    bp,
    "/me/notification-settings",
    summary="Reminder channels, quiet hours, digest, budget",
    tag="inbox",
    response=NotificationSettingsOut,
    act_as="act",
)
def get_notification_settings():
    return policy.settings_dict(db.session, current_account().id)


@endpoint(
    bp,
    "/me/notification-settings",
    "PUT",
    summary="Replace the reminder settings",
    tag="inbox",
    body=NotificationSettingsIn,
    response=NotificationSettingsOut,
    errors=(400,),
    act_as="act",
)
def put_notification_settings(body: NotificationSettingsIn):
    account_id = current_account().id
    if (
        acting_account() is not None
        and body.email_enabled
        and not policy.settings_dict(db.session, account_id)["email_enabled"]
    ):
        # E-mail reminders need the member's own consent (《个人信息保护法》第十四条).
        raise ServiceError(
            "own_consent_required",
            _("Only the member can turn on e-mail reminders: it records their consent."),
            "email_enabled",
        )
    out = policy.update_settings(db.session, account_id, body)
    db.session.commit()
    return out


def _calendar_url(token: str) -> dict:
    return {"url": email_channel.public_url(url_for("inbox.calendar_feed", token=token))}


@endpoint(
    bp,
    "/me/calendar",
    summary="The secret calendar-feed URL (text/calendar)",
    tag="inbox",
    response=CalendarOut,
)
def get_calendar():
    token = calendar.get_or_create_token(db.session, current_account().id)
    db.session.commit()
    return _calendar_url(token)


@endpoint(
    bp,
    "/me/calendar/rotate",
    "POST",
    summary="Replace the calendar-feed URL",
    tag="inbox",
    response=CalendarOut,
)
def rotate_calendar():
    token = calendar.rotate_token(db.session, current_account().id)
    db.session.commit()
    return _calendar_url(token)


# ------------------------------------------------------- own reminder lead times per category
class LeadChoiceOut(BaseModel):
    category: str
    label: str
    mode: Literal["default", "off", "days"]
    days: int | None
    default_leads: list[str]


class LeadChoiceList(BaseModel):
    min_days: int
    max_days: int
    items: list[LeadChoiceOut]


class LeadChoiceIn(StrictModel):
    mode: Literal["default", "off", "days"]
    days: int | None = Field(default=None, ge=lead_choices.MIN_DAYS, le=lead_choices.MAX_DAYS)


def _lead_list(account_id: int) -> dict:
    return {
        "min_days": lead_choices.MIN_DAYS,
        "max_days": lead_choices.MAX_DAYS,
        "items": [
            {**asdict(c), "default_leads": list(c.default_leads)}
            for c in lead_choices.list_choices(db.session, account_id)
        ],
    }


@endpoint(
    bp,
    "/me/reminder-leads",
    summary="Your own reminder lead time per category of duty (or off), over the defaults",
    tag="inbox",
    response=LeadChoiceList,
)
def get_reminder_leads():
    return _lead_list(current_account().id)


@endpoint(
    bp,
    "/me/reminder-leads/<category>",
    "PUT",
    summary="Choose the defaults, off, or the first reminder N days before (1–90)",
    tag="inbox",
    body=LeadChoiceIn,
    response=LeadChoiceList,
    errors=(404, 422),
)
def put_reminder_lead(category: str, body: LeadChoiceIn):
    account_id = current_account().id
    lead_choices.set_choice(db.session, account_id, category, body.mode, body.days)
    db.session.commit()
    return _lead_list(account_id)
