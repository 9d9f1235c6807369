"""Notification settings, validated the same way for the HTML form and the API."""

from __future__ import annotations

from datetime import time
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from lifecycle.rules import RULES
from webapp.core.schemas import OutModel, StrictModel, invalid

Digest = Literal["none", "daily", "weekly"]


def parse_hhmm(value) -> time:
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    text = str(value).strip()
    parts = text.split(":")
    if len(parts) in (2, 3) and all(p.isdigit() for p in parts) and len(parts[0]) <= 2:
        hour, minute = int(parts[0]), int(parts[1])
        if 0 <= hour < 24 and 0 <= minute < 60:
            return time(hour, minute)
    raise invalid("bad_time", "time as HH:MM")


class NotificationSettingsIn(StrictModel):
    email_enabled: bool = Field(
        description="Send reminders by e-mail too; turning it on records the e-mail consent"
    )
    quiet_start: time = Field(default=time(22, 0), description="HH:MM, Asia/Shanghai")
    quiet_end: time = Field(default=time(8, 0), description="HH:MM, Asia/Shanghai")
    digest: Digest = "none"
    weekly_email_budget: int = Field(default=7, ge=0, le=100)
    muted_rules: list[str] = Field(default_factory=list, max_length=50)

    _times = field_validator("quiet_start", "quiet_end", mode="before")(parse_hhmm)

    @field_validator("muted_rules")
    @classmethod
    def _known_rules(cls, value: list[str]) -> list[str]:
        unknown = [rule for rule in value if rule not in RULES]
        if unknown:
            raise invalid("literal_error", f"unknown rule: {unknown[0]}")
        return sorted(set(value))


class NotificationSettingsOut(OutModel):
    email_enabled: bool
    email_consent: bool
    quiet_start: str
    quiet_end: str
    digest: Digest
    weekly_email_budget: int
    muted_rules: list[str]


class InboxItemOut(OutModel):
    id: int
    title: str
    body: str
    duty_id: int | None
    created_at: str
    read: bool


class InboxOut(BaseModel):
    unread: int
    items: list[InboxItemOut]


class CalendarOut(BaseModel):
    url: str
