"""The console shows words, not codes: metric keys, channels, statuses, training notes."""

from __future__ import annotations

from flask_babel import force_locale


def test_codes_become_words(app):
    from webapp.admin.labels import model_note, term

    note = "not activated: NDCG@10 0.1200 is worse than 0.2500 of the active version v3 (this hold-out)"
    with app.test_request_context(), force_locale("zh_Hans"):
        assert term("precision_at_k") == "前 10 项精确率"
        assert term("王小明") == "王小明"
        assert (
            model_note(note)
            == "未启用：排序质量 0.1200 低于当前启用版本 v3 的 0.2500（在同一留出集上）。"
        )
        assert model_note("disk full") == "disk full"


def test_reminder_dashboard_series_are_labelled(app, admin_client):
    page = admin_client.get("/admin/dashboards")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<th scope="col">人生事件</th>' in html
    assert '<th scope="col">life_event</th>' not in html and "click_through</th>" not in html
