"""Deterministic synthetic citizens, enterprises, services and interactions (vectorised).

People use a government portal when something happens in their life. Every synthetic
user has dated life events — a child born on a date, a child turning 3/6/12/15 (school
enrolment), reaching retirement age, a marriage, a move, a job change, a trip, an illness,
a parent's death; for enterprises the founding, licence renewals, the annual report
season, changes, investments, deregistration. Each event opens a *need window* around its
date in which the user is much more active and mostly uses the event's services (a small
bundle of services dominates each event). Between events, usage follows ongoing stages
(work, chronic care, school-age children), a personal interest theme (hidden from the
features — only the history reveals it), services popular in the region (some services
are local) and globally popular services; dismissals are noise.

Because needs are dated, the future differs from the past: a time split's test period
contains needs the training period did not show. Some of them are predictable from the
profile (a child's birthday, the retirement age, licence renewals, the annual report
season) — what a life-cycle signal for *upcoming* events knows and popularity does not;
others (a marriage, an illness) are known only once they happened.

``SyntheticData.user_features(as_of)`` and ``SyntheticData.lifecycle(as_of)`` describe the
users as known on a date (features as the model sees them; current and upcoming life
events as the life-cycle module would report them). Everything is derived from ``seed``;
the same seed gives the same data.
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
YEAR = 365.25
# need windows: episode kind -> (service life event, days before the date, days after,
# predictable from the profile before the date, activity while the window is open)
EPISODES: dict[str, tuple[str, int, int, bool, float]] = {
    "child_born": ("birth", 0, 120, False, 1.2),
    "pregnancy_and_infant": ("childbirth", 150, 150, False, 0.8),
    "school_enrolment": ("education", 150, 45, True, 1.0),
    "retirement": ("retirement", 270, 150, True, 1.0),
    "marriage": ("marriage", 60, 45, False, 1.0),
    "move": ("housing", 45, 120, False, 0.8),
    "job_change": ("work", 20, 90, False, 0.8),
    "trip": ("travel", 40, 5, False, 0.8),
    "illness": ("healthcare", 0, 40, False, 0.8),
    "bereavement": ("death", 0, 90, False, 1.0),
    "document_renewal": ("travel", 60, 30, True, 0.8),  # ID card, driving licence, passport
    "medical_insurance_payment": ("healthcare", 0, 121, True, 0.15),  # residents', Sep–Dec
    "tax_reconciliation": ("work", 0, 121, True, 0.15),  # income tax, Mar–Jun
    "pension_certification": ("retirement", 0, 60, True, 0.3),  # yearly, from the birthday
    "elderly_allowance": ("retirement", 30, 90, True, 1.0),  # at 80
    "founding": ("establishment", 60, 60, False, 1.2),
    "first_licence": ("licensing", 0, 300, False, 0.6),
    "licence_renewal": ("licensing", 90, 30, True, 0.8),
    "annual_report": ("operation", 0, 180, True, 0.5),
    "change": ("change", 30, 60, False, 0.8),
    "investment": ("investment", 90, 180, False, 0.6),
    "deregistration": ("deregistration", 120, 30, False, 1.0),
}
EPISODE_KINDS = tuple(EPISODES)
SCHOOL_AGES = (3, 6, 12, 15)


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
    events: tuple[tuple[str, dt.date], ...] = ()  # dated life events (episode kind, date)


@dataclass
class _Population:
    """Per-user facts as arrays (days relative to ``today``; NaN = none)."""

    today: dt.date
    is_ent: np.ndarray
    region: np.ndarray
    birth: np.ndarray  # citizen birth day
    female: np.ndarray
    children: np.ndarray  # users × 3 child birth days (NaN: none)
    parent_birth: np.ndarray  # NaN: no elderly parent in the household
    parent_death: np.ndarray  # NaN: alive
    retire: np.ndarray  # day the citizen reaches retirement age
    job: np.ndarray  # employment drawn for working age (0 employed, 1 self, 2 unemployed)
    care: np.ndarray  # cares for the elderly parent's health
    industry: np.ndarray
    size: np.ndarray
    founded: np.ndarray  # enterprise founding day
    ep_user: np.ndarray  # episodes: user, kind index, date, window [start, end]
    ep_kind: np.ndarray
    ep_date: np.ndarray
    ep_start: np.ndarray
    ep_end: np.ndarray

    def day(self, as_of: dt.date | None) -> float:
        return 0.0 if as_of is None else float((as_of - self.today).days)


@dataclass
class SyntheticData:
    users: list[SyntheticUser]
    items: list[ItemMeta]
    user_index: np.ndarray  # interaction → index into users
    item_index: np.ndarray  # interaction → index into items
    kinds: np.ndarray  # interaction → index into dataset.KINDS
    timestamps: np.ndarray  # unix seconds
    population: _Population | None = None
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
        feats_by_user, _ = _profile(self.population, self.population.day(as_of))
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
    return edges[band] + rng.random(n) * (edges[band + 1] - edges[band])


def _enrolment(today: dt.date, born: np.ndarray, age: int) -> np.ndarray:
    """Day of the 1 September on which a child born on day ``born`` starts school at ``age``."""
    out = np.full(len(born), np.nan)
    ok = np.isfinite(born)
    t0 = np.datetime64(today, "D")
    d = t0 + np.floor(born[ok]).astype("timedelta64[D]")
    month = d.astype("datetime64[M]")
    year = month.astype("datetime64[Y]")
    late = (month - year.astype("datetime64[M]")).astype(np.int64) >= 8  # born Sep–Dec
    start = (year + (age + late)).astype("datetime64[M]") + 8
    out[ok] = (start.astype("datetime64[D]") - t0).astype(np.int64)
    return out


def _population(
    rng: np.random.Generator, n: int, enterprise_share: float, today: dt.date, days: int
) -> _Population:
    is_ent = rng.random(n) < enterprise_share
    region = rng.choice(len(REGIONS), size=n, p=np.array(REGION_WEIGHTS) / sum(REGION_WEIGHTS))
    cit = ~is_ent
    # --- citizens (days relative to today; negative = past)
    age = _ages(rng, n)
    birth = -age * YEAR
    female = rng.random(n) < 0.49
    n_kids = rng.choice(4, size=n, p=[0.2, 0.5, 0.25, 0.05])
    first = birth + rng.uniform(23, 36, size=n) * YEAR
    gaps = np.cumsum(rng.uniform(2, 5, size=(n, 2)) * YEAR, axis=1)
    kids = np.column_stack([first, first[:, None] + gaps])
    kids[np.arange(3)[None, :] >= n_kids[:, None]] = np.nan
    kids[kids > 0] = np.nan  # not born by today
    has_parent = cit & (age >= 28) & (age <= 62) & (rng.random(n) < 0.7)
    parent_birth = np.where(has_parent, birth - rng.uniform(24, 33, n) * YEAR, np.nan)
    parent_age = -parent_birth / YEAR
    dies = has_parent & (rng.random(n) < np.where(parent_age >= 80, 0.12, 0.03))
    parent_death = np.where(dies, -rng.uniform(0, days, n), np.nan)
    retire = birth + np.where(female, 55, 60) * YEAR
    u = rng.random(n)
    job = np.where(u < 0.75, 0, np.where(u < 0.87, 1, 2))
    care = rng.random(n) < 0.5
    # --- enterprises
    founded = -(np.minimum(rng.geometric(0.18, size=n) - 1, 40) + rng.random(n)) * YEAR
    industry = rng.choice(len(INDUSTRIES), size=n)
    size = rng.choice(len(SIZES), size=n, p=[0.55, 0.3, 0.11, 0.04])

    lo, hi = -days - 400.0, 400.0  # episodes that could touch the data period or the next year
    eps: list[tuple[np.ndarray, str, np.ndarray]] = []

    def add(users: np.ndarray, kind: str, dates: np.ndarray) -> None:
        ok = np.isfinite(dates) & (dates >= lo) & (dates <= hi)
        eps.append((users[ok], kind, dates[ok]))

    idx = np.arange(n)
    for j in range(3):
        cb = kids[:, j]
        add(idx, "child_born", np.where(cit, cb, np.nan))
        add(idx, "pregnancy_and_infant", np.where(cit, cb, np.nan))
        for a in SCHOOL_AGES:
            add(idx, "school_enrolment", np.where(cit, _enrolment(today, cb, a), np.nan))
    # babies due after today are not in the profile, but their parents use birth services
    due = cit & (age >= 24) & (age <= 38) & (rng.random(n) < 0.08)
    due_day = np.where(due, rng.uniform(1, 300, n), np.nan)
    add(idx, "child_born", due_day)
    add(idx, "pregnancy_and_infant", due_day)
    add(idx, "retirement", np.where(cit, retire, np.nan))
    add(idx, "elderly_allowance", np.where(cit, birth + 80 * YEAR, np.nan))
    # documents expire on known dates: ID card at 26 and 46, driving licence 6 years after
    # the test and then every 10, passport every 10 years
    for a in (26, 46):
        add(idx, "document_renewal", np.where(cit, birth + a * YEAR, np.nan))
    drives = cit & (rng.random(n) < 0.6)
    licence = birth + rng.uniform(18, 35, n) * YEAR + 6 * YEAR
    passport = cit & (rng.random(n) < 0.3)
    issued = -rng.uniform(0, 10, n) * YEAR
    for r in range(-1, 5):
        add(idx, "document_renewal", np.where(drives, licence + 10 * r * YEAR, np.nan))
        add(idx, "document_renewal", np.where(passport, issued + 10 * r * YEAR, np.nan))
    # yearly seasons: residents' medical insurance (Sep–Dec) for those without employee
    # insurance and for parents of minors; income tax reconciliation (Mar–Jun) for earners;
    # the pensioners' yearly certification from their birthday
    bday = np.mod(-birth, YEAR)  # days since the last birthday
    for year in range(today.year - days // 365 - 2, today.year + 2):
        jan1 = float((dt.date(year, 1, 1) - today).days)
        sep1 = float((dt.date(year, 9, 1) - today).days)
        mar1 = float((dt.date(year, 3, 1) - today).days)
        minor = ((sep1 - kids) / YEAR < 18).any(axis=1)
        age_then = (sep1 - birth) / YEAR
        resident = cit & ((job != 0) | (age_then < 22) | (sep1 >= retire) | minor)
        add(idx, "medical_insurance_payment", np.where(resident, sep1, np.nan))
        earner = cit & (age_then >= 22) & (mar1 < retire) & (job != 2)
        add(idx, "tax_reconciliation", np.where(earner, mar1, np.nan))
        cert = jan1 + np.mod(-bday - jan1, YEAR)  # the birthday in that year
        add(idx, "pension_certification", np.where(cit & (cert >= retire), cert, np.nan))
    span = days + 400.0

    def rare(mask: np.ndarray, rate_per_year: float, kind: str) -> None:
        k = rng.poisson(rate_per_year * span / YEAR, size=n) * mask
        users = np.repeat(idx, k)
        add(users, kind, rng.uniform(-days - 60, 340, size=len(users)))

    rare(cit & (age >= 22) & (age <= 38), 0.12, "marriage")
    rare(cit & (age >= 23) & (age <= 55), 0.10, "move")
    rare(cit & (age >= 20) & (age < 58), 0.15, "job_change")
    rare(cit, 0.35, "trip")
    rare(cit, 0.3, "illness")
    add(idx, "bereavement", parent_death)
    add(idx, "founding", np.where(is_ent, founded, np.nan))
    add(idx, "first_licence", np.where(is_ent, founded, np.nan))
    licensed = is_ent & np.isin(industry, (0, 1, 4, 5))
    for r in range(1, 14):
        add(idx, "licence_renewal", np.where(licensed, founded + 3 * r * YEAR, np.nan))
    for year in range(today.year - days // 365 - 1, today.year + 2):
        start = float((dt.date(year, 1, 1) - today).days)
        add(idx, "annual_report", np.where(is_ent & (founded < start), start, np.nan))
    rare(is_ent, 0.2, "change")
    rare(is_ent & (rng.random(n) < 0.4), 0.15, "investment")
    rare(is_ent & (founded < -5 * YEAR), 0.03, "deregistration")

    ep_user = np.concatenate([e[0] for e in eps]).astype(np.int64)
    ep_kind = np.concatenate([np.full(len(e[0]), EPISODE_KINDS.index(e[1])) for e in eps])
    ep_date = np.concatenate([e[2] for e in eps])
    before = np.array([EPISODES[k][1] for k in EPISODE_KINDS], float)[ep_kind]
    after = np.array([EPISODES[k][2] for k in EPISODE_KINDS], float)[ep_kind]
    order = np.lexsort((ep_date, ep_user))
    return _Population(
        today, is_ent, region, birth, female, kids, parent_birth, parent_death, retire, job,
        care, industry, size, founded, ep_user[order], ep_kind[order], ep_date[order],
        (ep_date - before)[order], (ep_date + after)[order],
    )  # fmt: skip


def _state(p: _Population, a: float) -> dict[str, np.ndarray]:
    """What is true of every user on day ``a``: ages, employment, known events, stages."""
    n = len(p.is_ent)
    age = np.floor((a - p.birth) / YEAR)
    kid_age = np.where(p.children <= a, np.floor((a - p.children) / YEAR), np.nan)
    has_kid = np.isfinite(kid_age)
    retired = a >= p.retire
    emp = np.where(age < 22, 4, np.where(retired, 3, p.job))
    parent = np.isfinite(p.parent_birth) & ~(p.parent_death <= a)
    since = a - p.ep_date  # days since the event (known once it happened)

    def recent(kind: str, within: float) -> np.ndarray:
        sel = (p.ep_kind == EPISODE_KINDS.index(kind)) & (since >= 0) & (since <= within)
        return np.bincount(p.ep_user[sel], minlength=n) > 0

    kid_le = lambda y: (has_kid & (kid_age <= y)).any(axis=1)  # noqa: E731
    cit = {
        "birth": recent("child_born", 365),
        "education": (age < 23) | (has_kid & (kid_age >= 3) & (kid_age <= 18)).any(axis=1),
        "work": np.isin(emp, (0, 1, 2)),
        "marriage": recent("marriage", 365),
        "childbirth": kid_le(2),
        "housing": recent("move", 365),
        "travel": recent("trip", 30),
        "healthcare": (age >= 55) | kid_le(6) | (parent & p.care) | recent("illness", 40),
        "retirement": age >= np.where(p.female, 55, 60) - 2,
        "death": recent("bereavement", 365),
    }
    ent_age = np.floor((a - p.founded) / YEAR)
    ent = {
        "establishment": ent_age < 1,
        "licensing": (ent_age < 2) | recent("licence_renewal", 60),
        "operation": np.ones(n, bool),
        "change": recent("change", 180),
        "investment": recent("investment", 365),
        "deregistration": recent("deregistration", 60),
    }
    return {
        "age": age, "kid_age": kid_age, "emp": emp, "parent": parent, "ent_age": ent_age,
        "cit": np.stack([cit[e] for e in CITIZEN_EVENTS], axis=1),
        "ent": np.stack([ent[e] for e in ENTERPRISE_EVENTS], axis=1),
    }  # fmt: skip


def _profile(p: _Population, a: float) -> tuple[list[list[str]], list[tuple[str, ...]]]:
    """Model features and current life stages of every user on day ``a``."""
    s = _state(p, a)
    feats: list[list[str]] = []
    stages: list[tuple[str, ...]] = []
    for k in range(len(p.is_ent)):
        reg = REGIONS[p.region[k]]
        if p.is_ent[k]:
            st = tuple(e for e, on in zip(ENTERPRISE_EVENTS, s["ent"][k], strict=True) if on)
            tags = enterprise_tags(
                INDUSTRIES[p.industry[k]], SIZES[p.size[k]], int(max(s["ent_age"][k], 0)), reg
            )
            feats.append([t.key for t in tags] + [f"stage:{x}" for x in st])
        else:
            st = tuple(e for e, on in zip(CITIZEN_EVENTS, s["cit"][k], strict=True) if on)
            kids = [int(x) for x in s["kid_age"][k] if np.isfinite(x)]
            tags = citizen_tags(
                int(s["age"][k]),
                "female" if p.female[k] else "male",
                reg,
                st,
                kids,
                EMPLOYMENTS[int(s["emp"][k])],
                bool(s["parent"][k]),
            )
            feats.append([t.key for t in tags])
        stages.append(st)
    return feats, stages


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
    pop = _population(rng, n_users, enterprise_share, today, days)
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
    st = _state(pop, 0.0)
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
    users = _users(pop)
    ep_all = np.concatenate([np.full(len(uidx), -1), eidx])
    return SyntheticData(
        users, items, u_all[ok][order], i_all[ok][order], kinds[ok][order], ts, pop,
        ep_all[ok][order],
    )  # fmt: skip


def _users(p: _Population) -> list[SyntheticUser]:
    feats, stages = _profile(p, 0.0)
    today = p.today

    def date(day: float) -> dt.date:
        return today + dt.timedelta(days=int(np.floor(day)))

    starts = np.searchsorted(p.ep_user, np.arange(len(p.is_ent) + 1))
    s = _state(p, 0.0)
    users: list[SyntheticUser] = []
    for k in range(len(p.is_ent)):
        lo, hi = starts[k], starts[k + 1]
        events = tuple(
            (EPISODE_KINDS[p.ep_kind[j]], date(p.ep_date[j]))
            for j in range(lo, hi)
            if p.ep_date[j] <= 0 or EPISODES[EPISODE_KINDS[p.ep_kind[j]]][3]
        )
        reg = REGIONS[p.region[k]]
        if p.is_ent[k]:
            users.append(
                SyntheticUser(
                    f"e{k:06d}",
                    "enterprise",
                    reg,
                    life_stages=stages[k],
                    industry=INDUSTRIES[p.industry[k]],
                    size=SIZES[p.size[k]],
                    established_on=date(p.founded[k]),
                    features=feats[k],
                    events=events,
                )  # fmt: skip
            )
            continue
        kids = tuple(date(c) for c in p.children[k] if np.isfinite(c))
        users.append(
            SyntheticUser(
                f"u{k:06d}",
                "citizen",
                reg,
                birth_date=date(p.birth[k]),
                gender="female" if p.female[k] else "male",
                employment=EMPLOYMENTS[int(s["emp"][k])],
                children=kids,
                elderly_parents=(date(p.parent_birth[k]),) if s["parent"][k] else (),
                life_stages=stages[k],
                features=feats[k],
                events=events,
            )  # fmt: skip
        )
    return users
