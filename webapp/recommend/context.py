"""Database rows → the recommender's plain values (ItemMeta, UserContext, feature keys).

One builder for serving (``citizen_context``/``enterprise_context``, a handful of
queries per page view) and for training (``training_contexts``, bulk queries for all
users), so the model sees the same features at both ends. Privacy choices apply here:

- household members are used only with the ``household_data`` consent;
- tags the user switched off (``tag_preference.enabled = false``) are left out of the
  model features, the rule segments and the reasons (``UserContext.disabled_tags``);
- ``personalized`` follows the ``personalized_recommendations`` consent.

Regions are used at city level (``440106`` → ``440100``; municipalities ``110000`` etc.),
which is what the synthetic population and the region names know; rule segments with a
``region_prefix`` of up to 4 digits therefore match as expected.

User keys for the model: ``a<account id>`` for a citizen, ``e<enterprise id>`` for an
enterprise (interactions recorded with an ``enterprise_id`` belong to the enterprise).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from lifecycle.dates import age_on
from lifecycle.stage import Stage, enterprise_stage, infer_stage
from lifecycle.subjects import Household
from recommender.context import LifecycleSignal, UserContext
from recommender.features import child_band
from webapp import entitlements
from webapp.duties import OPEN_STATUSES
from webapp.duties.models import Duty
from webapp.enterprise.models import Enterprise
from webapp.page import dismissed_codes
from webapp.people import enterprise_subject, member_person, person_from_rows
from webapp.people.models import CitizenProfile, HouseholdMember
from webapp.privacy import current_consents
from webapp.privacy.models import TagPreference
from webapp.recommend.catalog_index import (
    CatalogIndex,
    blend_params_from,
    catalog_items,
    catalog_version,
    current_rule_version,
    load_catalog,
    parse_rules,
)
from webapp.recommend.eligibility import apply_gate, eligible_candidates, entitlement_signals

MUNICIPALITIES = ("11", "12", "31", "50")
# Strength of a life-cycle signal: an open duty (window open / opening within
# DUTY_SOON_DAYS / within a year), a dated life-stage fact, an undated one; the services of
# the life event's 一件事 bundle get BUNDLE_BONUS on top of the fact's strength, so
# "your child turns 6" lifts the school-entry bundle more than every education service.
DUTY_OPEN = 1.0
DUTY_SOON = 0.8
DUTY_LATER = 0.4
DUTY_SOON_DAYS = 90
FACT_DATED = 0.35
FACT_UNDATED = 0.15
BUNDLE_BONUS = 0.5
UPCOMING_FACTOR = 0.5

SOURCE_WORDS = {
    "profile": {"zh_Hans": "来自您的个人资料", "en": "from your profile"},
    "household": {"zh_Hans": "来自您的家庭成员信息", "en": "from your household data"},
    "enterprise": {"zh_Hans": "来自企业登记信息", "en": "from the enterprise's records"},
}


def user_key(account_id: int | None = None, enterprise_id: int | None = None) -> str:
    return f"e{enterprise_id}" if enterprise_id is not None else f"a{account_id}"


def city_region(code: str | None) -> str | None:
    """The city-level region code of a GB/T 2260 code (municipalities: the province)."""
    if not code or len(code) != 6:
        return code or None
    if code[:2] in MUNICIPALITIES:
        return code[:2] + "0000"
    if code[2:4] == "00":
        return code
    return code[:4] + "00"


# ---------------------------------------------------------------------- signals
def _with_source(text: Mapping[str, str], source: str) -> dict[str, str]:
    words = SOURCE_WORDS.get(source, SOURCE_WORDS["profile"])
    return {
        "zh_Hans": f"{text.get('zh_Hans', '')}（{words['zh_Hans']}）",
        "en": f"{text.get('en', '')} ({words['en']})",
    }


def _fact_source(subject_key: str) -> str:
    kind = subject_key.split(":", 1)[0]
    return {"household": "household", "enterprise": "enterprise"}.get(kind, "profile")


def stage_signals(
    stage: Stage, catalog: CatalogIndex, disabled_stages: set[str] = frozenset()
) -> dict[str, LifecycleSignal]:
    """Services of the current (and, weaker, the next) life events, each with its fact."""
    out: dict[str, LifecycleSignal] = {}
    for facts, factor in ((stage.current, 1.0), (stage.upcoming, UPCOMING_FACTOR)):
        for fact in facts:
            if fact.event in disabled_stages:
                continue
            dated = fact.on is not None
            base = (FACT_DATED if dated else FACT_UNDATED) * factor
            bonus = (BUNDLE_BONUS if dated else FACT_UNDATED) * factor
            source = _fact_source(fact.subject_key)
            reason = _with_source(fact.reason, source)
            bundled = catalog.bundled.get(fact.event, set())
            for code in catalog.by_event.get(fact.event, ()):
                strength = min(1.0, base + (bonus if code in bundled else 0.0))
                old = out.get(code)
                if old is None or old.strength < strength:
                    out[code] = LifecycleSignal(strength, reason, source, "lifecycle")
    return out


def duty_signals(duties: Iterable[Duty], today: date) -> dict[str, LifecycleSignal]:
    """An open duty points at its service: "ID card renewal for 李明, due 2026-03-09 (from …)"."""
    out: dict[str, LifecycleSignal] = {}
    for d in sorted(duties, key=lambda d: d.due_date):
        if d.service_code in out or d.rule.startswith("entitlement_"):
            continue  # an entitlement reminder speaks through the entitlement signal
        source = {"self": "profile", "household": "household"}.get(d.subject_kind, "enterprise")
        title = d.title or {}
        text = {
            "zh_Hans": f"{title.get('zh_Hans', '')}，截止日期 {d.due_date:%Y-%m-%d}",
            "en": f"{title.get('en', '')}, due on {d.due_date:%Y-%m-%d}",
        }
        ahead = (d.window_start - today).days
        if ahead > 365:
            continue  # far-off duties (an ID card at 16) say nothing about now
        strength = DUTY_OPEN if ahead <= 0 else DUTY_SOON if ahead <= DUTY_SOON_DAYS else DUTY_LATER
        out[d.service_code] = LifecycleSignal(strength, _with_source(text, source), source, "duty")
    return out


def _merge(
    life: Mapping[str, LifecycleSignal], duties: Mapping[str, LifecycleSignal]
) -> dict[str, LifecycleSignal]:
    """Life-stage signals, with a duty's (more specific) reason where there is one."""
    out = dict(life)
    for code, d in duties.items():
        old = out.get(code)
        if old is not None and old.strength > d.strength:
            d = LifecycleSignal(old.strength, d.reason, d.source, d.kind)
        out[code] = d
    return out


