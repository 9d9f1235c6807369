"""Interactions recorded for the recommender: view, pin, apply, complete, dismiss, impression."""

from __future__ import annotations

from sqlalchemy import select


def _rows(db_session, account):
    from webapp.models import Interaction

    db_session.expire_all()
    return [
        (r.kind, r.source)
        for r in db_session.scalars(
            select(Interaction).where(Interaction.account_id == account.id).order_by(Interaction.id)
        )
    ]


def test_service_page_records_a_view_with_its_source(citizen_client, citizen, db_session):
    citizen_client.get("/services/passport_renewal?src=search")
    citizen_client.get("/services/passport_renewal?src=bogus")
    assert _rows(db_session, citizen) == [("view", "search"), ("view", "catalog")]


def test_anonymous_views_are_not_recorded(client, db_session):
    from webapp.models import Interaction

    assert client.get("/services/passport_renewal").status_code == 200
    assert db_session.scalar(select(Interaction.id)) is None


def test_service_page_buttons(citizen_client, citizen, db_session):
    from webapp.page import services as page

    html = citizen_client.get("/services/passport_renewal").get_data(as_text=True)
    for action in ("pin", "apply", "complete", "dismiss"):
        assert f'name="action" value="{action}"' in html
    for action in ("pin", "apply", "complete"):
        response = citizen_client.post(
            "/services/passport_renewal/actions", data={"action": action, "src": "page"}
        )
        assert response.status_code == 302
    assert page.pinned_codes(db_session, citizen.id) == {"passport_renewal"}
    assert _rows(db_session, citizen)[1:] == [
        ("pin", "page"),
        ("apply", "page"),
        ("complete", "page"),
    ]
    # Back on the page after an action: not counted as another view.
    citizen_client.get("/services/passport_renewal?acted=1")
    assert len(_rows(db_session, citizen)) == 4


def test_bad_action_and_unknown_service(citizen_client, citizen, db_session):
    response = citizen_client.post(
        "/services/passport_renewal/actions", data={"action": "explode"}, follow_redirects=True
    )
    assert response.status_code == 200
    assert _rows(db_session, citizen) == []
    assert (
        citizen_client.post("/services/nope/actions", data={"action": "apply"}).status_code == 404
    )


def test_actions_need_login(client):
    response = client.post("/services/passport_renewal/actions", data={"action": "apply"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_impressions_are_one_statement(app, factories, db_session):
    from webapp.core.db import db
    from webapp.recommend import interactions

    account = factories.citizen()
    statements = []
    from sqlalchemy import event

    with app.app_context():
        engine = db.engine

        def count(conn, cursor, statement, *args):
            if statement.startswith("INSERT"):
                statements.append(statement)

        event.listen(engine, "before_cursor_execute", count)
        try:
            with db.transaction() as session:
                interactions.record_impressions_by_code(
                    session, account.id, ["passport_renewal", "id_card_renewal", "no_such"]
                )
        finally:
            event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 1
    assert _rows(db_session, account) == [("impression", "recommendation")] * 2


def test_interaction_api(app, factories, citizen, client, db_session):
    headers = factories.token(client, citizen)
    response = client.post(
        "/api/v1/me/interactions",
        json={"service_code": "passport_renewal", "kind": "apply", "source": "page"},
        headers=headers,
    )
    assert response.status_code == 201
    response = client.post(
        "/api/v1/me/interactions",
        json={"service_code": "passport_renewal", "kind": "impression"},
        headers=headers,
    )
    assert response.status_code == 422
    response = client.post(
        "/api/v1/me/interactions", json={"service_code": "nope", "kind": "view"}, headers=headers
    )
    assert response.status_code == 404
    assert _rows(db_session, citizen) == [("apply", "page")]


def test_service_page_says_what_you_noted(app, factories):
    account = factories.account("citizen", locale="en")
    citizen_client = app.test_client()
    factories.login(citizen_client, account)
    citizen_client.post("/services/passport_renewal/actions", data={"action": "apply"})
    html = citizen_client.get("/services/passport_renewal?acted=1").get_data(as_text=True)
    assert "You noted that you applied" in html
    citizen_client.post("/services/passport_renewal/actions", data={"action": "complete"})
    html = citizen_client.get("/services/passport_renewal?acted=1").get_data(as_text=True)
    assert "as done" in html
