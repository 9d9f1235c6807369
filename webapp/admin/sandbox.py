"""The rules sandbox: the effect of a draft rule set, computed without changing anything.

* **Reach**: how many citizen accounts and enterprises the draft rules' segments match
  (a rule with an empty segment matches everyone of its audience). Facts come from the
  stored profiles, households and enterprises with a few bulk queries, as serving uses
  them: household facts only with the ``household_data`` consent, segment rules only for
  users with personalisation on, a fact a user switched off (privacy tags) does not count;
  life stages are inferred only when a draft's segment asks for them.
* **Before / after**: the top 10 for one chosen user or a sample from the segment, ranked
  with the *current published* rules and parameters ("before") and with the draft
  ("after"), side by side with reasons, ranked by the serving code itself
  (``recommend.recommend_for_account(..., rules=, params=)``), so the preview is
  exactly what the user would see. Without that module only the reach is shown.
* **NDCG@10 on the hold-out**: for each affected user in the sample, the most recent 20 %
  of their positive interactions (view, pin, apply, complete — at least one) are the
  hold-out; NDCG@10 of the before and after lists against that set, averaged over the
  users that have a hold-out. A rise means the draft ranks what people actually went on to
  use higher.

Nothing here writes to the database.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lifecycle.stage import enterprise_stage, infer_stage
from recommender.blend import BlendParams
from recommender.context import UserContext
from recommender.rules import Rule
from webapp import people as subjects
from webapp import recommend
from webapp.accounts.models import Account
from webapp.admin import rules_admin
from webapp.catalog.models import Service
from webapp.core.i18n import localized
from webapp.core.service_errors import NotFound
from webapp.enterprise.models import Enterprise
from webapp.people.models import CitizenProfile, HouseholdMember
from webapp.privacy.models import Consent, TagPreference
from webapp.recommend import Interaction, city_region

POSITIVE = ("view", "pin", "apply", "complete")
HOLDOUT_FRACTION = 0.2
K = 10


@dataclass
class Ranked:
    code: str
    title: str
    reasons: list[str] = field(default_factory=list)


@dataclass
class Sample:
    user_id: int
    email: str
    in_segment: bool
    before: list[Ranked]
    after: list[Ranked]
    holdout: list[str] = field(default_factory=list)


@dataclass
class Preview:
    reach_users: int
    reach_enterprises: int
    samples: list[Sample]
    ndcg_before: float | None
    ndcg_after: float | None
    ndcg_users: int
    engine: str

    def as_api(self) -> dict:
        return {
            "reach": {"users": self.reach_users, "enterprises": self.reach_enterprises},
            "samples": [
                {
                    "user_id": s.user_id,
                    "before": [r.code for r in s.before],
                    "after": [r.code for r in s.after],
                    "in_segment": s.in_segment,
                }
                for s in self.samples
            ],
            "ndcg_at_10": {
                "before": self.ndcg_before,
                "after": self.ndcg_after,
                "users": self.ndcg_users,
            },
            "engine": self.engine,
        }


# ------------------------------------------------------------------ contexts
def _age(birth: date | None, today: date) -> int | None:
    if birth is None:
        return None
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _disabled(session: Session, account_ids: list[int]) -> dict[int, set[str]]:
    """Tags each user switched off (privacy centre), in bulk."""
    out: dict[int, set[str]] = {}
    for chunk in _chunks(account_ids):
        for account_id, key in session.execute(
            select(TagPreference.account_id, TagPreference.tag_key).where(
                TagPreference.account_id.in_(chunk), TagPreference.enabled.is_(False)
            )
        ):
            out.setdefault(account_id, set()).add(key)
    return out


def _consents(session: Session, account_ids: list[int]) -> dict[int, dict[str, bool]]:
    """Current consents per account (the latest decision per purpose), in one query."""
    latest = select(func.max(Consent.id)).group_by(Consent.account_id, Consent.purpose)
    out: dict[int, dict[str, bool]] = {}
    for account_id, purpose, granted in session.execute(
        select(Consent.account_id, Consent.purpose, Consent.granted).where(Consent.id.in_(latest))
    ):
        out.setdefault(account_id, {})[purpose] = granted
    return out


def _region(code: str | None) -> str | None:
    return city_region(code)


def citizen_contexts(
    session: Session, today: date, account_ids: list[int] | None = None, stages: bool = True
) -> dict[int, UserContext]:
    """UserContexts of citizen accounts (all, or the given ids) with a few bulk queries,
    as serving builds them: household facts only with the ``household_data`` consent,
    segments only with personalisation on, switched-off tags left out. Life stages (the
    costly part) only when ``stages``."""
    if stages:  # whole rows: the stage inference reads documents, retirement and more
        stmt = select(Account, CitizenProfile)
        member_stmt = select(HouseholdMember)
    else:  # only the columns segments look at (several times faster)
        stmt = select(
            Account.id,
            CitizenProfile.birth_date,
            CitizenProfile.gender,
            CitizenProfile.region_code,
            CitizenProfile.employment,
        )
        member_stmt = select(
            HouseholdMember.account_id,
            HouseholdMember.relation,
            HouseholdMember.birth_date,
            HouseholdMember.deceased_on,
        )
    stmt = stmt.outerjoin(CitizenProfile, CitizenProfile.account_id == Account.id).where(
        Account.role == "citizen"
    )
    if account_ids is not None:
        stmt = stmt.where(Account.id.in_(account_ids))
    rows = [tuple(r) if stages else (r, r) for r in session.execute(stmt)]
    ids = [a.id for a, _p in rows]
    consents = _consents(session, ids)
    members: dict[int, list] = {}
    for chunk in _chunks(ids):
        result = session.execute(member_stmt.where(HouseholdMember.account_id.in_(chunk)))
        for m in result.scalars() if stages else result:
            members.setdefault(m.account_id, []).append(m)
    disabled = _disabled(session, ids)
    out: dict[int, UserContext] = {}
    for account, profile in rows:
        consent = consents.get(account.id, {})
        hh = members.get(account.id, []) if consent.get("household_data", False) else []
        alive = [m for m in hh if m.deceased_on is None and m.birth_date <= today]
        child_ages = tuple(_age(m.birth_date, today) for m in alive if m.relation == "child")
        current: tuple[str, ...] = ()
        upcoming: tuple[str, ...] = ()
        if stages:
            person = subjects.person_from_rows(account, profile)
            region = profile.region_code if profile else None
            stage = infer_stage(person, [subjects.member_person(m, region) for m in hh], today)
            current = stage.current_events
            upcoming = tuple(e for e in stage.upcoming_events if e not in current)
        birth = profile.birth_date if profile is not None else None
        out[account.id] = UserContext(
            user_id=str(account.id),
            audience="citizen",
            age=_age(birth, today) if birth and birth <= today else None,
            gender=profile.gender if profile is not None else None,
            region_code=_region(profile.region_code if profile is not None else None),
            life_stages_current=current,
            life_stages_next=upcoming,
            child_ages=child_ages,
            employment=profile.employment if profile is not None else None,
            has_elderly_parent=any(
                m.relation == "parent" and (_age(m.birth_date, today) or 0) >= 60 for m in alive
            ),
            personalized=consent.get("personalized_recommendations", False),
            disabled_tags=set(disabled.get(account.id, set())),
        )
    return out


def enterprise_contexts(
    session: Session, today: date, enterprise_ids: list[int] | None = None, stages: bool = True
) -> dict[int, UserContext]:
    stmt = select(Enterprise)
    if enterprise_ids is not None:
        stmt = stmt.where(Enterprise.id.in_(enterprise_ids))
    out = {}
    for ent in session.scalars(stmt):
        current: tuple[str, ...] = ()
        upcoming: tuple[str, ...] = ()
        if stages:
            st = enterprise_stage(subjects.enterprise_subject(ent), today)
            current, upcoming = st.current_events, st.upcoming_events
        out[ent.id] = UserContext(
            user_id=f"enterprise:{ent.id}",
            audience="enterprise",
            region_code=ent.region_code,
            industry=ent.industry,
            size=ent.size,
            enterprise_age=_age(ent.established_on, today),
            life_stages_current=current,
            life_stages_next=upcoming,
        )
    return out


def _chunks(ids: list[int], size: int = 500) -> Iterable[list[int]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def _needs_stages(rules: list[Rule]) -> bool:
    return any(r.segment.life_stages for r in rules)


def _targets_audience(rule: Rule, audience: str) -> bool:
    return not rule.segment.audience or rule.segment.audience in (audience, "both")


def _applies(rule: Rule, ctx: UserContext, today: date) -> bool:
    """As serving decides: segment rules only for users with personalisation on."""
    if not _targets_audience(rule, ctx.audience):
        return False
    if ctx.personalized:
        return rule.matches_user(ctx, today)
    return rule.active_on(today) and rule.segment.is_empty()


def reach(session: Session, rules: list[Rule], today: date) -> tuple[int, int, list[int]]:
    """(citizens reached, enterprises reached, the reached citizen ids)."""
    active = [r for r in rules if r.active_on(today)]
    if not active:
        return 0, 0, []
    stages = _needs_stages(active)
    citizens = citizen_contexts(session, today, stages=stages)
    ents = enterprise_contexts(session, today, stages=stages)
    users = sorted(a for a, ctx in citizens.items() if any(_applies(r, ctx, today) for r in active))
    n_ent = sum(1 for ctx in ents.values() if any(_applies(r, ctx, today) for r in active))
    return len(users), n_ent, users


# ------------------------------------------------------------------ ranking
def _get(obj: Any, key: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(key, default)
    return getattr(obj, key, default)


def _rank_with_service(fn, session, account, today, rules, params) -> list[Ranked]:
    result = fn(session, account, limit=K, today=today, rules=rules, params=params)
    items = _get(result, "items", result if isinstance(result, list) else [])
    out = []
    for item in items:
        code = _get(item, "service_code") or _get(item, "code")
        if not code:
            continue
        title = _get(item, "title") or code
        reasons = []
        for reason in _get(item, "reasons", []) or []:
            text = _get(reason, "text")
            reasons.append(localized(text) if isinstance(text, dict) else str(text or ""))
        out.append(
            Ranked(code, localized(title) if isinstance(title, dict) else str(title), reasons)
        )
    return out


# ------------------------------------------------------------------ evaluation
def holdout(session: Session, account_id: int, fraction: float = HOLDOUT_FRACTION) -> list[str]:
    """The most recent ``fraction`` of the user's positive interactions (≥ 1), as codes."""
    rows = list(
        session.execute(
            select(Service.code)
            .join(Interaction, Interaction.service_id == Service.id)
            .where(Interaction.account_id == account_id, Interaction.kind.in_(POSITIVE))
            .order_by(Interaction.created_at, Interaction.id)
        ).scalars()
    )
    if not rows:
        return []
    n = max(1, math.ceil(len(rows) * fraction))
    return list(dict.fromkeys(rows[-n:]))


