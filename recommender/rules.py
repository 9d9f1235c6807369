"""Admin recommendation rules (boost, bury, pin, hide per segment), as in API.md."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from .context import ItemMeta, UserContext

ACTIONS = ("boost", "bury", "pin", "hide")


def _tuple(value: Any, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        raise ValueError(f"{name} must be a list")
    return tuple(str(v) for v in value)


def _date(value: Any, name: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValueError(f"{name} must be a date YYYY-MM-DD") from exc


@dataclass(frozen=True)
class Targets:
    services: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    life_events: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return not (self.services or self.themes or self.life_events or self.departments)


@dataclass(frozen=True)
class Segment:
    """Who a rule applies to; every given condition must hold; empty matches everyone."""

    audience: str | None = None
    age_min: int | None = None
    age_max: int | None = None
    gender: str | None = None
    region_prefix: str | None = None
    life_stages: tuple[str, ...] = ()
    child_age_min: int | None = None
    child_age_max: int | None = None
    employment: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    sizes: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) in (None, (), "") for f in fields(self))

    def matches(self, ctx: UserContext) -> bool:
        """Whether ``ctx`` (with disabled tags already removed) is in the segment.

        A condition on a fact the user has not given (or has switched off) does not match.
        """
        if self.audience and self.audience not in (ctx.audience, "both"):
            return False
        if self.age_min is not None or self.age_max is not None:
            if ctx.age is None:
                return False
            if self.age_min is not None and ctx.age < self.age_min:
                return False
            if self.age_max is not None and ctx.age > self.age_max:
                return False
        if self.gender and ctx.gender != self.gender:
            return False
        if self.region_prefix and not (ctx.region_code or "").startswith(self.region_prefix):
            return False
        stages = set(ctx.life_stages_current) | set(ctx.life_stages_next)
        if self.life_stages and not stages.intersection(self.life_stages):
            return False
        if self.child_age_min is not None or self.child_age_max is not None:
            lo = self.child_age_min if self.child_age_min is not None else 0
            hi = self.child_age_max if self.child_age_max is not None else 200
            if not any(lo <= a <= hi for a in ctx.child_ages):
                return False
        if self.employment and ctx.employment not in self.employment:
            return False
        if self.industries and ctx.industry not in self.industries:
            return False
        return not (self.sizes and ctx.size not in self.sizes)


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    action: str
    enabled: bool = True
    weight: float = 0.0
    position: int | None = None
    targets: Targets = field(default_factory=Targets)
    segment: Segment = field(default_factory=Segment)
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    priority: int = 0

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise ValueError(f"rule {self.id}: action must be one of {', '.join(ACTIONS)}")
        if self.action == "pin" and (self.position is None or self.position < 1):
            raise ValueError(f"rule {self.id}: a pin needs a position of 1 or more")
        if self.action in ("boost", "bury") and self.weight < 0:
            raise ValueError(f"rule {self.id}: weight must not be negative (bury subtracts it)")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], rule_id: str | int | None = None) -> Rule:
        """A rule from the API's JSON shape; raises ValueError on bad input."""
        known = {
            "id", "name", "enabled", "action", "weight", "position", "targets", "segment",
            "valid_from", "valid_to", "priority",
        }  # fmt: skip
        extra = set(data) - known
        if extra:
            raise ValueError(f"unknown rule field(s): {', '.join(sorted(extra))}")
        t = dict(data.get("targets") or {})
        s = dict(data.get("segment") or {})
        bad = set(t) - {"services", "themes", "life_events", "departments"}
        if bad:
            raise ValueError(f"unknown target field(s): {', '.join(sorted(bad))}")
        bad = set(s) - {f.name for f in fields(Segment)}
        if bad:
            raise ValueError(f"unknown segment field(s): {', '.join(sorted(bad))}")

        def opt_int(v: Any, name: str) -> int | None:
            if v is None:
                return None
            if isinstance(v, bool) or not isinstance(v, int | float):
                raise ValueError(f"{name} must be a number")
            return int(v)

        segment = Segment(
            audience=s.get("audience"),
            age_min=opt_int(s.get("age_min"), "age_min"),
            age_max=opt_int(s.get("age_max"), "age_max"),
            gender=s.get("gender"),
            region_prefix=s.get("region_prefix"),
            life_stages=_tuple(s.get("life_stages"), "life_stages"),
            child_age_min=opt_int(s.get("child_age_min"), "child_age_min"),
            child_age_max=opt_int(s.get("child_age_max"), "child_age_max"),
            employment=_tuple(
                [s["employment"]] if isinstance(s.get("employment"), str) else s.get("employment"),
                "employment",
            ),
            industries=_tuple(s.get("industries"), "industries"),
            sizes=_tuple(s.get("sizes"), "sizes"),
        )
        targets = Targets(**{k: _tuple(v, k) for k, v in t.items()})
        rid = rule_id if rule_id is not None else data.get("id")
        if rid is None or not data.get("name"):
            raise ValueError("a rule needs an id and a name")
        return cls(
            id=str(rid),
            name=str(data["name"]),
            action=str(data.get("action", "")),
            enabled=bool(data.get("enabled", True)),
            weight=float(data.get("weight") or 0.0),
            position=opt_int(data.get("position"), "position"),
            targets=targets,
            segment=segment,
            valid_from=_date(data.get("valid_from"), "valid_from"),
            valid_to=_date(data.get("valid_to"), "valid_to"),
            priority=int(data.get("priority") or 0),
        )

    def active_on(self, today: dt.date) -> bool:
        if not self.enabled:
            return False
        if self.valid_from is not None and today < self.valid_from:
            return False
        return not (self.valid_to is not None and today > self.valid_to)

    def matches_user(self, ctx: UserContext, today: dt.date) -> bool:
        """Enabled, valid today, and the user (without disabled tags) is in the segment."""
        return self.active_on(today) and self.segment.matches(ctx.effective())

    def targets_item(self, item: ItemMeta) -> bool:
        t = self.targets
        return (
            item.code in t.services
            or item.department in t.departments
            or bool(set(item.themes).intersection(t.themes))
            or bool(set(item.life_events).intersection(t.life_events))
        )

    def reason_text(self, non_personalised: bool = False) -> dict[str, str]:
        # The rule's name only: its number is for administrators (the reason's source).
        zh = self.name
        en = self.name
        if non_personalised:
            zh += "，非个性化推荐"
            en += ", non-personalised ranking"
        return {"zh_Hans": zh, "en": en}
