"""The duties benchmark's data: a synthetic population of citizens (with households,
consents) and enterprises (with permits) written with bulk inserts, and the scaling of a
computed duty table by replication (see ``bench/duties.py``)."""

from __future__ import annotations

import random
import time
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert, text

from lifecycle.identifiers import make_credit_code
from webapp.models import (
    Account,
    CitizenProfile,
    Consent,
    Enterprise,
    HouseholdMember,
    Membership,
    Permit,
)

TODAY = date(2026, 11, 26)
REGIONS = ("110105", "310115", "330106", "350203", "440106", "440305", "520102")
CHUNK = 20_000


def _chunks(rows, size=CHUNK):
    buf = []
    for row in rows:
        buf.append(row)
        if len(buf) >= size:
            yield buf
            buf = []
    if buf:
        yield buf


def insert_rows(conn, model, rows) -> int:
    n = 0
    for chunk in _chunks(rows):
        conn.execute(insert(model.__table__), chunk)
        n += len(chunk)
    return n


def _rand_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def generate(engine, citizens: int, seed: int = 7) -> dict[str, int]:
    """Plain synthetic rows: citizens with profiles, ~45% with a child, ~20% with a parent,
    one enterprise per 20 citizens (half with a food business licence)."""
    rng = random.Random(seed)
    enterprises = max(1, citizens // 20)
    counts = {}
    now = datetime.now(UTC)

    def accounts():
        for i in range(1, citizens + enterprises + 1):
            yield {
                "id": i,
                "email": f"u{i}@bench.test",
                "password_hash": "x",
                "role": "citizen" if i <= citizens else "business",
                "locale": "zh_Hans",
                "session_token": f"s{i}",
                "created_at": now,
            }

    def profiles():
        for i in range(1, citizens + 1):
            birth = _rand_date(rng, date(1950, 1, 1), date(2006, 12, 31))
            gender = rng.choice(("male", "female"))
            issued = _rand_date(rng, max(birth + timedelta(days=16 * 366), date(2006, 1, 1)), TODAY)
            has_dl = rng.random() < 0.5
            dl_exp = _rand_date(rng, TODAY - timedelta(days=200), TODAY + timedelta(days=3650))
            yield {
                "account_id": i,
                "full_name": f"居民{i}",
                "birth_date": birth,
                "gender": gender,
                "region_code": rng.choice(REGIONS),
                "id_card_issued_on": issued if issued < TODAY else None,
                "driver_license_issued_on": dl_exp - timedelta(days=6 * 365) if has_dl else None,
                "driver_license_expires_on": dl_exp if has_dl else None,
                "employment": rng.choice(
                    ("employed", "employed", "employed", "self_employed", "retired", "unemployed")
                ),
                "retirement_category": "male"
                if gender == "male"
                else rng.choice(("female_cadre", "female_worker")),
                "updated_at": now,
            }

    member_rows: list[dict] = []

    def members():
        mid = 0
        for i in range(1, citizens + 1):
            if rng.random() < 0.45:
                mid += 1
                yield {
                    "id": mid,
                    "account_id": i,
                    "relation": "child",
                    "name": f"孩子{mid}",
                    "birth_date": _rand_date(rng, date(2009, 1, 1), TODAY - timedelta(days=10)),
                    "gender": rng.choice(("male", "female")),
                    "guardian_consent_at": now,
                    "created_at": now,
                    "updated_at": now,
                }
            if rng.random() < 0.2:
                mid += 1
                yield {
                    "id": mid,
                    "account_id": i,
                    "relation": "parent",
                    "name": f"父母{mid}",
                    "birth_date": _rand_date(rng, date(1940, 1, 1), date(1975, 12, 31)),
                    "gender": rng.choice(("male", "female")),
                    "guardian_consent_at": None,
                    "created_at": now,
                    "updated_at": now,
                }

    def consents():
        for i in range(1, citizens + 1):
            yield {
                "account_id": i,
                "purpose": "household_data",
                "granted": True,
                "version": "1",
                "created_at": now,
            }

    def ents():
        for e in range(1, enterprises + 1):
            yield {
                "id": e,
                "credit_code": make_credit_code(f"91440101MA{e:07d}"),
                "name": f"企业{e}",
                "established_on": _rand_date(rng, date(2000, 1, 1), TODAY),
                "industry": rng.choice(("catering", "retail", "software", "manufacturing")),
                "size": "small",
                "region_code": rng.choice(REGIONS),
                "taxpayer_period": rng.choice(("monthly", "quarterly")),
                "created_at": now,
                "updated_at": now,
            }

    def memberships():
        for e in range(1, enterprises + 1):
            yield {
                "account_id": citizens + e,
                "enterprise_id": e,
                "role": "legal_representative",
                "created_at": now,
            }

    def permits():
        for e in range(1, enterprises + 1):
            if rng.random() < 0.5:
                yield {
                    "enterprise_id": e,
                    "kind": "food_business_license",
                    "number": f"JY1440101{e:08d}",
                    "issued_on": TODAY - timedelta(days=rng.randrange(1, 1800)),
                    "expires_on": TODAY + timedelta(days=rng.randrange(1, 1800)),
                }

    with engine.begin() as conn:
        counts["accounts"] = insert_rows(conn, Account, accounts())
        counts["profiles"] = insert_rows(conn, CitizenProfile, profiles())
        counts["household members"] = insert_rows(conn, HouseholdMember, members())
        counts["consents"] = insert_rows(conn, Consent, consents())
        counts["enterprises"] = insert_rows(conn, Enterprise, ents())
        counts["memberships"] = insert_rows(conn, Membership, memberships())
        counts["permits"] = insert_rows(conn, Permit, permits())
    del member_rows
    return counts


DUTY_COLS = (
    "subject_name, rule, occurrence, life_event, service_code, title, explanation, "
    "legal_basis, window_start, due_date, provisional, advisory, status, snoozed_until, "
    "status_changed_at, created_at, updated_at"
)


def replicate(engine, sample: int, citizens: int) -> dict[str, float]:
    """Scale the duty table of a ``sample``-citizen population up to ``citizens``.

    The sample's duties were computed by ``sync_all``; each copy k gets new accounts and
    enterprises (real rows, so every foreign key holds) and the sample's duty rows with
    shifted subject, owner and enterprise ids (INSERT … SELECT in the database).
    """
    copies = citizens // sample
    ents = max(1, sample // 20)
    base = sample + ents + 1  # first id after the sample's citizen and business accounts
    now = datetime.now(UTC)
    t0 = time.perf_counter()
    with engine.begin() as conn:
        max_duty = conn.execute(text("SELECT max(id) FROM duty")).scalar()
        max_member = conn.execute(
            text("SELECT coalesce(max(id), 0) FROM household_member")
        ).scalar()
        for k in range(1, copies):
            first = base + (k - 1) * sample
            insert_rows(
                conn,
                Account,
                (
                    {
                        "id": first + i,
                        "email": f"r{first + i}@bench.test",
                        "password_hash": "x",
                        "role": "citizen",
                        "locale": "zh_Hans",
                        "session_token": f"r{first + i}",
                        "created_at": now,
                    }
                    for i in range(sample)
                ),
            )
            insert_rows(
                conn,
                Enterprise,
                (
                    {
                        "id": k * ents + e,
                        "credit_code": make_credit_code(f"91440101MB{k * ents + e:07d}"),
                        "name": f"企业{k * ents + e}",
                        "established_on": date(2015, 1, 1),
                        "taxpayer_period": "monthly",
                        "created_at": now,
                        "updated_at": now,
                    }
                    for e in range(1, ents + 1)
                ),
            )
            conn.execute(
                text(
                    "INSERT INTO duty (subject_kind, subject_id, owner_account_id, enterprise_id, "
                    + DUTY_COLS
                    + ") SELECT subject_kind, CASE subject_kind "
                    "WHEN 'self' THEN subject_id - 1 + :first "
                    "WHEN 'household' THEN subject_id + :k * :members "
                    "ELSE subject_id + :k * :ents END, "
                    "CASE WHEN owner_account_id IS NULL THEN NULL "
                    "ELSE owner_account_id - 1 + :first END, "
                    "CASE WHEN enterprise_id IS NULL THEN NULL ELSE enterprise_id + :k * :ents END, "
                    + DUTY_COLS
                    + " FROM duty WHERE id <= :max_duty"
                ),
                {"first": first, "k": k, "members": max_member, "ents": ents, "max_duty": max_duty},
            )
    return {"copies": copies, "seconds": time.perf_counter() - t0}
