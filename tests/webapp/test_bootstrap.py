"""First run migrates, loads the catalog and creates the demo accounts; later runs keep data."""

from __future__ import annotations

from sqlalchemy import func, select


def test_first_run_then_second_run_keeps_data(request, tmp_path):
    from webapp import create_app
    from webapp.bootstrap import bootstrap
    from webapp.core.db import db
    from webapp.demo import DEMO_PASSWORD
    from webapp.models import Account, Enterprise, HouseholdMember, Permit, Service

    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
            "INSTANCE_PATH": str(tmp_path),
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    request.addfinalizer(app.extensions["db_engine"].dispose)
    first = bootstrap(app, population=False)
    assert "demo accounts created" in first
    with app.app_context():
        s = db.session
        emails = set(s.scalars(select(Account.email)))
        assert {"citizen@lifepage.test", "business@lifepage.test", "admin@lifepage.test"} <= emails
        assert s.scalar(select(func.count()).select_from(Service)) >= 150
        assert s.scalar(select(func.count()).select_from(HouseholdMember)) >= 1
        enterprise = s.scalar(select(Enterprise))
        assert (
            s.scalar(select(Permit).where(Permit.enterprise_id == enterprise.id)).kind
            == "food_business_license"
        )
        accounts_before = s.scalar(select(func.count()).select_from(Account))
    second = bootstrap(app, population=False)
    assert "demo accounts created" not in second
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Account)) == accounts_before
    client = app.test_client()
    response = client.post(
        "/login", data={"email": "citizen@lifepage.test", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
