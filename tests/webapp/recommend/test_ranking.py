"""The recommend feature's one entry point and its typed result; a failure is told truthfully."""

from __future__ import annotations

import logging


def _boom(*args, **kwargs):
    raise RuntimeError("model file unreadable")


def test_recommend_returns_typed_ranking(app, factories):
    from webapp.core.clock import local_today
    from webapp.core.db import db
    from webapp.models import Account
    from webapp.recommend import CitizenSubject, RankedService, Ranking, Reason, recommend

    citizen = factories.citizen()
    with app.app_context():
        account = db.session.get(Account, citizen.id)
        ranking = recommend(db.session, CitizenSubject(account), local_today(), 5)
        assert isinstance(ranking, Ranking) and ranking.available
        assert 0 < len(ranking.items) <= 5
        first = ranking.items[0]
        assert isinstance(first, RankedService) and first.source in ("model", "blend")
        assert all(isinstance(r, Reason) for r in first.reasons)
        # excluded codes are never ranked
        again = recommend(
            db.session, CitizenSubject(account), local_today(), 5, exclude={first.service_code}
        )
        assert first.service_code not in again.codes


def test_a_failing_recommender_says_recommendations_are_unavailable(
    app, factories, monkeypatch, caplog
):
    from webapp.recommend import recommendations

    monkeypatch.setattr(recommendations, "rank", _boom)
    citizen = factories.citizen()
    client = app.test_client()
    factories.login(client, citizen)
    with caplog.at_level(logging.ERROR):
        html = client.get("/me/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "推荐暂时无法提供" in html or "temporarily unavailable" in html
    assert "not switched on" not in html
    assert any("ranking failed" in r.getMessage() for r in caplog.records)
    headers = factories.token(client, citizen)
    body = client.get("/api/v1/me/recommendations?lang=en", headers=headers).json
    assert body["available"] is False and body["items"] == []
    assert "temporarily unavailable" in body["note"]
    # a failure is not cached: once the recommender works again the page shows a ranking
    monkeypatch.undo()
    html = client.get("/me/").get_data(as_text=True)
    assert "推荐暂时无法提供" not in html and "temporarily unavailable" not in html
