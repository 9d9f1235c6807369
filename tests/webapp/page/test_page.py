"""The personal page: stage, timeline, widgets in the user's order, customisation, theme."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import event, select

from webapp.core.clock import local_today


def _html(response) -> str:
    return response.get_data(as_text=True)


def test_page_needs_login(client):
    response = client.get("/me/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_home_redirects_a_signed_in_citizen_to_the_page(citizen_client):
    response = citizen_client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/me/")


def test_page_shows_stage_timeline_and_widgets(app, factories):
    today = local_today()
    account = factories.citizen()
    factories.member(account, "child", "小明", today - relativedelta(years=5, months=6))
    client = app.test_client()
    factories.login(client, account)
    html = _html(client.get("/me/"))
    # Stage in words, with the reason and date that put the person there.
    assert "上学" in html
    assert "小明" in html
    # The timeline names the child's school start.
    assert "上小学" in html
    for key in ("due_soon", "recommended", "pinned", "household", "inbox", "recent", "bundles"):
        assert f'id="widget-{key}"' in html
    # A recommendation says why.
    assert "reason" in html


def test_page_in_english(app, factories):
    account = factories.account("citizen", locale="en")
    factories.member(account, "child", "Ming", local_today() - relativedelta(years=5, months=6))
    client = app.test_client()
    factories.login(client, account)
    html = _html(client.get("/me/"))
    assert 'lang="en"' in html
    assert "Recommended for you" in html
    assert "starts primary school" in html


def test_recommendations_explain_themselves_and_are_recorded_as_impressions(
    app, factories, db_session
):
    from webapp.models import Interaction

    account = factories.citizen()
    factories.member(account, "child", "小红", local_today() - relativedelta(months=2))
    client = app.test_client()
    factories.login(client, account)
    client.get("/me/")
    rows = db_session.scalars(select(Interaction).where(Interaction.account_id == account.id)).all()
    assert rows and {r.kind for r in rows} == {"impression"}
    assert {r.source for r in rows} == {"recommendation"}


def test_move_widget_with_post_buttons(citizen_client, citizen, db_session):
    from webapp.page import services as page

    first = page.default_widgets()[0]["key"]
    second = page.default_widgets()[1]["key"]
    response = citizen_client.post("/me/layout/move", data={"key": first, "direction": "down"})
    assert response.status_code == 302
    keys = [w["key"] for w in page.layout_of(db_session, citizen.id)["widgets"]]
    assert keys[:2] == [second, first]
    html = _html(citizen_client.get("/me/"))
    assert html.index(f'id="widget-{second}"') < html.index(f'id="widget-{first}"')


def test_hide_and_show_a_widget(citizen_client):
    citizen_client.post("/me/layout/visibility", data={"key": "inbox", "visible": "0"})
    assert 'id="widget-inbox"' not in _html(citizen_client.get("/me/"))
    citizen_client.post("/me/layout/visibility", data={"key": "inbox", "visible": "1"})
    assert 'id="widget-inbox"' in _html(citizen_client.get("/me/"))


def test_unknown_widget_is_404_and_changes_nothing(citizen_client, citizen, db_session):
    from webapp.models import PageLayout

    response = citizen_client.post("/me/layout/move", data={"key": "nope", "direction": "up"})
    assert response.status_code == 404
    assert db_session.get(PageLayout, citizen.id) is None


def test_theme_is_saved_and_applied(citizen_client):
    citizen_client.post("/me/theme", data={"theme": "elder"})
    html = _html(citizen_client.get("/me/"))
    assert 'class="theme-elder"' in html
    # Every page, not only /me.
    assert 'class="theme-elder"' in _html(citizen_client.get("/services/"))
    response = citizen_client.post("/me/theme", data={"theme": "purple"}, follow_redirects=True)
    assert 'class="theme-elder"' in _html(response)


def test_customisation_survives_logout_and_another_browser(app, factories, citizen):
    first = app.test_client()
    factories.login(first, citizen)
    first.post("/me/theme", data={"theme": "dark"})
    first.post("/me/layout/visibility", data={"key": "recent", "visible": "0"})
    first.post("/me/pins", data={"service_code": "passport_renewal", "action": "pin"})
    first.post("/logout")
    other = app.test_client()
    factories.login(other, citizen)
    html = _html(other.get("/me/"))
    assert 'class="theme-dark"' in html
    assert 'id="widget-recent"' not in html
    assert "passport_renewal" in html


def test_pin_and_unpin(citizen_client, citizen, db_session):
    from webapp.page import services as page

    citizen_client.post("/me/pins", data={"service_code": "passport_renewal", "src": "search"})
    assert page.pinned_codes(db_session, citizen.id) == {"passport_renewal"}
    citizen_client.post("/me/pins", data={"service_code": "passport_renewal", "action": "unpin"})
    assert page.pinned_codes(db_session, citizen.id) == set()
    assert citizen_client.post("/me/pins", data={"service_code": "no_such"}).status_code == 404


def test_not_relevant_hides_for_good_and_records_a_dismissal(app, factories, db_session):
    from webapp.models import HiddenService, Interaction

    account = factories.citizen()
    factories.member(account, "child", "小红", local_today() - relativedelta(months=2))
    client = app.test_client()
    factories.login(client, account)
    data = client.get("/api/v1/me/page", headers=factories.token(client, account)).json
    rec = next(w for w in data["widgets"] if w["key"] == "recommended")["content"]["items"]
    assert rec and all(item["reasons"] for item in rec)
    code = rec[0]["service_code"]
    client.post("/me/not-relevant", data={"service_code": code})
    assert db_session.scalar(select(HiddenService).where(HiddenService.account_id == account.id))
    kinds = db_session.scalars(
        select(Interaction.kind).where(
            Interaction.account_id == account.id, Interaction.kind == "dismiss"
        )
    ).all()
    assert kinds == ["dismiss"]
    data = client.get("/api/v1/me/page", headers=factories.token(client, account)).json
    rec = next(w for w in data["widgets"] if w["key"] == "recommended")["content"]["items"]
    assert code not in {item["service_code"] for item in rec}


def test_customise_page_lists_widgets_with_keyboard_buttons(citizen_client):
    html = _html(citizen_client.get("/me/customise"))
    assert html.count("<button") >= 3 * 7
    assert 'name="direction" value="up"' in html


def test_business_user_goes_to_the_enterprise_page(business_client, business):
    response = business_client.get("/me/")
    assert response.status_code == 302
    assert "/enterprises/" in response.headers["Location"]


def test_one_page_view_is_at_most_15_statements(app, factories):
    from webapp.core.db import db

    today = local_today()
    account = factories.citizen(
        driver_license={
            "issued_on": date(2020, 1, 1),
            "expires_on": today + relativedelta(months=2),
        }
    )
    factories.member(account, "child", "小明", today - relativedelta(years=5, months=6))
    factories.member(account, "parent", "老李", date(1950, 3, 3))
    client = app.test_client()
    factories.login(client, account)
    client.post("/me/pins", data={"service_code": "passport_renewal"})
    client.get("/services/passport_renewal")
    client.get("/me/")  # warm the process caches (catalog, popularity) first
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get("/me/")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200
    print("statements per page view:", len(statements))
    assert len(statements) <= 15, "\n".join(statements)


def test_page_weight_is_under_100_kb(app, citizen_client):
    html = citizen_client.get("/me/").get_data()
    response = citizen_client.get("/static/css/site.css")
    css = response.get_data()
    response.close()
    js = b""
    if b"page.js" in html:
        response = citizen_client.get("/static/js/page.js")
        js = response.get_data()
        response.close()
    assert len(html) + len(css) + len(js) < 100 * 1024


def test_whole_order_at_once_for_drag_and_drop(citizen_client, citizen, db_session):
    from webapp.page import services as page

    response = citizen_client.post("/me/layout/order", data={"order": "inbox,pinned"})
    assert response.status_code == 302
    keys = [w["key"] for w in page.layout_of(db_session, citizen.id)["widgets"]]
    assert keys[:2] == ["inbox", "pinned"] and len(keys) == len(set(keys)) == 8
    citizen_client.post("/me/layout/order", data={"order": "inbox,nope"})
    db_session.expire_all()
    assert [w["key"] for w in page.layout_of(db_session, citizen.id)["widgets"]] == keys
    html = citizen_client.get("/me/customise").get_data(as_text=True)
    assert "js/page.js" in html and "defer" in html
    assert "js/page.js" not in citizen_client.get("/me/").get_data(as_text=True)


def test_page_in_traditional_chinese(app, factories):
    account = factories.account("citizen", locale="zh_Hant")
    factories.member(account, "child", "小明", local_today() - relativedelta(years=5, months=6))
    client = app.test_client()
    factories.login(client, account)
    html = _html(client.get("/me/"))
    assert 'lang="zh-Hant"' in html
    assert "上學" in html


def test_widget_length_is_a_setting(citizen_client, citizen, db_session):
    from webapp.page import services as page

    citizen_client.post("/me/layout/settings", data={"key": "recommended", "limit": "3"})
    items = page.layout_of(db_session, citizen.id)["widgets"]
    assert next(w for w in items if w["key"] == "recommended")["settings"] == {"limit": 3}
    for bad in ({"key": "recommended", "limit": "999"}, {"key": "household", "limit": "3"}):
        citizen_client.post("/me/layout/settings", data=bad)
    db_session.expire_all()
    assert page.layout_of(db_session, citizen.id)["widgets"] == items
    assert citizen_client.post("/me/layout/settings", data={"key": "x"}).status_code == 404
    assert 'id="limit-recommended"' in citizen_client.get("/me/customise").get_data(as_text=True)


def test_other_areas_plug_in_widgets(citizen_client, factories, citizen, client):
    from webapp.page import widgets

    widgets.register_widget(
        "test_plugin",
        title=lambda: "Plug-in widget",
        loader=lambda ctx, settings: {"items": [], "account": ctx.account.id},
        order=99,
        template="page/widgets/recent.html",
    )
    try:
        assert 'id="widget-test_plugin"' in _html(citizen_client.get("/me/"))
        data = client.get("/api/v1/me/page", headers=factories.token(client, citizen)).json
        plugin = next(w for w in data["widgets"] if w["key"] == "test_plugin")
        assert plugin["content"] == {"items": [], "account": citizen.id}
        citizen_client.post("/me/layout/move", data={"key": "test_plugin", "direction": "up"})
    finally:
        del widgets._registry["test_plugin"]
    # A stored layout naming a widget that is gone is read without it.
    response = citizen_client.get("/me/")
    assert response.status_code == 200
    assert 'id="widget-test_plugin"' not in _html(response)
