"""The recommender's contexts in bulk, for training: every account's and enterprise's
context from a few queries (the serving path builds one at a time, context)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from recommender.context import UserContext
from recommender.dataset import FeatureTable
from webapp.enterprise.models import Enterprise
from webapp.people.models import CitizenProfile, HouseholdMember
from webapp.privacy import DEFAULTS
from webapp.privacy.models import PURPOSES, Consent, TagPreference
from webapp.recommend.context import (
    CitizenRows,
    build_citizen_context,
    build_enterprise_context,
    user_key,
)


# ---------------------------------------------------------------------- training (bulk)
def consents_by_account(session: Session, account_ids: Iterable[int] | None = None) -> dict:
    """Current consents of many accounts in one query (latest row per account and purpose)."""
    latest = select(func.max(Consent.id)).group_by(Consent.account_id, Consent.purpose)
    stmt = select(Consent.account_id, Consent.purpose, Consent.granted).where(
        Consent.id.in_(latest)
    )
    out: dict[int, dict[str, bool]] = {}
    for account_id, purpose, granted in session.execute(stmt):
        out.setdefault(account_id, dict.fromkeys(PURPOSES, False))[purpose] = granted
    if account_ids is not None:
        for a in account_ids:
            out.setdefault(a, dict.fromkeys(PURPOSES, False))
    return out


def training_accounts(session: Session) -> set[int]:
    """Accounts whose data may train the model: training consent given, personalisation on."""
    return {
        a
        for a, c in consents_by_account(session).items()
        if c.get("training_data") and c.get("personalized_recommendations", True)
    }


def training_contexts(
    session: Session, today: date, account_ids: Iterable[int], enterprise_ids: Iterable[int]
) -> dict[str, UserContext]:
    """UserContexts (features only, no signals) of many users with a few bulk queries."""
    from webapp.accounts.models import Account

    account_ids = sorted(set(account_ids))
    enterprise_ids = sorted(set(enterprise_ids))
    out: dict[str, UserContext] = {}
    consents = consents_by_account(session, account_ids)
    chunk = 500
    for start in range(0, len(account_ids), chunk):
        ids = account_ids[start : start + chunk]
        accounts = {a.id: a for a in session.scalars(select(Account).where(Account.id.in_(ids)))}
        profiles = {
            p.account_id: p
            for p in session.scalars(
                select(CitizenProfile).where(CitizenProfile.account_id.in_(ids))
            )
        }
        members: dict[int, list[HouseholdMember]] = {}
        for m in session.scalars(
            select(HouseholdMember)
            .where(HouseholdMember.account_id.in_(ids))
            .order_by(HouseholdMember.birth_date, HouseholdMember.id)
        ):
            members.setdefault(m.account_id, []).append(m)
        tags: dict[int, set[str]] = {}
        for a, key in session.execute(
            select(TagPreference.account_id, TagPreference.tag_key).where(
                TagPreference.account_id.in_(ids), TagPreference.enabled.is_(False)
            )
        ):
            tags.setdefault(a, set()).add(key)
        for a in ids:
            if a not in accounts:
                continue
            rows = CitizenRows(
                accounts[a],
                profiles.get(a),
                members.get(a, []),
                consents.get(a) or dict(DEFAULTS),
                tags.get(a, set()),
            )
            out[user_key(account_id=a)] = build_citizen_context(rows, today)
    for start in range(0, len(enterprise_ids), chunk):
        ids = enterprise_ids[start : start + chunk]
        for ent in session.scalars(
            select(Enterprise)
            .where(Enterprise.id.in_(ids))
            .options(selectinload(Enterprise.permits))
        ):
            out[user_key(enterprise_id=ent.id)] = build_enterprise_context(ent, today)
    return out


def lifecycle_table(contexts: dict) -> FeatureTable:
    """The users' life-cycle signals: ``current:EVENT`` and ``next:EVENT`` rows."""
    life_ids, life_feats = [], []
    for key, ctx in contexts.items():
        eff = ctx.effective()  # switched-off stages stay out
        for phase, events in (
            ("current:", eff.life_stages_current),
            ("next:", eff.life_stages_next),
        ):
            for event in events:
                life_ids.append(key)
                life_feats.append(phase + event)
    return FeatureTable(np.array(life_ids, dtype=str), np.array(life_feats, dtype=str))


def lifecycle_as_of(session: Session, when: date, keys) -> FeatureTable:
    """The life-cycle signals of the users ``keys`` (``a<id>``/``e<id>``) computed as of
    ``when``: what the selection's users new at a cut date are blended with."""
    keys = [str(k) for k in keys]
    accounts = {int(k[1:]) for k in keys if k.startswith("a")}
    enterprises = {int(k[1:]) for k in keys if k.startswith("e")}
    return lifecycle_table(training_contexts(session, when, accounts, enterprises))
