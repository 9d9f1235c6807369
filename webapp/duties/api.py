"""Duties: what is due for the caller (own, household, enterprises) and status changes."""

from __future__ import annotations

from datetime import date
from typing import Literal

from flask_babel import force_locale
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from webapp import enterprise as enterprises
from webapp import entitlements
from webapp.core import clock
from webapp.core.api import bp
from webapp.core.api.spec import api_locale, current_account, endpoint
from webapp.core.db import db
from webapp.core.schemas import OutModel, StrictModel, invalid
from webapp.duties import services as duties

STATUS_CHOICES = (*duties.VISIBLE_STATUSES, "all")


class DutyQuery(StrictModel):
    date_from: date | None = Field(
        default=None, alias="from", description="Due on or after this date"
    )
    date_to: date | None = Field(default=None, alias="to", description="Due on or before")
    status: str = Field(
        default="all",
        description="Comma-separated: open, snoozed, done, dismissed, or all "
        "(a snoozed duty is open again from its snoozed_until date)",
        max_length=60,
    )
    subject: str | None = Field(
        default=None,
        description="Only this person's or enterprise's duties: self-<id>, household-<id> "
        "or enterprise-<id> (the subject's kind and id as in each item)",
        pattern=r"^(self|household|enterprise)-[0-9]{1,12}$",
    )
    lang: Literal["zh_Hans", "zh_Hant", "en"] | None = Field(
        default=None, description="Language of title and explanation (default: the account's)"
    )

    @field_validator("status")
    @classmethod
    def _statuses(cls, value: str) -> str:
        parts = [p.strip() for p in value.split(",") if p.strip()]
        if not parts or any(p not in STATUS_CHOICES for p in parts):
            raise invalid("literal_error", "Choose from: " + ", ".join(STATUS_CHOICES))
        return ",".join(parts)

    @model_validator(mode="after")
    def _order(self):
        if self.date_from and self.date_to and self.date_to < self.date_from:
            raise invalid("value_error", "'to' must not be before 'from'")
        return self

    def statuses(self) -> tuple[str, ...]:
        parts = self.status.split(",")
        return duties.VISIBLE_STATUSES if "all" in parts else tuple(parts)


class SubjectOut(BaseModel):
    kind: Literal["self", "household", "enterprise"]
    id: int
    name: str


class AmountOut(BaseModel):
    value: int
    currency: Literal["CNY"]
    period: Literal["month", "year", "once"]


class DeductionOut(BaseModel):
    """A deduction to confirm for next year (iit_deduction_confirmation), with its amount."""

    key: str
    title: str
    subject: SubjectOut
    amount: AmountOut
    # "from" is a Python keyword: the field is named from_ and serialised as "from".
    from_: date = Field(alias="from")
    to: date
    legal_basis: str

    model_config = ConfigDict(
        serialize_by_alias=True, validate_by_name=True, validate_by_alias=True
    )


class DutyOut(OutModel):
    id: int
    rule: str
    occurrence: str
    subject: SubjectOut
    service_code: str
    title: str
    window_start: date
    due_date: date
    status: Literal["open", "snoozed", "done", "dismissed"]
    snoozed_until: date | None
    legal_basis: str
    explanation: str
    provisional: bool = Field(
        description="The date depends on a holiday arrangement not yet published"
    )
    advisory: bool = Field(description="Advice: the law says 'may', or the duty rests on a guess")
    required: bool = Field(description="Required by law (the opposite of advisory)")
    computed_expiry: bool = Field(
        description="The date rests on a document expiry computed from the law, not entered"
    )
    life_event: str | None
    deductions: list[DeductionOut] = Field(
        default_factory=list,
        description="iit_deduction_confirmation of the account holder: the deductions to "
        "confirm for next year, from their household and facts (empty for other duties)",
    )


class DutyList(BaseModel):
    items: list[DutyOut]


class SnoozeIn(StrictModel):
    until: date = Field(description="Hide the duty until this date (after today)")


def _with_deductions(duty, today: date, locale: str) -> dict:
    item = duties.duty_dict(duty, today, locale)
    found = entitlements.deductions_for_duty(db.session, duty, today)
    if found:
        with force_locale(locale):
            item["deductions"] = entitlements.deductions_as_dicts(found)
    return item


def _items(rows, account, lang) -> dict:
    today = clock.local_today()
    locale = api_locale(lang)
    return {"items": [_with_deductions(d, today, locale) for d in rows]}


@endpoint(
    bp,
    "/me/duties",
    summary="The caller's duties: own, household members' and enterprises', by due date",
    tag="duties",
    query=DutyQuery,
    response=DutyList,
    act_as="view|act",  # a holder who may act sees the duties they act on
)
def list_duties(query: DutyQuery):
    account = current_account()
    rows = duties.duties_for_account(
        db.session, account, query.date_from, query.date_to, query.statuses()
    )
    if query.subject:
        rows = [d for d in rows if duties.subject_key(d) == query.subject]
    return _items(rows, account, query.lang)


def _one(duty, account, lang=None) -> dict:
    return _with_deductions(duty, clock.local_today(), api_locale(lang))


def _action(name: str, summary: str, body=None):
    def view(duty_id: int, body=None):
        account = current_account()
        if name == "snooze":
            duty = duties.snooze(db.session, account, duty_id, body.until)
        else:
            duty = getattr(duties, name)(db.session, account, duty_id)
        db.session.commit()
        return _one(duty, account)

    view.__name__ = f"duty_{name}"
    return endpoint(
        bp,
        f"/me/duties/<int:duty_id>/{name.removeprefix('mark_')}",
        "POST",
        summary=summary,
        tag="duties",
        body=body,
        response=DutyOut,
        errors=(400, 404) if body is not None else (404,),
        act_as="act",
    )(view)


_action("mark_done", "Mark a duty done")
_action("snooze", "Snooze a duty until a date", body=SnoozeIn)
_action("dismiss", "Dismiss a duty (it does not apply to me)")
_action("reopen", "Reopen a duty that was done, snoozed or dismissed")


@endpoint(
    bp,
    "/enterprises/<credit_code>/duties",
    summary="An enterprise's duties (members only)",
    tag="enterprises",
    query=DutyQuery,
    response=DutyList,
    errors=(404,),
)
def enterprise_duties(credit_code: str, query: DutyQuery):
    account = current_account()
    enterprise, _membership = enterprises.get_for_member(db.session, account, credit_code)
    rows = duties.duties_for_enterprise(
        db.session, enterprise, query.date_from, query.date_to, query.statuses()
    )
    return _items(rows, account, query.lang)