# ---------------------------------------------------------------------- citizens
@dataclass
class CitizenRows:
    account: object
    profile: CitizenProfile | None
    members: list[HouseholdMember]
    consents: dict[str, bool]
    disabled_tags: set[str]
    duties: list[Duty] = field(default_factory=list)
    dismissed: set[str] = field(default_factory=set)
    facts: dict | None = None  # stored facts by subject key (webapp.entitlements.load_facts)


def _member_tag_off(member: HouseholdMember, disabled: set[str], today: date) -> bool:
    if not disabled:
        return False
    age = age_on(member.birth_date, today) if member.birth_date <= today else 0
    if member.relation == "child":
        return f"child:{child_band(age)}" in disabled
    return member.relation == "parent" and age >= 60 and "household:elderly_parent" in disabled


def build_citizen_context(
    rows: CitizenRows, today: date, catalog: CatalogIndex | None = None
) -> UserContext:
    """A citizen's UserContext from their rows (pure: no queries)."""
    account, profile = rows.account, rows.profile
    use_household = rows.consents.get("household_data", False)
    members = [m for m in rows.members if use_household]
    region = city_region(profile.region_code if profile else None)
    person = person_from_rows(account, profile)
    # a switched-off child band or elderly-parent tag also keeps that member's life events
    # and duties out of the signals (the tags themselves stay listed, to switch back on)
    hidden = {m.id for m in members if _member_tag_off(m, rows.disabled_tags, today)}
    household = [
        member_person(m, profile.region_code if profile else None)
        for m in members
        if m.id not in hidden
    ]
    stage = infer_stage(person, household, today)
    age = (
        age_on(profile.birth_date, today)
        if profile and profile.birth_date and profile.birth_date <= today
        else None
    )
    alive = [m for m in members if m.deceased_on is None and m.birth_date <= today]
    child_ages = tuple(age_on(m.birth_date, today) for m in alive if m.relation == "child")
    elderly = any(m.relation == "parent" and age_on(m.birth_date, today) >= 60 for m in alive)
    ctx = UserContext(
        user_id=user_key(account_id=account.id),
        audience="citizen",
        age=age,
        gender=profile.gender if profile else None,
        region_code=region,
        life_stages_current=stage.current_events,
        life_stages_next=tuple(e for e in stage.upcoming_events if e not in stage.current_events),
        child_ages=child_ages,
        employment=profile.employment if profile else None,
        has_elderly_parent=elderly,
        dismissed=set(rows.dismissed),
        personalized=rows.consents.get("personalized_recommendations", True),
        disabled_tags=set(rows.disabled_tags),
    )
    if catalog is not None:
        facts = rows.facts or {}
        gated = Household(
            entitlements.apply_to_person(person, facts.get(person.key, {})),
            tuple(entitlements.apply_to_person(p, facts.get(p.key, {})) for p in household),
        )
        gate = eligible_candidates(
            catalog.conditions.values(), today, household=gated if ctx.personalized else None
        )
        apply_gate(ctx, gate)
        off = {k.split(":", 1)[1] for k in rows.disabled_tags if k.startswith("stage:")}
        duties = [
            d
            for d in rows.duties
            if d.subject_kind != "household" or (use_household and d.subject_id not in hidden)
        ]
        ctx.lifecycle_signals = _merge(
            _merge(stage_signals(stage, catalog, off), entitlement_signals(gated, today)),
            duty_signals(duties, today),
        )
    return ctx


