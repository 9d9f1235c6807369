"""Plain values passed into and out of blending: items, the user, signals, reasons."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from .features import Tag, child_band, citizen_tags, enterprise_tags

REASON_KINDS = ("lifecycle", "similar_users", "rule", "popular", "duty", "together")


@dataclass(frozen=True)
class ItemMeta:
    """A service of the catalog, as the recommender sees it."""

    code: str
    title: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    department: str = ""
    themes: tuple[str, ...] = ()
    life_events: tuple[str, ...] = ()
    audience: str = "citizen"  # citizen | enterprise | both
    eligibility: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)
    online_level: int | str | None = None

    def __post_init__(self) -> None:
        if self.audience not in ("citizen", "enterprise", "both"):
            raise ValueError(f"item {self.code}: audience must be citizen, enterprise or both")
        object.__setattr__(self, "themes", tuple(self.themes))
        object.__setattr__(self, "life_events", tuple(self.life_events))


@dataclass(frozen=True)
class LifecycleSignal:
    """How strongly the life cycle (or an open duty) points at a service, and why."""

    strength: float
    reason: dict[str, str]
    source: str
    kind: str = "lifecycle"  # lifecycle | duty
    timing: str = "current"  # current (an event now, or a duty) | next (an upcoming event)


@dataclass(frozen=True)
class Reason:
    kind: str
    text: dict[str, str]
    source: str


@dataclass(frozen=True)
class Recommendation:
    code: str
    score: float
    reasons: list[Reason]


@dataclass
class UserContext:
    """The subject a page is served for. ``audience`` is ``citizen`` or ``enterprise``."""

    user_id: str | None = None
    audience: str = "citizen"
    age: int | None = None
    gender: str | None = None
    region_code: str | None = None
    life_stages_current: tuple[str, ...] = ()
    life_stages_next: tuple[str, ...] = ()
    child_ages: tuple[int, ...] = ()
    employment: str | None = None
    industry: str | None = None
    size: str | None = None
    enterprise_age: int | None = None
    has_elderly_parent: bool = False
    lifecycle_signals: dict[str, LifecycleSignal] = field(default_factory=dict)
    dismissed: set[str] = field(default_factory=set)
    personalized: bool = True
    disabled_tags: set[str] = field(default_factory=set)
    # services whose eligibility is not known yet (a fact is missing): shown below the others
    uncertain: set[str] = field(default_factory=set)

    def all_tags(self) -> list[Tag]:
        """Every tag the recommender could use, disabled ones included (for the privacy page)."""
        if self.audience == "enterprise":
            return enterprise_tags(self.industry, self.size, self.enterprise_age, self.region_code)
        return citizen_tags(
            self.age,
            self.gender,
            self.region_code,
            self.life_stages_current,
            self.child_ages,
            self.employment,
            self.has_elderly_parent,
        )

    def effective(self) -> UserContext:
        """A copy without the facts behind disabled tags, so nothing uses them."""
        off = self.disabled_tags
        if not off:
            return self
        ctx = replace(self)
        prefixes = {k.split(":", 1)[0] for k in off}
        own = {t.key for t in self.all_tags()}
        hit = {k.split(":", 1)[0] for k in off & own}
        if "age" in hit:
            ctx.age = None
        if "gender" in hit:
            ctx.gender = None
        if "region" in hit or "region_prov" in hit:
            ctx.region_code = None
        if "employment" in hit:
            ctx.employment = None
        if "industry" in hit:
            ctx.industry = None
        if "size" in hit:
            ctx.size = None
        if "ent_age" in hit:
            ctx.enterprise_age = None
        if "household:elderly_parent" in off:
            ctx.has_elderly_parent = False
        if "stage" in prefixes:
            ctx.life_stages_current = tuple(
                s for s in self.life_stages_current if f"stage:{s}" not in off
            )
            ctx.life_stages_next = tuple(
                s for s in self.life_stages_next if f"stage:{s}" not in off
            )
        if "child" in prefixes:
            ctx.child_ages = tuple(
                a for a in self.child_ages if f"child:{child_band(a)}" not in off
            )
        ctx.disabled_tags = set()
        return ctx

    def tags(self) -> list[Tag]:
        """The tags in use: all tags minus the disabled ones."""
        return [t for t in self.effective().all_tags() if t.key not in self.disabled_tags]

    def feature_keys(self) -> list[str]:
        """Model user features for this subject (disabled tags left out)."""
        return [t.key for t in self.tags()]
