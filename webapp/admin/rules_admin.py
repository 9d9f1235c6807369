"""Recommendation rules as drafts, published as versions, compared and rolled back.

Drafts live in ``rec_rule``; the draft blend parameters in ``setting["blend_params"]``.
Publishing snapshots every draft (with its id and ``enabled`` flag) and the parameters
into a new ``rule_version`` that becomes current; serving reads only the current version.
Rolling back makes an earlier version current again and restores the drafts from it.
Every change is written to the audit trail in the same transaction.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session

from recommender.blend import BlendParams
from recommender.rules import Rule
from webapp.admin.schemas import BlendParamsIn, RuleIn
from webapp.catalog.models import Department, Service
from webapp.core import audit
from webapp.core.service_errors import NotFound, ServiceError
from webapp.recommend.models import RecRule, RuleVersion, Setting

BLEND_KEY = "blend_params"
BLEND_FIELDS = ("w_model", "w_life", "w_life_next", "w_duty", "w_popularity", "diversity_cap")
RULE_FIELDS = (
    "name",
    "enabled",
    "action",
    "weight",
    "position",
    "targets",
    "segment",
    "valid_from",
    "valid_to",
    "priority",
)


# ------------------------------------------------------------------ shapes
def default_params() -> dict:
    d = asdict(BlendParams())
    return {k: d[k] for k in BLEND_FIELDS}


def rule_dict(row: RecRule) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "enabled": row.enabled,
        "action": row.action,
        "weight": row.weight,
        "position": row.position,
        "targets": dict(row.targets or {}),
        "segment": dict(row.segment or {}),
        "valid_from": row.valid_from.isoformat() if row.valid_from else None,
        "valid_to": row.valid_to.isoformat() if row.valid_to else None,
        "priority": row.priority,
    }


def _compact(d: dict) -> dict:
    """Drop empty conditions and targets so a stored rule shows only what it says."""
    return {k: v for k, v in d.items() if v not in (None, [], "", ())}


def check_rule(session: Session, data: RuleIn) -> dict[str, Any]:
    """Validate meaning beyond types; return the storable rule dict (without id)."""
    seg, tgt = data.segment, data.targets
    if data.action == "pin" and data.position is None:
        raise ServiceError(
            "position_required", _("A pin needs a position (1 or more)."), "position"
        )
    if data.action in ("boost", "bury") and data.weight <= 0:
        raise ServiceError(
            "weight_required", _("A boost or bury needs a weight above 0."), "weight"
        )
    if not (tgt.services or tgt.themes or tgt.life_events or tgt.departments):
        raise ServiceError(
            "targets_required",
            _("Name at least one target: services, themes, life events or departments."),
            "targets.services",
        )
    if seg.age_min is not None and seg.age_max is not None and seg.age_min > seg.age_max:
        raise ServiceError(
            "age_range", _("The minimum age must not exceed the maximum age."), "segment.age_min"
        )
    if (
        seg.child_age_min is not None
        and seg.child_age_max is not None
        and seg.child_age_min > seg.child_age_max
    ):
        raise ServiceError(
            "child_age_range",
            _("The minimum child age must not exceed the maximum child age."),
            "segment.child_age_min",
        )
    if data.valid_from and data.valid_to and data.valid_to < data.valid_from:
        raise ServiceError(
            "validity", _("The rule must end on or after the day it starts."), "valid_to"
        )
    if tgt.services:
        known = set(session.scalars(select(Service.code).where(Service.code.in_(tgt.services))))
        unknown = [c for c in tgt.services if c not in known]
        if unknown:
            raise ServiceError(
                "unknown_service",
                _("Unknown service code(s): %(codes)s", codes=", ".join(unknown)),
                "targets.services",
            )
    if tgt.departments:
        known = set(
            session.scalars(select(Department.code).where(Department.code.in_(tgt.departments)))
        )
        unknown = [c for c in tgt.departments if c not in known]
        if unknown:
            raise ServiceError(
                "unknown_department",
                _("Unknown department code(s): %(codes)s", codes=", ".join(unknown)),
                "targets.departments",
            )
    out = {
        "name": data.name,
        "enabled": data.enabled,
        "action": data.action,
        "weight": float(data.weight) if data.action in ("boost", "bury") else 0.0,
        "position": data.position if data.action == "pin" else None,
        "targets": _compact(tgt.model_dump()),
        "segment": _compact(seg.model_dump()),
        "valid_from": data.valid_from,
        "valid_to": data.valid_to,
        "priority": data.priority,
    }
    try:  # the recommender's own check, so a draft always loads at serving time
        Rule.from_dict(_jsonable_rule(out), rule_id=0)
    except ValueError as exc:
        raise ServiceError("invalid_rule", str(exc), "__root__") from exc
    return out


def _jsonable_rule(d: dict) -> dict:
    out = dict(d)
    for key in ("valid_from", "valid_to"):
        if isinstance(out.get(key), date):
            out[key] = out[key].isoformat()
    return out


def to_rules(dicts: list[dict]) -> list[Rule]:
    """Recommender rules from stored or posted dicts; raises ServiceError on a bad one."""
    out = []
    for i, d in enumerate(dicts):
        d = dict(d)
        rid = d.pop("id", None) or f"draft{i + 1}"
        try:
            out.append(Rule.from_dict(d, rule_id=rid))
        except (ValueError, TypeError) as exc:
            raise ServiceError(
                "invalid_rule", _("Rule %(n)s: %(error)s", n=i + 1, error=str(exc)), "rules"
            ) from exc
    return out


# ------------------------------------------------------------------ drafts
def list_drafts(session: Session) -> list[RecRule]:
    return list(session.scalars(select(RecRule).order_by(RecRule.priority.desc(), RecRule.id)))


def get_draft(session: Session, rule_id: int) -> RecRule:
    row = session.get(RecRule, rule_id)
    if row is None:
        raise NotFound(_("No such rule."))
    return row


def create_draft(session: Session, actor_id: int | None, data: RuleIn) -> RecRule:
    values = check_rule(session, data)
    row = RecRule(**values)
    session.add(row)
    session.flush()
    audit.record(session, actor_id, "rule.create", "rule", row.id, None, rule_dict(row))
    return row


def update_draft(session: Session, actor_id: int | None, rule_id: int, data: RuleIn) -> RecRule:
    row = get_draft(session, rule_id)
    before = rule_dict(row)
    values = check_rule(session, data)
    for key, value in values.items():
        setattr(row, key, value)
    session.flush()
    audit.record(session, actor_id, "rule.update", "rule", row.id, before, rule_dict(row))
    return row


def set_enabled(session: Session, actor_id: int | None, rule_id: int, enabled: bool) -> RecRule:
    row = get_draft(session, rule_id)
    before = rule_dict(row)
    row.enabled = enabled
    session.flush()
    action = "rule.enable" if enabled else "rule.disable"
    audit.record(session, actor_id, action, "rule", row.id, before, rule_dict(row))
    return row


def delete_draft(session: Session, actor_id: int | None, rule_id: int) -> None:
    row = get_draft(session, rule_id)
    before = rule_dict(row)
    session.delete(row)
    session.flush()
    audit.record(session, actor_id, "rule.delete", "rule", rule_id, before, None)


# ------------------------------------------------------------------ blend parameters
def draft_params(session: Session) -> dict:
    row = session.get(Setting, BLEND_KEY)
    params = default_params()
    if row is not None and isinstance(row.value, dict):
        params.update({k: row.value[k] for k in BLEND_FIELDS if k in row.value})
    return params


def set_params(session: Session, actor_id: int | None, data: BlendParamsIn) -> dict:
    before = draft_params(session)
    value = data.model_dump()
    row = session.get(Setting, BLEND_KEY)
    if row is None:
        session.add(Setting(key=BLEND_KEY, value=value))
    else:
        row.value = value
    session.flush()
    audit.record(session, actor_id, "blend_params.update", "blend_params", BLEND_KEY, before, value)
    return value


def blend_params_of(params: dict | None) -> BlendParams:
    merged = default_params()
    merged.update({k: v for k, v in (params or {}).items() if k in BLEND_FIELDS})
    return BlendParams(
        w_model=float(merged["w_model"]),
        w_life=float(merged["w_life"]),
        w_popularity=float(merged["w_popularity"]),
        diversity_cap=int(merged["diversity_cap"]),
        w_life_next=float(merged["w_life_next"]),
        w_duty=float(merged["w_duty"]),
    )


# ------------------------------------------------------------------ versions
def versions(session: Session) -> list[RuleVersion]:
    return list(session.scalars(select(RuleVersion).order_by(RuleVersion.version.desc())))


def current_version(session: Session) -> RuleVersion | None:
    return session.scalar(select(RuleVersion).where(RuleVersion.is_current.is_(True)))


def get_version(session: Session, version: int) -> RuleVersion:
    row = session.scalar(select(RuleVersion).where(RuleVersion.version == version))
    if row is None:
        raise NotFound(_("No such version."))
    return row


def _make_current(session: Session, row: RuleVersion) -> None:
    session.execute(update(RuleVersion).where(RuleVersion.id != row.id).values(is_current=False))
    row.is_current = True
    session.flush()


def publish(session: Session, actor_id: int | None, note: str | None = None) -> RuleVersion:
    """Snapshot the drafts and draft parameters as a new current version."""
    rules = [rule_dict(r) for r in list_drafts(session)]
    to_rules(rules)  # every draft must load
    number = (session.scalar(select(func.max(RuleVersion.version))) or 0) + 1
    before = current_version(session)
    row = RuleVersion(
        version=number,
        rules=rules,
        blend_params=draft_params(session),
        note=note,
        is_current=False,
        published_by=actor_id,
    )
    session.add(row)
    session.flush()
    _make_current(session, row)
    audit.record(
        session,
        actor_id,
        "rules.publish",
        "rule_version",
        number,
        {"current_version": before.version if before else None},
        {"version": number, "rules": rules, "blend_params": row.blend_params, "note": note},
    )
    return row


def rollback(session: Session, actor_id: int | None, version: int) -> RuleVersion:
    """Make ``version`` current and replace the drafts with its rules and parameters."""
    row = get_version(session, version)
    before = current_version(session)
    before_drafts = [rule_dict(r) for r in list_drafts(session)]
    _make_current(session, row)
    session.execute(delete(RecRule))
    session.flush()
    for d in row.rules:
        session.add(
            RecRule(
                id=d.get("id"),
                name=d["name"],
                enabled=bool(d.get("enabled", True)),
                action=d["action"],
                weight=float(d.get("weight") or 0.0),
                position=d.get("position"),
                targets=dict(d.get("targets") or {}),
                segment=dict(d.get("segment") or {}),
                valid_from=date.fromisoformat(d["valid_from"]) if d.get("valid_from") else None,
                valid_to=date.fromisoformat(d["valid_to"]) if d.get("valid_to") else None,
                priority=int(d.get("priority") or 0),
            )
        )
    session.flush()
    _fix_sequence(session)
    setting = session.get(Setting, BLEND_KEY)
    if setting is None:
        session.add(Setting(key=BLEND_KEY, value=dict(row.blend_params)))
    else:
        setting.value = dict(row.blend_params)
    session.flush()
    audit.record(
        session,
        actor_id,
        "rules.rollback",
        "rule_version",
        version,
        {"current_version": before.version if before else None, "drafts": before_drafts},
        {"current_version": version, "drafts": row.rules},
    )
    return row


def _fix_sequence(session: Session) -> None:
    """Rows restored with their old ids: move PostgreSQL's id sequence past them."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text(
                "SELECT setval(pg_get_serial_sequence('rec_rule', 'id'), "
                "COALESCE((SELECT MAX(id) FROM rec_rule), 0) + 1, false)"
            )
        )