def ndcg_at_k(ranked: list[str], relevant: Iterable[str], k: int = K) -> float:
    rel = set(relevant)
    if not rel:
        return 0.0
    dcg = sum(1.0 / math.log2(i + 2) for i, code in enumerate(ranked[:k]) if code in rel)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(rel), k)))
    return dcg / ideal if ideal else 0.0


# ------------------------------------------------------------------ the preview
def find_account(session: Session, user_id: int | None = None, email: str | None = None) -> Account:
    account = None
    if user_id is not None:
        account = session.get(Account, user_id)
    elif email:
        account = session.scalar(
            select(Account).where(func.lower(Account.email) == email.strip().lower())
        )
    if account is None or account.role == "admin":
        from flask_babel import gettext as _

        raise NotFound(_("No such user."))
    return account


def preview(
    session: Session,
    draft_rules: list[Rule],
    draft_params: BlendParams,
    today: date,
    account: Account | None = None,
    sample_size: int = 5,
) -> Preview:
    cur = rules_admin.current_version(session)
    current_rules = rules_admin.to_rules(cur.rules) if cur else []
    current_params = rules_admin.blend_params_of(cur.blend_params if cur else None)

    n_users, n_ent, reached = reach(session, draft_rules, today)
    chosen: list[Account] = []
    if account is not None:
        chosen.append(account)
    if sample_size:
        # an even spread over the reached users, deterministic
        step = max(1, len(reached) // sample_size) if reached else 1
        ids = [i for i in reached[::step] if account is None or i != account.id][:sample_size]
        chosen.extend(
            session.scalars(select(Account).where(Account.id.in_(ids)).order_by(Account.id))
        )

    fn = recommend.recommend_for_account
    engine = "recommendations"
    reached_set = set(reached)
    samples: list[Sample] = []
    scores_before, scores_after = [], []
    for acc in chosen:
        before = _rank_with_service(fn, session, acc, today, current_rules, current_params)
        after = _rank_with_service(fn, session, acc, today, draft_rules, draft_params)
        held = holdout(session, acc.id)
        in_segment = acc.id in reached_set
        if held and in_segment:
            scores_before.append(ndcg_at_k([r.code for r in before], held))
            scores_after.append(ndcg_at_k([r.code for r in after], held))
        samples.append(Sample(acc.id, acc.email, in_segment, before, after, held))
    return Preview(
        n_users,
        n_ent,
        samples,
        sum(scores_before) / len(scores_before) if scores_before else None,
        sum(scores_after) / len(scores_after) if scores_after else None,
        len(scores_before),
        engine,
    )
