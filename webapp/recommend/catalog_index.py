"""The catalog and the admin rules as the recommender sees them: the service index (item
metadata, eligibility conditions, bundles) with its version, and the published rules and
blend parameters."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from lifecycle.eligibility import ConditionError, ServiceConditions, parse_conditions
from recommender.blend import BlendParams
from recommender.context import ItemMeta
from recommender.rules import Rule
from webapp import catalog
from webapp.catalog.models import (
    Bundle,
    BundleService,
    Department,
    LifeEvent,
    Service,
    service_life_event,
)
from webapp.recommend.models import RuleVersion


def scope_prefix(scope: str | None) -> str:
    """A service's ``region_scope`` as an eligibility prefix (``440100`` → ``4401``)."""
    if not scope or scope == "national":
        return ""
    prefix = scope
    while prefix.endswith("00") and len(prefix) > 2:
        prefix = prefix[:-2]
    return prefix


# ---------------------------------------------------------------------- catalog
@dataclass
class CatalogIndex:
    """The catalog as the recommender sees it, with look-ups built once."""

    version: str
    items: list[ItemMeta]
    service_ids: dict[str, int]
    by_event: dict[str, list[str]] = field(default_factory=dict)
    bundled: dict[str, set[str]] = field(default_factory=dict)  # life event → bundle services
    # code → the service's eligibility conditions (parsed once per catalog version)
    conditions: dict[str, ServiceConditions] = field(default_factory=dict)


def catalog_version(session: Session) -> str:
    """The catalog feature's version of the catalog (one definition)."""
    return catalog.catalog_version(session)


def load_catalog(session: Session) -> CatalogIndex:
    """Active services as ItemMeta (three queries), with life-event and bundle indexes."""
    version = catalog_version(session)
    events: dict[int, list[str]] = {}
    for sid, key in session.execute(
        select(service_life_event.c.service_id, LifeEvent.key)
        .join(LifeEvent, LifeEvent.id == service_life_event.c.life_event_id)
        .order_by(service_life_event.c.service_id, service_life_event.c.position)
    ):
        events.setdefault(sid, []).append(key)
    items: list[ItemMeta] = []
    ids: dict[str, int] = {}
    conditions: dict[str, ServiceConditions] = {}
    rows = session.execute(
        select(Service, Department.code)
        .join(Department, Department.id == Service.department_id)
        .where(Service.active)
        .order_by(Service.code)
    ).all()
    for service, dept in rows:
        # Who the service is for is decided by the eligibility gate (its conditions name
        # whose age or gender counts); the blend only keeps the region scope.
        prefix = scope_prefix(service.region_scope)
        elig = {"region_prefix": prefix} if prefix else {}
        items.append(
            ItemMeta(
                code=service.code,
                title=dict(service.name or {}),
                department=dept,
                themes=tuple(service.themes or ()),
                life_events=tuple(events.get(service.id, ())),
                audience=service.audience,
                eligibility=elig,
                online_level=service.online_level,
            )
        )
        ids[service.code] = service.id
        try:
            parsed = parse_conditions(service.eligibility or {})
        except ConditionError:
            parsed = parse_conditions({})  # validated on every write; never trust a stale row
        conditions[service.code] = ServiceConditions(service.code, parsed, prefix or None)
    index = CatalogIndex(version, items, ids, conditions=conditions)
    for it in items:
        for ev in it.life_events:
            index.by_event.setdefault(ev, []).append(it.code)
    for code, ev in session.execute(
        select(Service.code, LifeEvent.key)
        .join(BundleService, BundleService.service_id == Service.id)
        .join(Bundle, Bundle.id == BundleService.bundle_id)
        .join(LifeEvent, LifeEvent.id == Bundle.life_event_id)
    ):
        index.bundled.setdefault(ev, set()).add(code)
    return index


def catalog_items(session: Session) -> list[ItemMeta]:
    return load_catalog(session).items


# ---------------------------------------------------------------------- rules
def blend_params_from(data: Mapping | None) -> BlendParams:
    """BlendParams from a rule version's ``blend_params`` (unknown keys ignored)."""
    known = set(BlendParams.__dataclass_fields__)
    values = {k: v for k, v in (data or {}).items() if k in known and v is not None}
    try:
        return BlendParams(**values)
    except (TypeError, ValueError):
        return BlendParams()


def parse_rules(rules: Iterable[Mapping]) -> list[Rule]:
    """Published rules (the API's JSON shape); a malformed one is skipped, not fatal."""
    out = []
    for n, data in enumerate(rules or ()):
        try:
            out.append(Rule.from_dict(data, rule_id=data.get("id", n + 1)))
        except (ValueError, TypeError, AttributeError):
            continue
    return out


def current_rule_version(session: Session) -> RuleVersion | None:
    return session.scalar(
        select(RuleVersion).where(RuleVersion.is_current).order_by(RuleVersion.id.desc()).limit(1)
    )
