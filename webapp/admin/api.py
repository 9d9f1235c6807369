"""Admin API: recommendation rules as drafts, publish, roll back and the sandbox preview."""

from __future__ import annotations

from flask import request
from pydantic import ValidationError

from webapp import duties
from webapp.admin import rules_admin, sandbox
from webapp.admin.schemas import (
    HolidaysIn,
    HolidaysOut,
    PreviewIn,
    PreviewOut,
    PublishIn,
    RollbackIn,
    RuleIn,
    RuleList,
    RuleOut,
    VersionOut,
)
from webapp.core.api import bp
from webapp.core.api.spec import current_account, endpoint
from webapp.core.clock import local_today
from webapp.core.db import db
from webapp.core.errors import json_error
from webapp.core.schemas import field_errors


def _version_out(row) -> dict:
    return {
        "version": row.version,
        "is_current": row.is_current,
        "rules": len(row.rules or []),
        "blend_params": row.blend_params,
        "note": row.note,
    }


@endpoint(bp, "/admin/rules", summary="The draft rules", tag="admin", response=RuleList, admin=True)
def list_rules():
    session = db.session
    current = rules_admin.current_version(session)
    return {
        "items": [rules_admin.rule_dict(r) for r in rules_admin.list_drafts(session)],
        "blend_params": rules_admin.draft_params(session),
        "current_version": current.version if current else None,
    }


@endpoint(
    bp, "/admin/rules", "POST", summary="Create a draft rule", tag="admin",
    body=RuleIn, response=RuleOut, status=201, errors=(400,), admin=True,
)  # fmt: skip
def create_rule(body: RuleIn):
    row = rules_admin.create_draft(db.session, current_account().id, body)
    db.session.commit()
    return rules_admin.rule_dict(row)


@endpoint(
    bp, "/admin/rules/<int:rule_id>", summary="A draft rule", tag="admin",
    response=RuleOut, errors=(404,), admin=True,
)  # fmt: skip
def get_rule(rule_id: int):
    return rules_admin.rule_dict(rules_admin.get_draft(db.session, rule_id))


@endpoint(
    bp, "/admin/rules/<int:rule_id>", "PUT", summary="Replace a draft rule", tag="admin",
    body=RuleIn, response=RuleOut, errors=(400, 404), admin=True,
)  # fmt: skip
def put_rule(rule_id: int, body: RuleIn):
    row = rules_admin.update_draft(db.session, current_account().id, rule_id, body)
    db.session.commit()
    return rules_admin.rule_dict(row)


@endpoint(
    bp, "/admin/rules/<int:rule_id>", "DELETE", summary="Delete a draft rule", tag="admin",
    status=204, errors=(404,), admin=True,
)  # fmt: skip
def delete_rule(rule_id: int):
    rules_admin.delete_draft(db.session, current_account().id, rule_id)
    db.session.commit()
    return "", 204


def _optional_body(schema):
    """An optional JSON body: nothing or {} means the defaults; unknown fields are 422."""
    payload = request.get_json(silent=True) if request.data else {}
    if payload is None or not isinstance(payload, dict):
        return None, json_error(422, "invalid_body", "Send a JSON object.")
    try:
        return schema.model_validate(payload), None
    except ValidationError as exc:
        return None, json_error(
            422, "validation_error", "The request is not valid.", fields=field_errors(exc)
        )


@endpoint(
    bp, "/admin/rules/publish", "POST", summary="Publish the drafts as a new current version",
    tag="admin", response=VersionOut, status=201, errors=(400, 422), admin=True,
)  # fmt: skip
def publish_rules():
    body, failure = _optional_body(PublishIn)
    if failure is not None:
        return failure
    row = rules_admin.publish(db.session, current_account().id, body.note)
    db.session.commit()
    return _version_out(row)


