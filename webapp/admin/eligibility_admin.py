"""Admin editing of a service's eligibility conditions and of the 高龄津贴 region table.

The conditions go through the one validator (``lifecycle.eligibility.parse_conditions``)
the catalog loader and the zip import use. A preview words them and counts, over a sample
of citizens, how many are eligible, unknown and not eligible; nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import yaml
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from lifecycle.eligibility import ConditionError, evaluate, parse_conditions
from webapp import entitlements
from webapp.accounts.models import Account
from webapp.catalog.models import Service
from webapp.core import audit
from webapp.core.model_base import utcnow
from webapp.core.service_errors import NotFound, ServiceError
from webapp.recommend.models import Setting

ELDERLY_SETTING = "entitlements.elderly_allowance"


@dataclass(frozen=True)
class ConditionsPreview:
    conditions: dict
    audience: str
    reach: dict[str, int]  # eligible / unknown / not_eligible over the sample


def parse_text(text: str | dict | None) -> dict:
    """YAML (or JSON) text → the canonical conditions, or a ServiceError naming the problem."""
    if isinstance(text, dict):
        raw = text
    else:
        try:
            raw = yaml.safe_load(text or "") or {}
        except yaml.YAMLError as exc:
            raise ServiceError(
                "invalid_yaml", _("Not valid YAML: %(e)s", e=str(exc)[:200]), "eligibility"
            ) from exc
    try:
        return parse_conditions(raw).to_dict()
    except ConditionError as exc:
        raise ServiceError("invalid_conditions", str(exc), "eligibility") from exc


def _service(session: Session, code: str) -> Service:
    row = session.scalar(select(Service).where(Service.code == code))
    if row is None:
        raise NotFound(_("No such service."))
    return row


def preview(
    session: Session, code: str, text: str | dict, today: date, sample_size: int = 100
) -> ConditionsPreview:
    service = _service(session, code)
    canonical = parse_text(text)
    parsed = parse_conditions(canonical)
    scope = None if service.region_scope in (None, "national") else service.region_scope
    reach = {"eligible": 0, "unknown": 0, "not_eligible": 0}
    accounts = session.scalars(
        select(Account).where(Account.role == "citizen").order_by(Account.id).limit(sample_size)
    )
    for account in accounts:
        household = entitlements.household_for_account(session, account, today)
        verdict = evaluate(parsed, today, household=household, region_scope=scope)
        reach[verdict.outcome] += 1
    return ConditionsPreview(canonical, entitlements.audience_words(parsed), reach)


def save(session: Session, actor_id: int | None, code: str, text: str | dict) -> Service:
    service = _service(session, code)
    canonical = parse_text(text)
    before = dict(service.eligibility or {})
    service.eligibility = canonical
    service.updated_at = utcnow()  # serving rebuilds its catalog (and the gate) when this moves
    audit.record(
        session,
        actor_id,
        "service.eligibility",
        "service",
        code,
        {"eligibility": before},
        {"eligibility": canonical},
    )
    session.flush()
    return service


def elderly_table(session: Session) -> dict:
    row = session.get(Setting, ELDERLY_SETTING)
    return dict(row.value) if row is not None else {"regions": []}


def save_elderly_table(session: Session, actor_id: int | None, text: str | dict) -> dict:
    """Validate and store the 高龄津贴 table: regions with dated age bands and a source."""
    try:
        data = text if isinstance(text, dict) else (yaml.safe_load(text or "") or {})
        regions = data.get("regions", []) if isinstance(data, dict) else None
        if not isinstance(regions, list):
            raise ValueError("'regions' must be a list")
        clean = []
        for r in regions:
            prefix = str(r["prefix"])
            if not prefix.isdigit() or not 2 <= len(prefix) <= 6:
                raise ValueError(f"bad region prefix {prefix!r}")
            start = date.fromisoformat(str(r["from"]))
            end = date.fromisoformat(str(r["to"])) if r.get("to") else None
            if end is not None and end < start:
                raise ValueError(f"{prefix}: 'to' is before 'from'")
            if not str(r.get("basis") or "").strip():
                raise ValueError(f"{prefix}: cite the local document in 'basis'")
            bands = [
                {"age_min": int(b["age_min"]), "monthly": int(b["monthly"])} for b in r["bands"]
            ]
            if not bands or any(not 60 <= b["age_min"] <= 120 or b["monthly"] < 0 for b in bands):
                raise ValueError(f"{prefix}: bands need age_min 60–120 and a monthly amount ≥ 0")
            clean.append(
                {
                    "prefix": prefix,
                    "from": start.isoformat(),
                    "to": end.isoformat() if end else None,
                    "basis": str(r["basis"]).strip(),
                    "bands": bands,
                }
            )
    except (KeyError, TypeError, ValueError, yaml.YAMLError) as exc:
        raise ServiceError(
            "invalid_table", _("The table is not valid: %(e)s", e=str(exc)[:200]), "table"
        ) from exc
    value = {"regions": clean}
    row = session.get(Setting, ELDERLY_SETTING)
    before = dict(row.value) if row is not None else None
    if row is None:
        row = Setting(key=ELDERLY_SETTING, value=value)
        session.add(row)
    else:
        row.value = value
    audit.record(
        session,
        actor_id,
        "entitlements.elderly_allowance",
        "setting",
        ELDERLY_SETTING,
        before,
        value,
    )
    session.flush()
    entitlements.reset_params_cache()
    return value
