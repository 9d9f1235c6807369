"""The synthetic demo population: citizens, enterprises and their use of the real catalog.

``seed_population(session, today)`` draws a deterministic population from
``recommender.synthetic.synthetic_data`` over the catalog in the database and inserts it
with bulk statements: citizen accounts (``resident0001@synthetic.lifepage.test``) with
profiles and household members, business accounts (``enterprise0001@…``) with their
enterprise (valid unified social credit codes) and membership, consents (the defaults plus
``training_data``: the people are synthetic), and about two years of interactions. The
demo citizen gets a few views. Then duties are computed (``duty_sync.sync_all`` when that
module exists) and the first model is trained, so the demo page has recommendations on
first run. Idempotent: it does nothing when the population exists.

Every synthetic account has the same unusable password hash (the argon2 hash of a random
token, computed once), so nobody can log in as them.
"""

from __future__ import annotations

import logging
import secrets
import time
from datetime import UTC, date, datetime, timedelta

import numpy as np
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from lifecycle.identifiers import make_credit_code
from recommender.dataset import KINDS
from recommender.features import region_words
from recommender.synthetic import synthetic_data
from webapp import duties as duty_sync
from webapp import recommend
from webapp.accounts.models import Account, new_session_token
from webapp.core.security.passwords import hash_password
from webapp.enterprise.models import Enterprise, Membership
from webapp.people.models import CitizenProfile, HouseholdMember
from webapp.privacy import CONSENT_VERSION, DEFAULTS
from webapp.privacy.models import PURPOSES, Consent
from webapp.recommend import Interaction
from webapp.recommend.models import ModelVersion

log = logging.getLogger(__name__)

DOMAIN = "synthetic.lifepage.test"
SEED = 20261126
SOURCES = ("page", "search", "catalog", "recommendation", "bundle")
# the synthetic generator's industries → the enterprise schema's
INDUSTRY_MAP = {"it": "software"}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建国文辉力燕鹏宇欣晨浩然子涵一诺梓萱雨轩思远佳怡俊杰嘉欣"
COMPANY_WORDS = ("华兴", "瑞丰", "嘉禾", "新元", "恒通", "鸿运", "安泰", "盛达", "博远", "锦程")
INDUSTRY_WORDS = {
    "catering": "餐饮",
    "retail": "商贸",
    "manufacturing": "制造",
    "software": "信息技术",
    "construction": "建筑工程",
    "logistics": "物流",
}
DEMO_VIEWS = (
    "driver_license_renewal",
    "child_immunization",
    "primary_school_enrollment",
    "iit_annual_reconciliation",
    "resident_medical_insurance_payment",
)

_UNUSABLE_HASH: str | None = None


def unusable_password_hash() -> str:
    """One argon2 hash of a random token per process: nobody knows the password."""
    global _UNUSABLE_HASH
    if _UNUSABLE_HASH is None:
        _UNUSABLE_HASH = hash_password(secrets.token_urlsafe(32))
    return _UNUSABLE_HASH


def population_exists(session: Session) -> bool:
    return bool(
        session.scalar(
            select(func.count()).select_from(Account).where(Account.email.like(f"%@{DOMAIN}"))
        )
    )


def _name(rng: np.random.Generator, surname: str | None = None) -> str:
    s = surname or SURNAMES[int(rng.integers(len(SURNAMES)))]
    n = 1 + int(rng.random() < 0.7)
    return s + "".join(GIVEN[int(rng.integers(len(GIVEN)))] for _ in range(n))


def _dt(ts: float) -> datetime:
    return datetime.fromtimestamp(float(ts), tz=UTC)


