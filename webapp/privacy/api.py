"""The privacy centre as an API: consents, tags, access log, export, delete."""

from __future__ import annotations

from datetime import datetime

from flask import Response, g, request
from flask_babel import gettext as _
from pydantic import Field, StrictBool

from webapp import enterprise as enterprise_feature
from webapp import recommend as tags
from webapp.accounts import DeleteAccountIn
from webapp.core.api import bp
from webapp.core.api.spec import current_account, endpoint
from webapp.core.clock import local_today
from webapp.core.db import db
from webapp.core.i18n import localized
from webapp.core.schemas import OutModel, StrictModel
from webapp.core.service_errors import NotFound
from webapp.privacy import consents, deletion, why
from webapp.privacy import services as privacy


class ConsentsOut(OutModel):
    personalized_recommendations: bool
    email_reminders: bool
    household_data: bool
    training_data: bool


class ConsentsIn(StrictModel):
    """Only the purposes sent are changed."""

    personalized_recommendations: StrictBool | None = None
    email_reminders: StrictBool | None = None
    household_data: StrictBool | None = None
    training_data: StrictBool | None = None


class ConsentDecisionOut(OutModel):
    purpose: str
    granted: bool
    version: str
    at: datetime


class ConsentHistoryOut(OutModel):
    items: list[ConsentDecisionOut]


class TagOut(OutModel):
    key: str
    text: str
    source: str
    source_text: str
    enabled: bool


class TagsOut(OutModel):
    personalized: bool
    items: list[TagOut]


class TagIn(StrictModel):
    enabled: StrictBool


class AccessOut(OutModel):
    id: int
    who: str
    when: datetime
    what: str
    purpose: str


class AccessLogOut(OutModel):
    items: list[AccessOut]


class ExportQuery(StrictModel):
    download: bool = Field(default=False, description="Send as a file attachment")


class WhyQuery(StrictModel):
    enterprise: str | None = Field(
        default=None, max_length=18, description="Credit code: explain an enterprise's list"
    )


class WhyReasonOut(OutModel):
    kind: str
    text: str


class EligibilityCheckOut(OutModel):
    outcome: str = Field(description="met, failed or unknown")
    text: str


class EligibilityOut(OutModel):
    audience: str = Field(description="who the service is for, in words")
    outcome: str = Field(description="eligible, not_eligible or unknown")
    outcome_text: str
    checks: list[EligibilityCheckOut]
    basis: str | None
    missing: list[str] = Field(description="facts that would decide it")


class WhyOut(OutModel):
    service_code: str
    eligibility: EligibilityOut | None = None
    title: str
    personalized: bool
    recommended: bool
    position: int | None
    reasons: list[WhyReasonOut]
    tags: list[TagOut]
    enterprise: str | None = Field(default=None, description="The enterprise's credit code")


def _me():
    return db.session.merge(current_account())


def _tag_out(tag: dict) -> dict:
    return {**tag, "text": localized(tag["text"]), "source_text": str(tag["source_text"])}


@endpoint(
    bp,
    "/me/consents",
    summary="The caller's consent per purpose",
    tag="privacy",
    response=ConsentsOut,
)
def get_consents():
    return consents.current_consents(db.session, current_account().id)


@endpoint(
    bp,
    "/me/consents",
    "PUT",
    summary="Give or withdraw consent per purpose (only the purposes sent change)",
    tag="privacy",
    body=ConsentsIn,
    response=ConsentsOut,
)
def put_consents(body: ConsentsIn):
    changes = body.model_dump(exclude_none=True)
    state = consents.set_consents(db.session, current_account().id, changes)
    db.session.commit()
    return state


@endpoint(
    bp,
    "/me/consents/history",
    summary="Every consent decision, newest first, with its version and time",
    tag="privacy",
    response=ConsentHistoryOut,
)
def get_consent_history():
    rows = consents.consent_history(db.session, current_account().id)
    return {
        "items": [
            {"purpose": r.purpose, "granted": r.granted, "version": r.version, "at": r.created_at}
            for r in rows
        ]
    }


@endpoint(
    bp,
    "/me/tags",
    summary="The facts used to recommend to the caller, in words, with their source",
    tag="privacy",
    response=TagsOut,
)
def get_tags():
    account = _me()
    return {
        "personalized": consents.is_granted(db.session, account.id, "personalized_recommendations"),
        "items": [_tag_out(t) for t in tags.my_tags(db.session, account, local_today())],
    }


@endpoint(
    bp,
    "/me/tags/<key>",
    "PUT",
    summary="Switch one tag on or off (off: no longer used for recommending)",
    tag="privacy",
    body=TagIn,
    response=TagOut,
    errors=(404,),
)
def put_tag(key: str, body: TagIn):
    tag = tags.set_tag(db.session, _me(), key, body.enabled, local_today())
    db.session.commit()
    return _tag_out(tag)


@endpoint(
    bp,
    "/me/access-log",
    summary="Who read the caller's personal data, when, and for what purpose",
    tag="privacy",
    response=AccessLogOut,
)
def get_access_log():
    rows = privacy.access_log(db.session, current_account().id)
    return {"items": [privacy.access_dict(r) for r in rows]}


@endpoint(
    bp,
    "/me/export",
    summary="All of the caller's data as JSON",
    tag="privacy",
    query=ExportQuery,
)
def get_export(query: ExportQuery):
    account = _me()
    response = Response(privacy.export_json(db.session, account), mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    if query.download:
        response.headers["Content-Disposition"] = (
            f'attachment; filename="{privacy.export_filename()}"'
        )
    return response


@endpoint(
    bp,
    "/me",
    "DELETE",
    summary="Delete the account and its personal data (confirm with the password)",
    tag="privacy",
    body=DeleteAccountIn,
    status=204,
    errors=(403, 429),
)
def delete_me(body: DeleteAccountIn):
    account = _me()
    deletion.delete_account(db.session, account, body.password, address=request.remote_addr or "")
    db.session.commit()
    g.pop("api_account", None)
    return "", 204


@endpoint(
    bp,
    "/me/why/<service_code>",
    summary="Why a service is recommended to the caller (or to one of their enterprises)",
    tag="privacy",
    query=WhyQuery,
    response=WhyOut,
    errors=(404,),
)
def get_why(service_code: str, query: WhyQuery):
    account = _me()
    enterprise = None
    if query.enterprise:
        enterprise, _membership = enterprise_feature.get_for_member(
            db.session, account, query.enterprise
        )
    ex = why.explain_recommendation(
        db.session, account, service_code[:60], local_today(), enterprise=enterprise
    )
    if ex is None:
        raise NotFound(_("No such service."))
    el = ex["eligibility"]
    return {
        **ex,
        "eligibility": {
            "audience": el.audience,
            "outcome": el.outcome,
            "outcome_text": el.outcome_text,
            "checks": [{"outcome": o, "text": t} for o, t in el.checks],
            "basis": el.basis,
            "missing": list(el.missing),
        },
        "title": localized(ex["title"]),
        "reasons": [{"kind": r["kind"], "text": localized(r["text"])} for r in ex["reasons"]],
        "tags": [_tag_out(t) for t in ex["tags"]],
        "enterprise": enterprise.credit_code if enterprise is not None else None,
    }