def open_duties_for_account(session: Session, account_id: int, today: date) -> list[Duty]:
    return list(
        session.scalars(
            select(Duty).where(
                Duty.owner_account_id == account_id,
                Duty.status.in_(OPEN_STATUSES),
                Duty.due_date >= today,
            )
        )
    )


def disabled_tags(session: Session, account_id: int) -> set[str]:
    return set(
        session.scalars(
            select(TagPreference.tag_key).where(
                TagPreference.account_id == account_id, TagPreference.enabled.is_(False)
            )
        )
    )


def citizen_rows(session: Session, account, today: date) -> CitizenRows:
    consents = current_consents(session, account.id)
    members = (
        list(
            session.scalars(
                select(HouseholdMember)
                .where(HouseholdMember.account_id == account.id)
                .order_by(HouseholdMember.birth_date, HouseholdMember.id)
            )
        )
        if consents.get("household_data")
        else []
    )
    return CitizenRows(
        account=account,
        profile=session.get(CitizenProfile, account.id),
        members=members,
        consents=consents,
        disabled_tags=disabled_tags(session, account.id),
        duties=open_duties_for_account(session, account.id, today),
        dismissed=dismissed_codes(session, account_id=account.id),
        facts=entitlements.load_facts(
            session, [f"self:{account.id}", *(f"household:{m.id}" for m in members)]
        ),
    )


def citizen_context(
    session: Session, account, today: date, catalog: CatalogIndex | None = None
) -> UserContext:
    """The citizen's UserContext (with life-cycle signals when ``catalog`` is given)."""
    return build_citizen_context(citizen_rows(session, account, today), today, catalog)


# ---------------------------------------------------------------------- enterprises
def build_enterprise_context(
    enterprise: Enterprise,
    today: date,
    catalog: CatalogIndex | None = None,
    duties: Sequence[Duty] = (),
    dismissed: Iterable[str] = (),
    personalized: bool = True,
    disabled: Iterable[str] = (),
    facts: dict | None = None,
) -> UserContext:
    est = enterprise.established_on
    ent_age = age_on(est, today) if est and est <= today else (0 if est else None)
    stage = enterprise_stage(enterprise_subject(enterprise), today)
    ctx = UserContext(
        user_id=user_key(enterprise_id=enterprise.id),
        audience="enterprise",
        region_code=city_region(enterprise.region_code),
        life_stages_current=stage.current_events,
        life_stages_next=tuple(e for e in stage.upcoming_events if e not in stage.current_events),
        industry=enterprise.industry,
        size=enterprise.size,
        enterprise_age=ent_age,
        dismissed=set(dismissed),
        personalized=personalized,
        disabled_tags=set(disabled),
    )
    if catalog is not None:
        subject = entitlements.apply_to_enterprise(
            enterprise_subject(enterprise), (facts or {}).get(f"enterprise:{enterprise.id}", {})
        )
        gate = eligible_candidates(
            catalog.conditions.values(), today, enterprise=subject if personalized else None
        )
        apply_gate(ctx, gate)
        ctx.lifecycle_signals = _merge(stage_signals(stage, catalog), duty_signals(duties, today))
    return ctx


def enterprise_context(
    session: Session,
    enterprise: Enterprise,
    today: date,
    catalog: CatalogIndex | None = None,
    account=None,
) -> UserContext:
    """The enterprise's UserContext; ``account`` (the member looking) brings their choices."""
    duties = list(
        session.scalars(
            select(Duty).where(
                Duty.enterprise_id == enterprise.id,
                Duty.status.in_(OPEN_STATUSES),
                Duty.due_date >= today,
            )
        )
    )
    personalized = True
    if account is not None:
        personalized = current_consents(session, account.id).get(
            "personalized_recommendations", True
        )
    return build_enterprise_context(
        enterprise,
        today,
        catalog,
        duties,
        dismissed_codes(session, enterprise_id=enterprise.id),
        personalized,
        facts=entitlements.load_facts(session, [f"enterprise:{enterprise.id}"]),
    )


__all__ = [
    "CatalogIndex",
    "CitizenRows",
    "blend_params_from",
    "build_citizen_context",
    "build_enterprise_context",
    "catalog_items",
    "catalog_version",
    "citizen_context",
    "city_region",
    "current_rule_version",
    "dismissed_codes",
    "enterprise_context",
    "load_catalog",
    "parse_rules",
    "user_key",
]