@endpoint(
    bp, "/admin/rules/rollback", "POST", summary="Make an earlier version current again",
    tag="admin", body=RollbackIn, response=VersionOut, errors=(404,), admin=True,
)  # fmt: skip
def rollback_rules(body: RollbackIn):
    row = rules_admin.rollback(db.session, current_account().id, body.version)
    db.session.commit()
    return _version_out(row)


@endpoint(
    bp, "/admin/rules/preview", "POST", summary="Preview draft rules without publishing",
    tag="admin", body=PreviewIn, response=PreviewOut, errors=(400, 404), admin=True,
)  # fmt: skip
def preview_rules(body: PreviewIn):
    session = db.session
    if body.rules is None:
        rules = rules_admin.to_rules(
            [rules_admin.rule_dict(r) for r in rules_admin.list_drafts(session)]
        )
    else:
        rules = [
            rules_admin.to_rules(
                [
                    {
                        **rules_admin.check_rule(session, _rule_in(d, i)),
                        "id": d.get("id") or f"draft{i + 1}",
                    }
                ]
            )[0]  # noqa: E501
            for i, d in enumerate(body.rules)
        ]
    params = rules_admin.blend_params_of(rules_admin.draft_params(session))
    account = None
    if body.user_id is not None or body.email:
        from webapp.admin import citizen_lookup

        purpose = citizen_lookup.require_purpose(body.purpose or "")
        account = sandbox.find_account(session, user_id=body.user_id, email=body.email)
    result = sandbox.preview(session, rules, params, local_today(), account, body.sample_size)
    _log_preview(session, account, result, purpose if account is not None else "")
    return result.as_api()


def _rule_in(data: dict, index: int) -> RuleIn:
    from webapp.core.service_errors import ServiceError

    payload = {k: v for k, v in data.items() if k != "id"}
    try:
        return RuleIn.model_validate(payload)
    except ValidationError as exc:
        fields = field_errors(exc)
        where, message = next(iter(fields.items()))
        raise ServiceError(
            "invalid_rule",
            f"rules[{index}].{where}: {message}",
            f"rules.{index}.{where}",
            status=422,
        ) from exc


def _log_preview(session, account, result, purpose: str) -> None:
    from webapp.admin import citizen_lookup

    admin = session.merge(current_account())
    if account is not None:
        citizen_lookup.log_preview(session, admin, account, purpose)
    sampled = [s.user_id for s in result.samples if account is None or s.user_id != account.id]
    if sampled:
        citizen_lookup.log_preview_samples(session, admin, sampled)
    session.commit()


def _holidays_out(found, report=None) -> dict:
    return {
        "year": found.year,
        "origin": found.origin,
        "source": found.source,
        "holidays": list(found.holidays),
        "workdays": list(found.workdays),
        "provisional": found.provisional,
        "published_at": found.published_at.isoformat() if found.published_at else None,
        "duties_moved": report.moved_duties if report else None,
        "reminders_moved": report.moved_reminders if report else None,
    }


@endpoint(
    bp, "/admin/holidays/<int:year>", summary="The holiday calendar in force for a year",
    tag="admin", response=HolidaysOut, errors=(404,), admin=True,
)  # fmt: skip
def get_holidays(year: int):
    return _holidays_out(duties.holidays_in_force(db.session, year))


@endpoint(
    bp, "/admin/holidays/<int:year>", "PUT", summary="Publish a year's holiday calendar",
    tag="admin", body=HolidaysIn, response=HolidaysOut, errors=(400, 404), admin=True,
)  # fmt: skip
def put_holidays(year: int, body: HolidaysIn):
    session = db.session
    duties.holidays_in_force(session, year)  # 404 for a year out of range
    cal = duties.build_calendar(year, body.source, body.holidays, body.workdays)
    report = duties.publish_holidays(session, current_account().id, cal, local_today())
    session.commit()
    return _holidays_out(duties.holidays_in_force(session, year), report)


from webapp.admin import catalog_api, eligibility_api  # noqa: E402,F401  (registers operations)
