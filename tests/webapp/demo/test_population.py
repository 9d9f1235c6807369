"""The synthetic demo population: realistic, valid, consenting, fast to insert, created once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from lifecycle.identifiers import validate_credit_code
from webapp.core.clock import local_today


def test_population_is_created_once_with_valid_data(app):
    from webapp.accounts import services as accounts
    from webapp.core.db import db
    from webapp.demo.population import DOMAIN, seed_population
    from webapp.models import (
        Account,
        CitizenProfile,
        Enterprise,
        HouseholdMember,
        Interaction,
        Membership,
    )
    from webapp.privacy.consents import current_consents

    today = local_today()
    with app.app_context(), db.transaction() as session:
        summary = seed_population(session, today, n_users=60, train=False)
    assert summary and "citizens" in summary
    with app.app_context(), db.transaction() as session:
        assert seed_population(session, today, n_users=60, train=False) is None

    with app.app_context():
        s = db.session
        synthetic = s.scalars(select(Account).where(Account.email.like(f"%@{DOMAIN}"))).all()
        assert len(synthetic) == 60
        assert any(a.email == f"resident0001@{DOMAIN}" for a in synthetic)
        citizens = [a for a in synthetic if a.role == "citizen"]
        firms = [a for a in synthetic if a.role == "business"]
        assert citizens and firms
        assert s.scalar(select(func.count()).select_from(CitizenProfile)) == len(citizens)
        assert s.scalar(select(func.count()).select_from(HouseholdMember)) > 0
        for enterprise in s.scalars(select(Enterprise)):
            validate_credit_code(enterprise.credit_code)
        assert s.scalar(select(func.count()).select_from(Membership)) == len(firms)
        # consents: the defaults plus training, so the model may learn from them
        assert current_consents(s, synthetic[0].id)["training_data"] is True
        # interactions spread over about two years, none in the future
        first, last, n = s.execute(
            select(
                func.min(Interaction.created_at),
                func.max(Interaction.created_at),
                func.count(),
            )
        ).one()
        assert n > 60 * 10
        assert last - first > timedelta(days=600)
        assert last <= datetime.now(UTC) + timedelta(days=1)
        # nobody can log in as a synthetic person
        assert accounts.authenticate(s, synthetic[0].email, "lifepage-demo", address="t") is None
        assert len({a.password_hash for a in synthetic}) == 1


def test_population_is_deterministic(app):
    from recommender.synthetic import synthetic_data
    from webapp.core.db import db
    from webapp.recommend.context import catalog_items

    with app.app_context():
        items = catalog_items(db.session)
    a = synthetic_data(items, n_users=50, n_interactions=500, seed=5, today=local_today())
    b = synthetic_data(items, n_users=50, n_interactions=500, seed=5, today=local_today())
    assert [u.features for u in a.users] == [u.features for u in b.users]
    assert (a.item_index == b.item_index).all()


def test_demo_citizen_gets_views_and_a_trained_model(app, monkeypatch):
    from webapp import demo
    from webapp.accounts import services as accounts
    from webapp.core.db import db
    from webapp.demo.population import seed_population
    from webapp.models import Interaction, ModelVersion

    for key, value in {"REC_EPOCHS": 2, "REC_COMPONENTS": 8, "REC_THREADS": 1}.items():
        monkeypatch.setitem(app.config, key, value)
    today = local_today()
    with app.app_context(), db.transaction() as session:
        demo.seed_demo_accounts(session, today)
    with app.app_context(), db.transaction() as session:
        summary = seed_population(session, today, n_users=60)
    assert "active" in summary
    with app.app_context():
        s = db.session
        citizen = accounts.find_by_email(s, "citizen@lifepage.test")
        views = s.scalar(
            select(func.count()).where(
                Interaction.account_id == citizen.id, Interaction.kind == "view"
            )
        )
        assert views >= 3
        assert s.scalar(select(func.count()).where(ModelVersion.active)) == 1


def test_a_population_without_a_model_gets_one_on_the_next_run(app, monkeypatch):
    from webapp.core.db import db
    from webapp.demo.population import seed_population

    for key, value in {"REC_EPOCHS": 2, "REC_COMPONENTS": 8, "REC_THREADS": 1}.items():
        monkeypatch.setitem(app.config, key, value)
    with app.app_context(), db.transaction() as session:
        assert seed_population(session, local_today(), n_users=60, train=False)
    with app.app_context(), db.transaction() as session:
        assert "active" in seed_population(session, local_today(), n_users=60)
    with app.app_context(), db.transaction() as session:
        assert seed_population(session, local_today(), n_users=60) is None


def test_population_reports_its_progress_step_by_step(app, caplog):
    import logging
    import re

    from webapp.core.clock import local_today
    from webapp.core.db import db
    from webapp.demo.population import seed_population

    with (
        caplog.at_level(logging.INFO, logger="webapp.demo.population"),
        app.app_context(),
        db.transaction() as session,
    ):
        seed_population(session, local_today(), n_users=20, train=False)
    steps = [m for m in caplog.messages if m.startswith("demo population [")]
    assert [re.match(r"demo population \[(\d)/7\]", m).group(1) for m in steps][:4] == list("1234")
    assert any("interactions" in m for m in steps)
