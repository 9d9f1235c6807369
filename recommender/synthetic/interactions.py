"""Interactions driven by need windows around dated life events, and ``SyntheticData``, the
generated users, items and interactions with the features known on a date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from recommender.context import ItemMeta
from recommender.dataset import KINDS, FeatureTable, Interactions
from recommender.synthetic.items import catalog_features
from recommender.synthetic.population import (
    Population,
    SyntheticUser,
    draw_population,
    profile_on,
    state_on,
    users_of,
)
from recommender.synthetic.vocabulary import (
    CITIZEN_EVENTS,
    CITIZEN_THEMES,
    ENTERPRISE_EVENTS,
    ENTERPRISE_THEMES,
    EPISODE_KINDS,
    EPISODES,
    KIND_P,
    REGIONS,
    YEAR,
)


@dataclass
class SyntheticData:
    users: list[SyntheticUser]
    items: list[ItemMeta]
    user_index: np.ndarray  # interaction → index into users
    item_index: np.ndarray  # interaction → index into items
    kinds: np.ndarray  # interaction → index into dataset.KINDS
    timestamps: np.ndarray  # unix seconds
    population: Population | None = None
    episode: np.ndarray | None = None  # interaction → index of its need window (-1: none)

    def interactions(self) -> Interactions:
        uids = np.array([u.id for u in self.users])
        iids = np.array([it.code for it in self.items])
        return Interactions.from_kinds(
            uids[self.user_index],
            iids[self.item_index],
            np.array(KINDS)[self.kinds],
            self.timestamps,
        )

    def user_features(self, as_of: dt.date | None = None) -> FeatureTable:
        """User features as known on ``as_of`` (default: the data's last day)."""
        if as_of is None or self.population is None:
            ids = [u.id for u in self.users for _ in u.features]
            feats = [f for u in self.users for f in u.features]
            return FeatureTable(np.array(ids), np.array(feats))
        feats_by_user, _ = profile_on(self.population, self.population.day(as_of))
        ids = [u.id for u, fs in zip(self.users, feats_by_user, strict=True) for _ in fs]
        return FeatureTable(np.array(ids), np.array([f for fs in feats_by_user for f in fs]))

    def lifecycle(self, as_of: dt.date | None = None, horizon_days: int = 120) -> FeatureTable:
        """Life-cycle signals as known on ``as_of``: ``current:EVENT`` and ``next:EVENT``.

        Current: a need window that is open on ``as_of`` and whose event is known by then
        (strength 1). Next: a predictable event (a child's school enrolment, retirement, a
        licence renewal, the annual report season) whose window opens within
        ``horizon_days``; strength falls linearly from 1 (opens tomorrow) to 0.
        """
        if self.population is None:
            return FeatureTable.empty()
        p = self.population
        a = p.day(as_of)
        pred = np.array([EPISODES[k][3] for k in EPISODE_KINDS])[p.ep_kind]
        event = np.array([EPISODES[k][0] for k in EPISODE_KINDS])[p.ep_kind]
        cur = (p.ep_start <= a) & (a <= p.ep_end) & (pred | (p.ep_date <= a))
        nxt = pred & (p.ep_start > a) & (p.ep_start <= a + horizon_days)
        strength = np.where(cur, 1.0, 1.0 - (p.ep_start - a) / horizon_days)
        keep = cur | nxt
        uids = np.array([u.id for u in self.users])
        label = np.where(cur, "current:", "next:")
        ids = uids[p.ep_user[keep]]
        feats = np.char.add(label[keep], event[keep])
        w = strength[keep]
        # one row per (user, signal): the strongest
        key = np.char.add(np.char.add(ids, "|"), feats)
        order = np.lexsort((-w, key))
        key, ids, feats, w = key[order], ids[order], feats[order], w[order]
        first = np.ones(len(key), bool)
        first[1:] = key[1:] != key[:-1]
        return FeatureTable(ids[first], feats[first], w[first].astype(np.float32))

    def item_features(self) -> FeatureTable:
        return catalog_features(self.items)


def synthetic_data(
    items: Sequence[ItemMeta],
    n_users: int = 2000,
    n_interactions: int = 40000,
    seed: int = 0,
    enterprise_share: float = 0.1,
    today: dt.date = dt.date(2026, 1, 1),
    days: int = 730,
    episode_activity: float = 4.0,
) -> SyntheticData:
    """Users and interactions over ``items`` (the real catalog or ``synthetic_items``).

    Interactions fall in the ``days`` before ``today``; ``episode_activity`` is how many
    times more active a user is while a life event's need window is open.
    """
    rng = np.random.default_rng(seed)
    items = list(items)
    n_items = len(items)
    pop = draw_population(rng, n_users, enterprise_share, today, days)
    is_ent, region = pop.is_ent, pop.region

    # --- item pools and popularity
    glob = 1.0 / (rng.permutation(n_items) + 1.0) ** 0.7
    local_region = np.where(rng.random(n_items) < 0.2, rng.integers(0, len(REGIONS), n_items), -1)
    aud = np.array([it.audience for it in items])
    in_aud = {False: np.isin(aud, ("citizen", "both")), True: np.isin(aud, ("enterprise", "both"))}

    def pool(ent: bool, mask: np.ndarray, steep: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
        idx = np.flatnonzero(in_aud[ent] & mask)
        if len(idx) == 0:
            idx = np.flatnonzero(in_aud[ent])
        if len(idx) == 0:
            idx = np.arange(n_items)
        w = glob[idx]
        if steep:  # a bundle: a few services of the pool carry most of its use
            w = w**0.3 / (rng.permutation(len(idx)) + 1.0) ** steep
        return idx, w / w.sum()

    def local(idx: np.ndarray, p: np.ndarray, reg: int, own: float = 2.0) -> np.ndarray:
        # another region's local services are not used; the own region's are favoured
        boost = np.where(local_region[idx] == reg, own, np.where(local_region[idx] >= 0, 0.0, 1.0))
        q = p * boost
        return q / q.sum() if q.sum() > 0 else p

    event_pools = {
        (ent, e): pool(ent, np.array([e in it.life_events for it in items]), 1.1)
        for ent, events in ((False, CITIZEN_EVENTS), (True, ENTERPRISE_EVENTS))
        for e in events
    }
    theme_pools = {
        (ent, t): pool(ent, np.array([t in it.themes for it in items]), 0.8)
        for ent, themes in ((False, CITIZEN_THEMES), (True, ENTERPRISE_THEMES))
        for t in themes
    }
    all_pools = {ent: pool(ent, np.ones(n_items, bool)) for ent in (False, True)}

    # --- how many interactions: base activity over the period + need windows
    activity = rng.lognormal(0.0, 0.7, size=n_users)
    ep_lo = np.clip(pop.ep_start, -days, 0.0)
    ep_hi = np.clip(pop.ep_end, -days, 0.0)
    ep_len = np.maximum(ep_hi - ep_lo, 0.0)
    ep_rate = np.array([EPISODES[k][4] for k in EPISODE_KINDS])[pop.ep_kind]
    ep_mass = activity[pop.ep_user] * ep_len * ep_rate * episode_activity
    base_mass = activity * days
    scale = max(n_interactions - n_users, 0) / (base_mass.sum() + ep_mass.sum())
    n_base = rng.poisson(base_mass * scale) + 1
    n_ep = rng.poisson(ep_mass * scale)

    # base interactions: ongoing stages, hidden taste, region, global popularity
    uidx = np.repeat(np.arange(n_users), n_base)
    tb = -rng.random(len(uidx)) * days
    st = state_on(pop, 0.0)
    ongoing_c = st["cit"] & np.isin(np.array(CITIZEN_EVENTS), ("education", "work", "healthcare"))
    ongoing_e = st["ent"] & np.isin(np.array(ENTERPRISE_EVENTS), ("operation",))
    ongoing = np.where(is_ent[:, None], np.pad(ongoing_e, ((0, 0), (0, 4))), ongoing_c)
    noise = rng.random((len(uidx), ongoing.shape[1])) * ongoing[uidx]
    stage_pick = noise.argmax(axis=1)
    comp = rng.choice(4, size=len(uidx), p=[0.2, 0.3, 0.2, 0.3])  # stage, taste, region, global
    comp = np.where((comp == 0) & (noise.max(axis=1) <= 0), 3, comp)
    taste_c = rng.choice(len(CITIZEN_THEMES), size=n_users)
    taste_e = rng.choice(len(ENTERPRISE_THEMES), size=n_users)
    taste = np.where(is_ent, taste_e, taste_c)
    ent_i = is_ent[uidx]
    item_b = np.empty(len(uidx), dtype=np.int64)
    for ent in (False, True):
        events = ENTERPRISE_EVENTS if ent else CITIZEN_EVENTS
        themes = ENTERPRISE_THEMES if ent else CITIZEN_THEMES
        for reg in range(len(REGIONS)):
            here = (ent_i == ent) & (region[uidx] == reg)
            jobs = [(comp == 0) & (stage_pick == j) for j in range(len(events))]
            pools = [event_pools[(ent, e)] for e in events]
            jobs += [(comp == 1) & (taste[uidx] == j) for j in range(len(themes))]
            pools += [theme_pools[(ent, t)] for t in themes]
            jobs += [comp >= 2]
            pools += [all_pools[ent]]
            for mask, (idx, p) in zip(jobs, pools, strict=True):
                sel = np.flatnonzero(here & mask)
                if len(sel) == 0:
                    continue
                if mask is jobs[-1]:  # region: the region's local services 8× more likely
                    q = np.where(comp[sel] == 2, 1, 0)
                    for flag, qq in ((1, local(idx, p, reg, 8.0)), (0, local(idx, p, reg))):
                        part = sel[q == flag]
                        if len(part):
                            item_b[part] = idx[rng.choice(len(idx), size=len(part), p=qq)]
                    continue
                item_b[sel] = idx[rng.choice(len(idx), size=len(sel), p=local(idx, p, reg))]

    # episode interactions: the event's bundle, inside the need window
    eidx = np.repeat(np.arange(len(n_ep)), n_ep)
    ue = pop.ep_user[eidx]
    te = ep_lo[eidx] + rng.random(len(eidx)) * ep_len[eidx]
    ev_name = np.array([EPISODES[k][0] for k in EPISODE_KINDS])[pop.ep_kind[eidx]]
    item_e = np.empty(len(eidx), dtype=np.int64)
    for (ent, e), (idx, p) in event_pools.items():
        for reg in range(len(REGIONS)):
            sel = np.flatnonzero((ev_name == e) & (is_ent[ue] == ent) & (region[ue] == reg))
            if len(sel):
                item_e[sel] = idx[rng.choice(len(idx), size=len(sel), p=local(idx, p, reg))]

    u_all = np.concatenate([uidx, ue])
    i_all = np.concatenate([item_b, item_e])
    t_all = np.concatenate([tb, te])
    kinds_p = np.array([KIND_P.get(k, 0.0) for k in KINDS])
    kinds = rng.choice(len(KINDS), size=len(u_all), p=kinds_p / kinds_p.sum())
    # eligibility: people do not use services they are not eligible for (age on the day)
    age_min = np.array([it.eligibility.get("age_min", 0) for it in items])
    only_f = np.array([it.eligibility.get("gender") == "female" for it in items])
    age_then = (t_all - pop.birth[u_all]) / YEAR
    ent_u = is_ent[u_all]
    ok = ent_u | ((age_then >= age_min[i_all]) & ~(only_f[i_all] & ~pop.female[u_all]))
    order = np.lexsort((t_all[ok], u_all[ok]))
    end = dt.datetime.combine(today, dt.time(), tzinfo=dt.UTC).timestamp()
    ts = (end + t_all[ok][order] * 86400).astype(np.int64)
    users = users_of(pop)
    ep_all = np.concatenate([np.full(len(uidx), -1), eidx])
    return SyntheticData(
        users, items, u_all[ok][order], i_all[ok][order], kinds[ok][order], ts, pop,
        ep_all[ok][order],
    )  # fmt: skip
