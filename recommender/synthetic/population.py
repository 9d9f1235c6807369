"""The synthetic population: users with dated life events, drawn as arrays, and what is true
of every user on a given day (ages, employment, life stages, model features)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from recommender.features import citizen_tags, enterprise_tags
from recommender.synthetic.vocabulary import (
    CITIZEN_EVENTS,
    EMPLOYMENTS,
    ENTERPRISE_EVENTS,
    EPISODE_KINDS,
    EPISODES,
    INDUSTRIES,
    REGION_WEIGHTS,
    REGIONS,
    SCHOOL_AGES,
    SIZES,
    YEAR,
)


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
class Population:
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


def draw_population(
    rng: np.random.Generator, n: int, enterprise_share: float, today: dt.date, days: int
) -> Population:
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
    return Population(
        today, is_ent, region, birth, female, kids, parent_birth, parent_death, retire, job,
        care, industry, size, founded, ep_user[order], ep_kind[order], ep_date[order],
        (ep_date - before)[order], (ep_date + after)[order],
    )  # fmt: skip


def state_on(p: Population, a: float) -> dict[str, np.ndarray]:
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


def profile_on(p: Population, a: float) -> tuple[list[list[str]], list[tuple[str, ...]]]:
    """Model features and current life stages of every user on day ``a``."""
    s = state_on(p, a)
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


def users_of(p: Population) -> list[SyntheticUser]:
    feats, stages = profile_on(p, 0.0)
    today = p.today

    def date(day: float) -> dt.date:
        return today + dt.timedelta(days=int(np.floor(day)))

    starts = np.searchsorted(p.ep_user, np.arange(len(p.is_ent) + 1))
    s = state_on(p, 0.0)
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
