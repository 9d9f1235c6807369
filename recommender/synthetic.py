"""Deterministic synthetic citizens, enterprises, services and interactions (vectorised).

Interactions are drawn from a mixture that mimics how people use a government portal:
services of their current life stages, services of a personal interest theme (hidden
from the features — only the interaction history reveals it), services popular in their
region (some services are local), and globally popular services; plus dismissals as noise.
Everything is derived from ``seed``; the same seed gives the same data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .context import ItemMeta
from .dataset import KINDS, FeatureTable, Interactions
from .features import citizen_tags, enterprise_tags, item_features

REGIONS = ("110000", "310000", "330100", "350200", "440100", "440300", "520100")
REGION_WEIGHTS = (0.2, 0.2, 0.12, 0.06, 0.18, 0.18, 0.06)
CITIZEN_EVENTS = (
    "birth", "education", "work", "marriage", "childbirth",
    "housing", "travel", "healthcare", "retirement", "death",
)  # fmt: skip
ENTERPRISE_EVENTS = (
    "establishment",
    "licensing",
    "operation",
    "change",
    "investment",
    "deregistration",
)
CITIZEN_THEMES = (
    "social_security", "tax", "education", "health", "housing", "transport", "civil_affairs",
    "public_security", "employment", "elderly_care", "maternal", "culture",
)  # fmt: skip
ENTERPRISE_THEMES = (
    "market_regulation",
    "business_tax",
    "labour",
    "construction",
    "trade",
    "finance",
)
INDUSTRIES = ("catering", "retail", "manufacturing", "it", "construction", "logistics")
SIZES = ("micro", "small", "medium", "large")
EMPLOYMENTS = ("employed", "self_employed", "unemployed", "retired", "student")
KIND_P = {"view": 0.55, "pin": 0.1, "apply": 0.2, "complete": 0.12, "dismiss": 0.03}


@dataclass
class SyntheticUser:
    id: str
    kind: str  # citizen | enterprise
    region_code: str
    birth_date: dt.date | None = None
    gender: str | None = None
    employment: str | None = None
    children: tuple[dt.date, ...] = ()
    elderly_parents: tuple[dt.date, ...] = ()
    life_stages: tuple[str, ...] = ()
    industry: str | None = None
    size: str | None = None
    established_on: dt.date | None = None
    features: list[str] = field(default_factory=list)


@dataclass
class SyntheticData:
    users: list[SyntheticUser]
    items: list[ItemMeta]
    user_index: np.ndarray  # interaction → index into users
    item_index: np.ndarray  # interaction → index into items
    kinds: np.ndarray  # interaction → index into dataset.KINDS
    timestamps: np.ndarray  # unix seconds

    def interactions(self) -> Interactions:
        uids = np.array([u.id for u in self.users])
        iids = np.array([it.code for it in self.items])
        return Interactions.from_kinds(
            uids[self.user_index],
            iids[self.item_index],
            np.array(KINDS)[self.kinds],
            self.timestamps,
        )

    def user_features(self) -> FeatureTable:
        ids = [u.id for u in self.users for _ in u.features]
        feats = [f for u in self.users for f in u.features]
        return FeatureTable(np.array(ids), np.array(feats))

    def item_features(self) -> FeatureTable:
        return catalog_features(self.items)


def catalog_features(items: Sequence[ItemMeta]) -> FeatureTable:
    """Long-format item features of a catalog."""
    mapping = {
        it.code: item_features(
            it.department, it.themes, it.life_events, it.audience, it.online_level
        )
        for it in items
    }
    return FeatureTable.from_mapping(mapping)


def synthetic_items(n: int = 2000, seed: int = 0) -> list[ItemMeta]:
    """``n`` synthetic services with departments, themes, life events, audience and eligibility."""
    rng = np.random.default_rng(seed)
    items: list[ItemMeta] = []
    aud = rng.choice(["citizen", "enterprise", "both"], size=n, p=[0.78, 0.17, 0.05])
    for k in range(n):
        a = str(aud[k])
        ent = a == "enterprise"
        events = ENTERPRISE_EVENTS if ent else CITIZEN_EVENTS
        themes = ENTERPRISE_THEMES if ent else CITIZEN_THEMES
        ev = tuple(rng.choice(events, size=1 + int(rng.random() < 0.3), replace=False).tolist())
        th = tuple(rng.choice(themes, size=1 + int(rng.random() < 0.25), replace=False).tolist())
        elig: dict[str, object] = {}
        if "retirement" in ev and rng.random() < 0.5:
            elig["age_min"] = 50
        if "maternal" in th and rng.random() < 0.5:
            elig["gender"] = "female"
        items.append(
            ItemMeta(
                code=f"svc_{k:05d}",
                title={"zh_Hans": f"服务 {k}", "en": f"Service {k}"},
                department=f"dept_{th[0]}_{int(rng.integers(0, 3))}",
                themes=th,
                life_events=ev,
                audience=a,
                eligibility=elig,
                online_level=int(rng.integers(1, 5)),
            )
        )
    return items


def _ages(rng: np.random.Generator, n: int) -> np.ndarray:
    # adult users of a government portal: a realistic (2020 census-like) age structure 18–90
    edges = np.array([18, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 91])
    weights = np.array([7.5, 7.0, 8.8, 7.7, 7.0, 8.0, 8.4, 8.7, 6.5, 5.2, 3.8, 2.4, 1.8], float)
    band = rng.choice(len(weights), size=n, p=weights / weights.sum())
    return (edges[band] + rng.random(n) * (edges[band + 1] - edges[band])).astype(int)


def _date_minus(today: dt.date, years: np.ndarray, rng: np.random.Generator) -> list[dt.date]:
    days = (years * 365.25 + rng.integers(0, 365, size=len(years))).astype(int)
    return [today - dt.timedelta(days=int(d)) for d in days]


def synthetic_data(
    items: Sequence[ItemMeta],
    n_users: int = 2000,
    n_interactions: int = 40000,
    seed: int = 0,
    enterprise_share: float = 0.1,
    today: dt.date = dt.date(2026, 1, 1),
    days: int = 730,
) -> SyntheticData:
    """Users and interactions over ``items`` (the real catalog or ``synthetic_items``)."""
    rng = np.random.default_rng(seed)
    items = list(items)
    n_items = len(items)
    is_ent = rng.random(n_users) < enterprise_share
    region = rng.choice(
        len(REGIONS), size=n_users, p=np.array(REGION_WEIGHTS) / sum(REGION_WEIGHTS)
    )

    # --- citizens
    age = _ages(rng, n_users)
    female = rng.random(n_users) < 0.49
    n_children = np.where(age < 23, 0, rng.choice(3, size=n_users, p=[0.3, 0.5, 0.2]))
    child_age = np.full((n_users, 2), -1)
    for j in range(2):
        has = n_children > j
        ca = age - rng.integers(23, 36, size=n_users) - 3 * j
        child_age[:, j] = np.where(has & (ca >= 0), ca, -1)
    elderly = (age >= 28) & (age <= 62) & (rng.random(n_users) < 0.7)
    parent_age = age + rng.integers(24, 33, size=n_users)
    retire_age = np.where(female, 55, 60)
    u = rng.random(n_users)
    employment = np.where(
        age < 23,
        4,
        np.where(age >= retire_age, 3, np.where(u < 0.75, 0, np.where(u < 0.87, 1, 2))),
    )
    r = rng.random((n_users, 6))
    kid = child_age >= 0
    stages = {
        "birth": (kid & (child_age <= 0)).any(axis=1),
        "education": (age < 23) | (kid & (child_age >= 3) & (child_age <= 18)).any(axis=1),
        "work": np.isin(employment, (0, 1)) | (employment == 2),
        "marriage": (age >= 22) & (age <= 35) & (r[:, 0] < 0.4),
        "childbirth": (kid & (child_age <= 2)).any(axis=1)
        | ((age >= 25) & (age <= 35) & (r[:, 1] < 0.2)),
        "housing": (age >= 25) & (age <= 50) & (r[:, 2] < 0.4),
        "travel": r[:, 3] < 0.3,
        "healthcare": (age >= 55)
        | (kid & (child_age <= 6)).any(axis=1)
        | (elderly & (r[:, 4] < 0.5)),
        "retirement": age >= retire_age - 2,
        "death": elderly & (parent_age >= 80) & (r[:, 5] < 0.15),
    }
    cit_stage = np.stack([stages[e] for e in CITIZEN_EVENTS], axis=1)
    # --- enterprises
    ent_age = np.minimum(rng.geometric(0.18, size=n_users) - 1, 40)
    industry = rng.choice(len(INDUSTRIES), size=n_users)
    size = rng.choice(len(SIZES), size=n_users, p=[0.55, 0.3, 0.11, 0.04])
    r2 = rng.random((n_users, 3))
    ent_stage = np.stack(
        [
            ent_age < 1,
            (ent_age < 2) | np.isin(industry, (0, 1)) & (r2[:, 0] < 0.3),
            np.ones(n_users, bool),
            r2[:, 1] < 0.2,
            (r2[:, 2] < 0.1) | ((industry == 4) & (r2[:, 2] < 0.5)),
            (ent_age > 5) & (r2[:, 0] > 0.97),
        ],
        axis=1,
    )
    taste_c = rng.choice(len(CITIZEN_THEMES), size=n_users)
    taste_e = rng.choice(len(ENTERPRISE_THEMES), size=n_users)

    users: list[SyntheticUser] = []
    birth_dates = _date_minus(today, age, rng)
    est_dates = _date_minus(today, ent_age, rng)
    for k in range(n_users):
        reg = REGIONS[region[k]]
        if is_ent[k]:
            st = tuple(e for e, on in zip(ENTERPRISE_EVENTS, ent_stage[k], strict=True) if on)
            tags = enterprise_tags(INDUSTRIES[industry[k]], SIZES[size[k]], int(ent_age[k]), reg)
            feats = [t.key for t in tags] + [f"stage:{s}" for s in st]
            users.append(
                SyntheticUser(
                    f"e{k:06d}",
                    "enterprise",
                    reg,
                    life_stages=st,
                    industry=INDUSTRIES[industry[k]],
                    size=SIZES[size[k]],
                    established_on=est_dates[k],
                    features=feats,
                )  # fmt: skip
            )
            continue
        st = tuple(e for e, on in zip(CITIZEN_EVENTS, cit_stage[k], strict=True) if on)
        cages = [int(a) for a in child_age[k] if a >= 0]
        gender = "female" if female[k] else "male"
        emp = EMPLOYMENTS[employment[k]]
        tags = citizen_tags(int(age[k]), gender, reg, st, cages, emp, bool(elderly[k]))
        users.append(
            SyntheticUser(
                f"u{k:06d}",
                "citizen",
                reg,
                birth_date=birth_dates[k],
                gender=gender,
                employment=emp,
                children=tuple(
                    birth_dates[k] + dt.timedelta(days=int((age[k] - a) * 365.25)) for a in cages
                ),
                elderly_parents=(
                    birth_dates[k] - dt.timedelta(days=int((parent_age[k] - age[k]) * 365.25)),
                )
                if elderly[k]
                else (),
                life_stages=st,
                features=[t.key for t in tags],
            )  # fmt: skip
        )

    # --- item pools and popularity
    pop = 1.0 / (rng.permutation(n_items) + 1.0) ** 0.7
    local_region = np.where(rng.random(n_items) < 0.2, rng.integers(0, len(REGIONS), n_items), -1)
    aud = np.array([it.audience for it in items])
    in_aud = {False: np.isin(aud, ("citizen", "both")), True: np.isin(aud, ("enterprise", "both"))}

    def pool(ent: bool, pred) -> tuple[np.ndarray, np.ndarray]:
        mask = in_aud[ent] & np.array([pred(k, it) for k, it in enumerate(items)], bool)
        idx = np.flatnonzero(mask)
        if len(idx) == 0:
            idx = np.flatnonzero(in_aud[ent])
        if len(idx) == 0:
            idx = np.arange(n_items)
        w = pop[idx]
        return idx, w / w.sum()

    # --- interactions
    per_user = rng.poisson(max(n_interactions / max(n_users, 1) - 1, 0), size=n_users) + 1
    uidx = np.repeat(np.arange(n_users), per_user)
    m = len(uidx)
    comp = rng.choice(4, size=m, p=[0.4, 0.25, 0.15, 0.2])  # stage, taste, region, global
    ent_i = is_ent[uidx]
    # a random current stage per interaction
    stage_mat = np.where(is_ent[:, None], np.pad(ent_stage, ((0, 0), (0, 4))), cit_stage)
    noise = rng.random((m, stage_mat.shape[1])) * stage_mat[uidx]
    stage_pick = noise.argmax(axis=1)
    has_stage = noise.max(axis=1) > 0
    comp = np.where((comp == 0) & ~has_stage, 3, comp)
    key = np.where(
        comp == 0,
        stage_pick,
        np.where(
            comp == 1,
            np.where(ent_i, taste_e[uidx], taste_c[uidx]),
            np.where(comp == 2, region[uidx], 0),
        ),
    )
    item_idx = np.empty(m, dtype=np.int64)
    for ent in (False, True):
        events = ENTERPRISE_EVENTS if ent else CITIZEN_EVENTS
        themes = ENTERPRISE_THEMES if ent else CITIZEN_THEMES
        for c, n_keys in ((0, len(events)), (1, len(themes)), (2, len(REGIONS)), (3, 1)):
            for kk in range(n_keys):
                sel = np.flatnonzero((ent_i == ent) & (comp == c) & (key == kk))
                if len(sel) == 0:
                    continue
                if c == 0:
                    idx, p = pool(ent, lambda _k, it, e=events[kk]: e in it.life_events)
                elif c == 1:
                    idx, p = pool(ent, lambda _k, it, t=themes[kk]: t in it.themes)
                elif c == 2:
                    idx, p = pool(ent, lambda k, _it, r=kk: local_region[k] in (r, -1))
                    boost = np.where(local_region[idx] == kk, 8.0, 1.0)
                    p = p * boost / (p * boost).sum()
                else:
                    idx, p = pool(ent, lambda _k, _it: True)
                item_idx[sel] = idx[rng.choice(len(idx), size=len(sel), p=p)]
    kinds_p = np.array([KIND_P.get(k, 0.0) for k in KINDS])
    kinds = rng.choice(len(KINDS), size=m, p=kinds_p / kinds_p.sum())
    # eligibility: people do not use services they are not eligible for
    age_min = np.array([it.eligibility.get("age_min", 0) for it in items])
    only_f = np.array([it.eligibility.get("gender") == "female" for it in items])
    ok = ent_i | ((age[uidx] >= age_min[item_idx]) & ~(only_f[item_idx] & ~female[uidx]))
    start = dt.datetime.combine(
        today - dt.timedelta(days=days), dt.time(), tzinfo=dt.UTC
    ).timestamp()
    ts = (start + rng.random(m) * days * 86400).astype(np.int64)
    return SyntheticData(users, items, uidx[ok], item_idx[ok], kinds[ok], ts[ok])
