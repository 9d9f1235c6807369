"""/healthz names the failing part; a database outage is a 503 page and heals by itself."""

from __future__ import annotations

import os
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, delete, text
from sqlalchemy.engine import make_url

from webapp.core.clock import now


def _beat(app, age_seconds: int = 5) -> None:
    from webapp.core.db import db
    from webapp.models import Heartbeat

    with app.app_context(), db.transaction() as session:
        session.execute(delete(Heartbeat))
        session.add(Heartbeat(name="scheduler", beat_at=now() - timedelta(seconds=age_seconds)))


def test_healthz_ok_reports_every_part(app, client):
    _beat(app)
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["failing"] == []
    assert body["database"] == "ok"
    assert body["model"] == {"status": "absent", "version": None}
    assert body["scheduler"]["status"] == "ok"
    assert 0 <= body["scheduler"]["heartbeat_age_seconds"] < 60
    assert response.headers["Cache-Control"] == "no-store"


def test_stale_or_missing_scheduler_is_named(app, client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["failing"] == ["scheduler"]
    assert response.get_json()["scheduler"]["status"] == "missing"

    _beat(app, age_seconds=3600)
    body = client.get("/healthz").get_json()
    assert body["failing"] == ["scheduler"]
    assert body["scheduler"]["status"] == "stale"
    assert body["scheduler"]["heartbeat_age_seconds"] >= 3600
    # A load balancer asks about the web part only: a dead scheduler does not take it out.
    response = client.get("/healthz?scope=web")
    assert response.status_code == 200
    assert response.get_json()["scheduler"]["status"] == "stale"


@pytest.fixture
def fresh_model_cache(app, monkeypatch):
    from webapp.recommend.recommendations import reset_caches

    monkeypatch.setitem(app.config, "REC_MODEL_CHECK_SECONDS", 0)
    for key, value in {"REC_EPOCHS": 2, "REC_COMPONENTS": 8, "REC_THREADS": 1}.items():
        monkeypatch.setitem(app.config, key, value)
    with app.app_context():
        reset_caches()
    yield app
    with app.app_context():
        reset_caches()


def test_loaded_model_and_its_version(fresh_model_cache, client):
    from webapp.core.clock import local_today
    from webapp.core.db import db
    from webapp.demo.population import seed_population
    from webapp.recommend.training import train_and_maybe_activate

    app = fresh_model_cache
    _beat(app)
    with app.app_context(), db.transaction() as session:
        seed_population(session, local_today(), n_users=60, train=False)
    row = train_and_maybe_activate(app)
    assert row.status == "active", row.note
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["model"] == {"status": "loaded", "version": row.version}


def test_a_model_that_cannot_be_loaded_is_named(fresh_model_cache, client):
    from webapp.core.db import db
    from webapp.models import ModelVersion

    app = fresh_model_cache
    _beat(app)
    with app.app_context(), db.transaction() as session:
        session.add(ModelVersion(version="health-test-1", path="/nonexistent/model", active=True))
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["failing"] == ["model"]
    assert body["model"] == {"status": "unavailable", "version": "health-test-1"}


# --- a database outage, on a database of its own ------------------------------------------


class _SqliteOutage:
    """The database file's directory disappears and every pooled connection is lost."""

    def __init__(self, tmp_path):
        self.dir = tmp_path / "dbdir"
        self.away = tmp_path / "dbdir-away"
        self.url = f"sqlite:///{self.dir / 'outage.sqlite3'}"

    def setup(self) -> None:
        self.dir.mkdir()

    def start(self, engine) -> None:
        engine.dispose()  # what a database restart does to open connections
        self.dir.rename(self.away)

    def end(self) -> None:
        self.away.rename(self.dir)

    def teardown(self) -> None:
        pass


class _PostgresOutage:
    """The database refuses connections and its open connections are terminated."""

    def __init__(self, base_url: str):
        self.name = f"lifepage_outage_{uuid.uuid4().hex[:8]}"
        base = make_url(base_url)
        self.admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
        self.url = base.set(database=self.name).render_as_string(hide_password=False)

    def _run(self, sql: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(sql))

    def setup(self) -> None:
        self._run(f'CREATE DATABASE "{self.name}"')

    def start(self, engine) -> None:
        self._run(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS false')
        self._run(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{self.name}' AND pid <> pg_backend_pid()"
        )

    def end(self) -> None:
        self._run(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS true')

    def teardown(self) -> None:
        self._run(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self.admin.dispose()


@pytest.fixture
def outage(tmp_path):
    base = os.environ.get("TEST_DATABASE_URL", "")
    kind = _PostgresOutage(base) if base.startswith("postgresql") else _SqliteOutage(tmp_path)
    kind.setup()
    yield kind
    kind.teardown()


def test_database_outage_is_a_503_and_recovers_without_restart(tmp_path, outage):
    from webapp import create_app
    from webapp.core.db import db
    from webapp.core.migrate import upgrade

    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": outage.url,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SECRET_KEY": "test-secret",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        upgrade(db.engine)
        engine = db.engine
    client = app.test_client()
    try:
        assert client.get("/healthz?scope=web").status_code == 200
        assert client.get("/").status_code == 200

        outage.start(engine)

        response = client.get("/healthz?scope=web")
        assert response.status_code == 503
        body = response.get_json()
        assert body["failing"] == ["database"]
        assert body["database"] == "unavailable"

        page = client.get("/")
        assert page.status_code == 503
        html = page.get_data(as_text=True)
        assert "Traceback" not in html and "OperationalError" not in html
        assert page.headers.get("Retry-After")

        api = client.get("/api/v1/services")
        assert api.status_code == 503
        assert api.get_json()["error"]["code"] == "unavailable"

        outage.end()  # the database is back: no restart, no engine reset

        assert client.get("/healthz?scope=web").status_code == 200
        assert client.get("/").status_code == 200
        assert client.get("/api/v1/services").status_code == 200
    finally:
        engine.dispose()
