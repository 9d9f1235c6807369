"""The schema comes from migrations only, and the models have nothing pending."""

from __future__ import annotations

import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from webapp.core.migrate import alembic_config
from webapp.models import Base


def test_single_head():
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1


def test_models_match_migrated_schema(app):
    from webapp.core.db import db

    with app.app_context(), db.engine.connect() as conn, warnings.catch_warnings():
        # SQLite cannot reflect the expression index on lower(email); it is checked below.
        warnings.filterwarnings("ignore", message=".*expression-based index.*")
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = [
            d
            for d in compare_metadata(context, Base.metadata)
            # expression indexes (lower(email)) cannot be reflected on SQLite
            if not (
                isinstance(d, tuple)
                and d[0] in {"add_index", "remove_index"}
                and "lower" in str(d[1])
            )
        ]
    assert diff == []


def test_email_unique_case_insensitively_in_the_database(app, factories):
    import pytest
    from sqlalchemy.exc import IntegrityError

    from webapp.core.db import db
    from webapp.models import Account

    factories.account(email="Same@Example.test")
    with app.app_context(), pytest.raises(IntegrityError), db.transaction() as session:
        session.add(Account(email="same@example.TEST", password_hash="x", role="citizen"))
