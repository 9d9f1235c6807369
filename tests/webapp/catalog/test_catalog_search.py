"""Catalog search in the web app: colloquial names, pinyin and 简/繁 through the HTML page
and the API, ranking by use, and an index that follows catalog changes."""

from __future__ import annotations

from sqlalchemy import select

from webapp.models import Service


def _codes(app, query, **kwargs):
    from webapp.catalog.search import find
    from webapp.core.db import db

    with app.test_request_context():
        return [f.service.code for f in find(db.session, query, **kwargs)]


def test_everyday_words_find_services_on_the_search_page(client):
    html = client.get("/services/", query_string={"q": "驾照"}).get_data(as_text=True)
    assert "机动车驾驶证申领" in html
    assert "又称" in html and "驾照" in html
    html = client.get("/services/", query_string={"q": "个税"}).get_data(as_text=True)
    assert "个人所得税综合所得年度汇算" in html


def test_pinyin_initials_find_the_id_card(client):
    html = client.get("/services/", query_string={"q": "sfz"}).get_data(as_text=True)
    assert "居民身份证换领" in html and "居民身份证补领" in html


def test_traditional_page_shows_the_alias_in_traditional(client):
    client.post("/language", data={"locale": "zh_Hant"})
    html = client.get("/services/", query_string={"q": "驾照"}).get_data(as_text=True)
    assert "機動車駕駛證申領" in html and "駕照" in html


def test_english_page_marks_a_chinese_alias_with_its_language(client):
    client.post("/language", data={"locale": "en"})
    html = client.get("/services/", query_string={"q": "驾照"}).get_data(as_text=True)
    assert 'lang="zh-Hans">驾照</span>' in html


def test_mixed_script_query_finds_the_same_first_service(app):
    assert _codes(app, "身份證换领")[0] == _codes(app, "身份证换领")[0] == "id_card_renewal"


def test_filters_still_apply(app):
    assert _codes(app, "驾照", life_event="retirement") == []
    enterprise = _codes(app, "许可证", audience="enterprise")
    assert enterprise and all(not c.startswith("driver_") for c in enterprise)
    # an empty query lists the filter's services
    assert "kindergarten_enrollment" in _codes(app, "", life_event="education")


def test_use_reorders_equally_relevant_services(app):
    plain = _codes(app, "公积金", limit=5)
    favourite = plain[-1]
    boosted = _codes(app, "公积金", limit=5, popularity={favourite: 100.0})
    assert boosted[0] == favourite


def test_service_use_comes_from_interactions(app, factories, citizen):
    from webapp import recommend
    from webapp.core.db import db

    with app.test_request_context():
        service_id = db.session.scalar(
            select(Service.id).where(Service.code == "housing_fund_loan")
        )
        recommend.record(db.session, citizen.id, service_id, "view", "search")
        db.session.commit()
        recommend.serving_state().popularity = None  # recompute now, not in an hour
        use = recommend.service_use(db.session)
    assert use.get("housing_fund_loan", 0) >= 1


def test_api_search_returns_what_matched_and_details_carry_aliases(client):
    found = client.get("/api/v1/services", query_string={"q": "sfz", "limit": 4}).get_json()
    codes = [item["code"] for item in found["items"]]
    assert set(codes) == {
        "id_card_first_application",
        "id_card_renewal",
        "id_card_reissue",
        "temporary_id_card",
    }
    assert all(item["also_called"] for item in found["items"])
    detail = client.get("/api/v1/services/driver_license_application").get_json()
    assert "驾照" in detail["aliases"]["zh_Hans"] and "駕照" in detail["aliases"]["zh_Hant"]
    assert "driving licence" in detail["aliases"]["en"]


def test_service_page_lists_its_colloquial_names(client):
    html = client.get("/services/driver_license_application").get_data(as_text=True)
    assert "又称" in html and "考驾照" in html


def test_index_follows_an_admin_edit_at_once(app, admin_client, db_session):
    code = "name_duplication_query"
    assert code not in _codes(app, "翡翠龙舟")
    form = admin_client.get(f"/admin/catalog/services/{code}").get_data(as_text=True)
    assert 'name="aliases_zh_Hans"' in form and "重名查询" in form
    row = db_session.scalar(select(Service).where(Service.code == code))
    original = dict(row.aliases)
    data = {
        "name_zh_Hans": row.name["zh_Hans"],
        "name_en": row.name["en"],
        "description_zh_Hans": row.description["zh_Hans"],
        "description_en": row.description["en"],
        "department": "public_security",
        "audience": row.audience,
        "life_events": ["birth"],
        "themes": "hukou",
        "online_level": str(row.online_level),
        "url": row.url,
        "active": "on",
        "aliases_zh_Hans": "\n".join(original["zh_Hans"]) + "\n翡翠龙舟",
        "aliases_en": "\n".join(original["en"]),
    }
    assert admin_client.post(f"/admin/catalog/services/{code}", data=data).status_code == 302
    assert _codes(app, "翡翠龙舟")[0] == code
    db_session.expire_all()
    stored = db_session.scalar(select(Service).where(Service.code == code)).aliases
    assert stored["zh_Hant"][-1] == "翡翠龍舟"  # derived from 简体
    # a duplicate alias is refused with a message on the field, nothing written
    bad = admin_client.post(
        f"/admin/catalog/services/{code}", data={**data, "aliases_en": "same\nSame"}
    )
    assert bad.status_code == 422
    assert 'id="f-aliases_en-error"' in bad.get_data(as_text=True)
    data["aliases_zh_Hans"] = "\n".join(original["zh_Hans"])
    assert admin_client.post(f"/admin/catalog/services/{code}", data=data).status_code == 302
    assert code not in _codes(app, "翡翠龙舟")


def test_export_carries_the_aliases(admin_client):
    import io
    import zipfile

    exported = admin_client.get("/admin/catalog/export.zip")
    archive = zipfile.ZipFile(io.BytesIO(exported.data))
    travel = archive.read("services/citizen_travel.yaml").decode()
    assert "aliases:" in travel and "驾照" in travel and "driving licence" in travel


def test_search_answers_when_use_counts_fail(app, monkeypatch):
    from webapp.recommend import use

    def broken(session):
        raise RuntimeError("recommender down")

    monkeypatch.setattr(use, "service_use", broken)
    assert _codes(app, "驾照")[0] == "driver_license_application"
