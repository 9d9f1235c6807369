"""Shared fixtures: the app on SQLite (or TEST_DATABASE_URL), clients per role, factories."""

from __future__ import annotations

import os

os.environ.setdefault("LIFEPAGE_FAST_PASSWORD_HASH", "1")

import pytest  # noqa: E402

from tests.factories import Factories  # noqa: E402

# Tables whose rows the catalog load provides once per session; the rest is emptied
# after every test.
CATALOG_TABLES = {
    "alembic_version",
    "department",
    "life_event",
    "material",
    "service",
    "service_material",
    "service_life_event",
    "bundle",
    "bundle_service",
}


def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


def _reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    from webapp import create_app
    from webapp.catalog.sync import load_from_path
    from webapp.core.db import db
    from webapp.core.migrate import upgrade

    url = database_url(tmp_path_factory)
    if url.startswith("postgresql"):
        _reset_postgres(url)
    instance = tmp_path_factory.mktemp("instance")
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "INSTANCE_PATH": str(instance),
            "SECRET_KEY": "test-secret",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "SMTP_URL": "",
            "REC_MAX_EPOCHS": 6,  # the settings selection stays small in tests
        }
    )
    with app.app_context():
        upgrade(db.engine)
        with db.transaction() as session:
            load_from_path(session)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_tables(request):
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    from sqlalchemy import delete

    from webapp.core.db import db
    from webapp.models import Base

    with app.app_context(), db.engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name not in CATALOG_TABLES:
                conn.execute(delete(table))


@pytest.fixture
def db_session(app):
    from webapp.core.db import db

    with app.app_context():
        session = db.new_session()
        yield session
        session.close()


@pytest.fixture
def factories(app):
    return Factories(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def citizen(factories):
    return factories.citizen()


@pytest.fixture
def citizen_client(app, factories, citizen):
    client = app.test_client()
    factories.login(client, citizen)
    return client


@pytest.fixture
def business(factories):
    return factories.business()


@pytest.fixture
def business_client(app, factories, business):
    client = app.test_client()
    factories.login(client, business)
    return client


@pytest.fixture
def admin(factories):
    return factories.account(role="admin")


@pytest.fixture
def admin_client(app, factories, admin):
    client = app.test_client()
    factories.login(client, admin)
    return client
