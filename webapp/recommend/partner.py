"""The served model's parts by user: the EASE term for users with history and its reasons;
for users without history (the model has no interactions of theirs) the blend weights the
model's selection chose for them."""

from __future__ import annotations

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from recommender.cold import ColdBlend, ColdMix
from recommender.context import Reason, Recommendation
from recommender.ease import partner_blend, together_reason
from recommender.model import HybridModel
from webapp.catalog.models import Service
from webapp.recommend.interaction_models import Interaction

POSITIVE_KINDS = ("view", "pin", "apply", "complete")


def history_indices(session: Session, model: HybridModel, user_key: str) -> list[int]:
    """The model's item indices of the services the user used (positive interactions)."""
    if not user_key or user_key[0] not in "ae" or not user_key[1:].isdigit():
        return []
    owner = int(user_key[1:])
    if user_key[0] == "e":
        cond = Interaction.enterprise_id == owner
    else:
        cond = (Interaction.account_id == owner) & Interaction.enterprise_id.is_(None)
    codes = session.scalars(
        select(Service.code)
        .join(Interaction, Interaction.service_id == Service.id)
        .where(cond, Interaction.kind.in_(POSITIVE_KINDS))
        .distinct()
    ).all()
    return [i for i in (model.items.get(c) for c in codes) if i >= 0]


def with_partner(
    session: Session, model: HybridModel, user_key: str | None, raw: np.ndarray
) -> tuple[np.ndarray, list[int]]:
    """For a user the model knows, z(LightFM) + w·z(EASE over the user's history)."""
    if model.ease is None or not model.ease_weight or not user_key:
        return raw, []
    if model.users.get(str(user_key)) < 0:
        return raw, []
    history = history_indices(session, model, str(user_key))
    if not history:
        return raw, []
    return partner_blend(raw, model.ease.score_history(history), model.ease_weight), history


def cold_mix_score(
    model: HybridModel, user_key: str | None, features: list[str], raw: np.ndarray
) -> np.ndarray:
    """For a user the model does not know, the validated cold mix (segment popularity, the
    model from features, popularity among users sharing a feature, global popularity, as
    the selection weighed them) in place of the model's score from features alone; ``raw``
    unchanged for a known user or a model trained before the mix was kept for serving."""
    if user_key and model.users.get(str(user_key)) >= 0:
        return raw
    weights = ((model.selection or {}).get("choice") or {}).get("cold_weights")
    if model.cold_tables is None or not weights:
        return raw
    return model.cold_tables.score(ColdMix(tuple(float(w) for w in weights)), features, raw)


def cold_blend_for(model: HybridModel, user_key: str | None) -> ColdBlend | None:
    """The model's blend weights for users without history if ``user_key`` is one (None
    for a user the model knows, or a model chosen before cold users had weights of their
    own: then the rule version's blend parameters apply as to everyone)."""
    if user_key and model.users.get(str(user_key)) >= 0:
        return None
    choice = (model.selection or {}).get("choice") or {}
    return ColdBlend.from_weights(choice.get("cold_blend"))


def together_reasons(model: HybridModel, history: list[int], recs: list, items_by_code) -> list:
    """Adds "often done together with X you used" where a used service explains the item."""
    out = []
    for r in recs:
        j = model.items.get(r.code)
        h = model.ease.because_of(history, j) if j >= 0 else None
        used = model.items.ids[h] if h is not None else None
        if used in items_by_code:
            text = together_reason(dict(items_by_code[used].title))
            reason = Reason("together", text, f"model:together:{used}")
            generic = [x for x in r.reasons if x.kind in ("similar_users", "popular")]
            specific = [x for x in r.reasons if x not in generic]
            r = Recommendation(r.code, r.score, [*specific, reason, *generic])
        out.append(r)
    return out