def seed_population(
    session: Session,
    today: date,
    *,
    n_users: int = 600,
    n_interactions: int | None = None,
    seed: int = SEED,
    train: bool = True,
    enterprise_share: float = 0.15,
) -> str | None:
    """Create the synthetic population once; returns a summary, or None when it exists."""
    if population_exists(session):
        if train and not session.scalar(select(func.count()).select_from(ModelVersion)):
            session.commit()  # the population was seeded without a model: train one now
            return _train_first_model(session, today)
        return None
    started = time.perf_counter()
    catalog = recommend.load_catalog(session)
    if not catalog.items:
        return None
    _step(1, f"generating {n_users} synthetic people and their service use")
    data = synthetic_data(
        catalog.items,
        n_users=n_users,
        n_interactions=n_interactions or n_users * 25,
        seed=seed,
        enterprise_share=enterprise_share,
        today=today,
        days=730,
    )
    rng = np.random.default_rng(seed)
    pw = unusable_password_hash()
    created = datetime.combine(today - timedelta(days=730), datetime.min.time(), tzinfo=UTC)

    citizens = [u for u in data.users if u.kind == "citizen"]
    firms = [u for u in data.users if u.kind == "enterprise"]
    emails: dict[str, str] = {}
    rows = []
    for n, u in enumerate(citizens, 1):
        emails[u.id] = f"resident{n:04d}@{DOMAIN}"
    for n, u in enumerate(firms, 1):
        emails[u.id] = f"enterprise{n:04d}@{DOMAIN}"
    for u in data.users:
        rows.append(
            {
                "email": emails[u.id],
                "password_hash": pw,
                "role": "citizen" if u.kind == "citizen" else "business",
                "locale": "zh_Hans",
                "session_token": new_session_token(),
                "created_at": created,
            }
        )
    _step(2, f"creating {len(rows)} accounts")
    session.execute(insert(Account), rows)
    ids = dict(
        session.execute(
            select(Account.email, Account.id).where(Account.email.like(f"%@{DOMAIN}"))
        ).all()
    )
    account_of = {u.id: ids[emails[u.id]] for u in data.users}

    _step(3, f"writing {len(citizens)} profiles and households")
    # citizens: profiles and households
    profiles, members = [], []
    now = datetime.now(UTC)
    for u in citizens:
        surname = SURNAMES[int(rng.integers(len(SURNAMES)))]
        female = u.gender == "female"
        age = (today - u.birth_date).days // 365
        issued_age = 16 + int(rng.integers(0, max(1, min(age, 60) - 15)))
        married = "marriage" in u.life_stages or (bool(u.children) and rng.random() < 0.8)
        profiles.append(
            {
                "account_id": account_of[u.id],
                "full_name": _name(rng, surname),
                "birth_date": u.birth_date,
                "gender": u.gender,
                "region_code": u.region_code,
                "employment": u.employment,
                "retirement_category": (
                    ("female_cadre" if rng.random() < 0.3 else "female_worker")
                    if female
                    else "male"
                ),
                "marital_status": "married" if married else "single",
                "id_card_issued_on": min(
                    today, u.birth_date + timedelta(days=int(issued_age * 365.25))
                ),
                "updated_at": created,
            }
        )
        for birth in u.children:
            members.append(
                {
                    "account_id": account_of[u.id],
                    "relation": "child",
                    "name": _name(rng, surname),
                    "birth_date": min(birth, today),
                    "gender": "female" if rng.random() < 0.49 else "male",
                    "guardian_consent_at": now,
                    "created_at": created,
                    "updated_at": created,
                }
            )
        for birth in u.elderly_parents:
            members.append(
                {
                    "account_id": account_of[u.id],
                    "relation": "parent",
                    "name": _name(rng, surname),
                    "birth_date": birth,
                    "gender": "female" if rng.random() < 0.5 else "male",
                    "created_at": created,
                    "updated_at": created,
                }
            )
    if profiles:
        session.execute(insert(CitizenProfile), profiles)
    if members:
        session.execute(insert(HouseholdMember), members)

    _step(4, f"registering {len(firms)} enterprises")
    # enterprises, one business account each
    enterprises = []
    for n, u in enumerate(firms, 1):
        industry = INDUSTRY_MAP.get(u.industry or "", u.industry)
        enterprises.append(
            {
                "credit_code": make_credit_code(f"91{u.region_code}MAY{n:06d}"),
                "name": f"{region_words(u.region_code)['zh_Hans']}{COMPANY_WORDS[n % 10]}"
                f"{INDUSTRY_WORDS.get(industry or '', '')}有限公司（{n:04d}）",
                "established_on": u.established_on,
                "industry": industry,
                "size": u.size,
                "region_code": u.region_code,
                "taxpayer_period": "monthly" if u.size in ("medium", "large") else "quarterly",
                "created_at": created,
                "updated_at": created,
            }
        )
    enterprise_of: dict[str, int] = {}
    if enterprises:
        session.execute(insert(Enterprise), enterprises)
        by_code = dict(
            session.execute(
                select(Enterprise.credit_code, Enterprise.id).where(
                    Enterprise.credit_code.in_([e["credit_code"] for e in enterprises])
                )
            ).all()
        )
        enterprise_of = {
            u.id: by_code[e["credit_code"]] for u, e in zip(firms, enterprises, strict=True)
        }
        session.execute(
            insert(Membership),
            [
                {
                    "account_id": account_of[u.id],
                    "enterprise_id": enterprise_of[u.id],
                    "role": "legal_representative",
                    "verified_via": "demo",
                    "created_at": created,
                }
                for u in firms
            ],
        )

    # consents: the defaults plus training (synthetic people)
    granted = {**DEFAULTS, "training_data": True}
    session.execute(
        insert(Consent),
        [
            {
                "account_id": account_of[u.id],
                "purpose": p,
                "granted": granted[p],
                "version": CONSENT_VERSION,
                "created_at": created,
            }
            for u in data.users
            for p in PURPOSES
        ],
    )

    # interactions
    kind_names = np.array(KINDS)[data.kinds]
    service_of = catalog.service_ids
    codes = [it.code for it in data.items]
    inter_rows = []
    for n, (ui, ii, kind, ts) in enumerate(
        zip(data.user_index, data.item_index, kind_names, data.timestamps, strict=True)
    ):
        u = data.users[int(ui)]
        inter_rows.append(
            {
                "account_id": account_of[u.id],
                "enterprise_id": enterprise_of.get(u.id),
                "service_id": service_of[codes[int(ii)]],
                "kind": str(kind),
                "source": SOURCES[n % len(SOURCES)],
                "created_at": _dt(ts),
            }
        )
    inter_rows.extend(_demo_views(session, today, service_of))
    for start in range(0, len(inter_rows), 5000):
        session.execute(insert(Interaction), inter_rows[start : start + 5000])
        _step(5, f"interactions {min(start + 5000, len(inter_rows))}/{len(inter_rows)}")
    session.flush()
    seeded = time.perf_counter() - started
    summary = (
        f"synthetic population: {len(citizens)} citizens, {len(firms)} enterprises, "
        f"{len(members)} household members, {len(inter_rows)} interactions ({seeded:.1f} s)"
    )
    _step(6, "working out everyone's duties")
    duties = _sync_duties(session, today)
    if duties:
        summary += f"; {duties}"
    session.commit()
    if train:
        _step(7, "training the first recommendation model")
        summary += "; " + _train_first_model(session, today)
    log.info(summary)
    return summary


