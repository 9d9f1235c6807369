"""Catalog search for Chinese and English, ranked; pin from the results; "no results" help."""

from __future__ import annotations


def _codes(app, query, **kw):
    from webapp.catalog import services as catalog
    from webapp.core.db import db

    with app.test_request_context():
        return [s.code for s in catalog.search(db.session, query, **kw)]


def test_two_character_chinese_terms(app):
    codes = _codes(app, "护照")
    assert "passport_renewal" in codes
    assert all("passport" in c for c in codes[:3])


def test_exact_name_ranks_first(app):
    assert _codes(app, "居民身份证换领")[0] == "id_card_renewal"


def test_words_in_another_order_still_find_the_service(app):
    # No service contains 换领身份证 as written; its two-character pieces match 居民身份证换领.
    assert _codes(app, "换领身份证")[0] == "id_card_renewal"


def test_english_and_filters(app):
    assert _codes(app, "passport")[0].startswith("passport_")
    enterprise = _codes(app, "许可", audience="enterprise")
    assert enterprise and "passport_renewal" not in enterprise
    assert _codes(app, "护照", life_event="retirement") == []


def test_wildcards_are_literal(app):
    assert _codes(app, "%") == [] or all(c for c in _codes(app, "%"))
    assert _codes(app, "zzzzqqq") == []


def test_no_results_page_suggests_life_events(client):
    html = client.get("/services/?q=zzzzqqq").get_data(as_text=True)
    assert "/services/life-events/birth" in html


def test_results_link_with_source_and_offer_pin(citizen_client):
    html = citizen_client.get("/services/?q=护照").get_data(as_text=True)
    assert "src=search" in html
    assert 'name="action" value="pin"' in html


def test_anonymous_results_have_no_pin(client):
    html = client.get("/services/?q=护照").get_data(as_text=True)
    assert 'value="pin"' not in html