def diff(session: Session, a: int, b: int) -> dict[str, Any]:
    """What changed from version ``a`` to version ``b``: rules added, removed, changed
    (field by field) and blend parameter changes."""
    va, vb = get_version(session, a), get_version(session, b)
    return diff_snapshots(va.rules, va.blend_params, vb.rules, vb.blend_params)


def diff_snapshots(rules_a, params_a, rules_b, params_b) -> dict[str, Any]:
    by_a = {str(r.get("id")): r for r in rules_a}
    by_b = {str(r.get("id")): r for r in rules_b}
    added = [by_b[k] for k in by_b if k not in by_a]
    removed = [by_a[k] for k in by_a if k not in by_b]
    changed = []
    for k in by_a:
        if k in by_b and by_a[k] != by_b[k]:
            fields = [
                {"field": f, "before": by_a[k].get(f), "after": by_b[k].get(f)}
                for f in RULE_FIELDS
                if by_a[k].get(f) != by_b[k].get(f)
            ]
            changed.append({"id": k, "name": by_b[k].get("name"), "fields": fields})
    params = [
        {"field": f, "before": (params_a or {}).get(f), "after": (params_b or {}).get(f)}
        for f in BLEND_FIELDS
        if (params_a or {}).get(f) != (params_b or {}).get(f)
    ]
    return {"added": added, "removed": removed, "changed": changed, "params": params}


def pending_changes(session: Session) -> dict[str, Any]:
    """The drafts compared with the current version (what publishing would change)."""
    cur = current_version(session)
    return diff_snapshots(
        cur.rules if cur else [],
        cur.blend_params if cur else default_params(),
        [rule_dict(r) for r in list_drafts(session)],
        draft_params(session),
    )