def _step(number: int, text: str, total: int = 7) -> None:
    """A progress line for the first run (what is being done, step n of total)."""
    log.info("demo population [%d/%d] %s", number, total, text)


def _demo_views(session: Session, today: date, service_of: dict[str, int]) -> list[dict]:
    """A few views by the demo citizen (and training consent: the demo person is fictional)."""
    from webapp.demo import DEMO_ACCOUNTS
    from webapp.privacy import set_consents

    rows = []
    for email in DEMO_ACCOUNTS:
        account_id = session.scalar(select(Account.id).where(Account.email == email))
        if account_id is None:
            continue
        set_consents(session, account_id, {"training_data": True})
        if email.startswith("citizen@"):
            for n, code in enumerate(DEMO_VIEWS):
                if code in service_of:
                    at = datetime.combine(
                        today - timedelta(days=30 - 5 * n), datetime.min.time(), tzinfo=UTC
                    ) + timedelta(hours=10)
                    rows.append(
                        {
                            "account_id": account_id,
                            "enterprise_id": None,
                            "service_id": service_of[code],
                            "kind": "view",
                            "source": "catalog",
                            "created_at": at,
                        }
                    )
    return rows


def _sync_duties(session: Session, today: date) -> str | None:
    """Duties for everyone."""
    try:
        with session.begin_nested():
            result = duty_sync.sync_all(session, today)
    except Exception:  # the population stays useful without duties
        log.exception("duty sync for the synthetic population failed")
        return "duty sync failed (see the log)"
    return f"duties: {result}" if result is not None else "duties synced"


def _train_first_model(session: Session, today: date) -> str:
    from flask import current_app, has_app_context

    from webapp.recommend import train_and_maybe_activate

    if has_app_context():
        target = current_app._get_current_object()
    else:
        from sqlalchemy.orm import sessionmaker

        target = sessionmaker(bind=session.get_bind(), expire_on_commit=False)
    row = train_and_maybe_activate(target, today)
    seconds = (row.metadata_ or {}).get("seconds")
    return f"model {row.version}: {row.status} ({seconds} s)"
