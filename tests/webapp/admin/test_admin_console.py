"""Models, dashboards, audit filters and the citizen look-up in the console."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, select

from webapp.models import AccessLog, AuditEntry, Interaction, ModelVersion, Service


def _version(session, version, active, ndcg, created):
    row = ModelVersion(
        version=version,
        path=f"/tmp/{version}",
        status="active" if active else "inactive",
        active=active,
        metrics={"ndcg_at_k": ndcg, "precision_at_k": 0.1},
        baselines={"popularity": {"ndcg_at_k": 0.05, "precision_at_k": 0.04}},
        progress=100,
        created_at=created,
    )
    session.add(row)
    return row


def test_models_compare_activate_roll_back(admin_client, db_session):
    _version(db_session, "v-old", False, 0.20, datetime(2026, 1, 1, tzinfo=UTC))
    _version(db_session, "v-new", True, 0.25, datetime(2026, 2, 1, tzinfo=UTC))
    db_session.commit()
    page = admin_client.get("/admin/models").get_data(as_text=True)
    assert "v-new" in page and "0.2500" in page and "0.0500" in page and "popularity" in page
    assert admin_client.post("/admin/models/rollback").status_code == 302
    db_session.expire_all()
    assert db_session.scalar(select(ModelVersion.version).where(ModelVersion.active)) == "v-old"
    assert admin_client.post("/admin/models/v-new/activate").status_code == 302
    db_session.expire_all()
    assert db_session.scalar(select(ModelVersion.version).where(ModelVersion.active)) == "v-new"
    assert admin_client.post("/admin/models/nope/activate").status_code == 302  # flashed error
    actions = set(db_session.scalars(select(AuditEntry.action)))
    assert {"model.rollback", "model.activate"} <= actions


def test_train_now_queues_a_job_that_a_worker_runs(app, admin_client, db_session, monkeypatch):
    from webapp.core import queue
    from webapp.models import BackgroundJob
    from webapp.recommend import training

    def fake_train(app, today=None, **_kw):
        from webapp.core.db import db

        with app.app_context(), db.transaction() as s:
            s.add(
                ModelVersion(
                    version="v-bg", path="/tmp/v-bg", status="inactive", progress=100,
                    metrics={"ndcg_at_k": 0.3}, baselines={},
                )
            )  # fmt: skip
        return ModelVersion(version="v-bg", status="inactive")

    monkeypatch.setattr(training, "train_and_maybe_activate", fake_train)
    assert admin_client.post("/admin/models/train").status_code == 302
    # nothing trains in the request: a queued job, shown on the console
    job = db_session.scalar(select(BackgroundJob))
    assert (job.kind, job.status) == ("train_model", "queued")
    assert db_session.scalar(select(ModelVersion.version)) is None
    assert "train_model" not in admin_client.get("/admin/models").get_data(as_text=True)
    # pressing again while queued queues nothing more
    assert admin_client.post("/admin/models/train").status_code == 302
    assert len(db_session.scalars(select(BackgroundJob)).all()) == 1
    assert queue.run_due(app) == [job.id]
    db_session.expire_all()
    assert db_session.get(BackgroundJob, job.id).status == "done"
    assert db_session.scalar(select(ModelVersion.version)) == "v-bg"
    assert "v-bg" in admin_client.get("/admin/models").get_data(as_text=True)


def test_dashboards_and_csv(admin_client, factories, db_session):
    citizen = factories.citizen()
    service_id = db_session.scalar(
        select(Service.id).where(Service.code == "birth_service_registration")
    )
    for kind in ("impression", "impression", "view", "apply"):
        db_session.add(
            Interaction(
                account_id=citizen.id,
                service_id=service_id,
                kind=kind,
                rule_id=7,
                model_version="v1",
            )
        )
    db_session.commit()
    page = admin_client.get("/admin/dashboards")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and html.count("<svg") == 7 and "<script" not in html
    for key in (
        "reminders",
        "duties",
        "recommendations",
        "ctr_rules",
        "ctr_models",
        "top_services",
        "efficiency",
    ):
        response = admin_client.get(f"/admin/dashboards/{key}.csv")
        assert response.status_code == 200 and response.mimetype == "text/csv", key
    ctr = admin_client.get("/admin/dashboards/ctr_rules.csv").get_data(as_text=True)
    assert "7,2,1,1,0.5" in ctr
    top = admin_client.get("/admin/dashboards/top_services.csv").get_data(as_text=True)
    assert "birth_service_registration" in top
    assert admin_client.get("/admin/dashboards/nope.csv").status_code == 404


def test_citizen_lookup_requires_purpose_and_is_logged(admin_client, factories, admin, db_session):
    citizen = factories.citizen()
    factories.member(citizen, "child", "小明")
    purpose = "工单 #42 核对账号"
    found = admin_client.post(
        "/admin/citizens", data={"email": citizen.email.upper(), "purpose": purpose}
    ).get_data(as_text=True)
    assert citizen.email in found
    partial = admin_client.post(
        "/admin/citizens", data={"email": citizen.email[:6], "purpose": purpose}
    ).get_data(as_text=True)
    assert citizen.email not in partial  # no listing of addresses by prefix
    db_session.execute(delete(AccessLog))
    db_session.commit()
    refused = admin_client.post(
        f"/admin/citizens/{citizen.id}", data={"what": "household", "purpose": ""}
    )
    assert refused.status_code == 422
    assert db_session.scalar(select(AccessLog.id)) is None
    shown = admin_client.post(
        f"/admin/citizens/{citizen.id}",
        data={"what": "household", "purpose": "工单 #42 核对家庭成员"},
    )
    assert shown.status_code == 200 and "小明" in shown.get_data(as_text=True)
    log = db_session.scalar(select(AccessLog))
    assert log.subject_account_id == citizen.id and log.actor_account_id == admin.id
    assert log.what == "household" and log.purpose == "工单 #42 核对家庭成员"
    assert log.actor_label.startswith("管理员 ")
    entry = db_session.scalar(
        select(AuditEntry).where(AuditEntry.action == "citizen.view_household")
    )
    assert entry.target_id == str(citizen.id) and entry.actor.startswith("admin-")
    assert entry.actor != f"admin-{admin.id}" and admin.email not in entry.actor
    assert admin_client.get("/admin/citizens/999999").status_code == 404
    assert admin_client.get(f"/admin/citizens/{admin.id}").status_code == 404


def test_audit_filters(admin_client, db_session):
    admin_client.post(
        "/admin/parameters/tax", data={"year": "2027", "month": "1", "due_date": "2027-01-22"}
    )
    actor = db_session.scalar(select(AuditEntry.actor))
    assert "tax_override.set" in admin_client.get(f"/admin/audit?actor={actor}").get_data(
        as_text=True
    )
    assert "tax_override.set" not in admin_client.get("/admin/audit?target_type=rule").get_data(
        as_text=True
    )
    assert "tax_override.set" not in admin_client.get("/admin/audit?date_to=2000-01-01").get_data(
        as_text=True
    )
    assert admin_client.get("/admin/audit?date_from=garbage").status_code == 422


def test_retrain_in_the_background_and_compare_with_the_active_model(
    app, admin_client, db_session, monkeypatch
):
    from webapp.admin import models_admin
    from webapp.core.clock import local_today
    from webapp.core.db import db
    from webapp.demo.population import seed_population

    for key, value in {"REC_EPOCHS": 3, "REC_COMPONENTS": 8, "REC_THREADS": 1}.items():
        monkeypatch.setitem(app.config, key, value)
    with app.app_context(), db.transaction() as session:
        seed_population(session, local_today(), n_users=80, train=False)
    from webapp.core import queue

    for _ in range(2):
        assert admin_client.post("/admin/models/train").status_code == 302
        assert len(queue.run_due(app)) == 1
        assert models_admin.last_error(models_admin.training_jobs(db_session)) is None
    rows = list(db_session.scalars(select(ModelVersion).order_by(ModelVersion.id)))
    assert len(rows) == 2 and all(r.status in ("active", "inactive") for r in rows)
    assert rows[0].metrics["ndcg_at_k"] >= 0 and rows[1].baselines
    assert f"version {rows[0].version}" in (rows[1].note or "")  # compared with the active one
    page = admin_client.get("/admin/models").get_data(as_text=True)
    assert rows[0].version in page and rows[1].version in page and "NDCG" in page
    assert "ndcg_at_k" not in page  # metric names in words, not identifiers
    assert 'http-equiv="refresh"' not in page  # nothing is training any more


def test_models_show_the_chosen_settings_curve_time_and_reason_in_words(admin_client, db_session):
    """The console shows the validated choice, its curve and times, and why the version was
    not activated — in words of the page's language, no raw metric identifiers."""
    row = _version(db_session, "v-sel", False, 0.2, datetime(2026, 3, 1, tzinfo=UTC))
    row.metadata_ = {
        "choice": {
            "feature_set": {"name": "item_metadata_low", "user_weight": None, "item_weight": 0.2},
            "learning_rate": 0.05, "epochs": 45, "ease_lambda": 250.0, "ease_weight": 0.5,
            "cold_weights": [0.5, 0.5, 0.0, 0.0],
        },
        "selection": {"selected_on": "2026-03-01", "reused_from": None, "seconds": 12.5,
                      "curves": [{"feature_set": "identity", "learning_rate": 0.05,
                                  "points": [[5, 0.11], [10, 0.1234]]}]},
        "seconds": 30.1,
        "activation": {"activate": False, "code": "worse", "new": 0.2, "old": 0.25,
                       "basis": "refit", "active_version": "v-act"},
    }  # fmt: skip
    db_session.commit()

    def page(locale):
        admin_client.post("/language", data={"locale": locale, "next": "/admin/models"})
        return admin_client.get("/admin/models").get_data(as_text=True)

    en = page("en")
    assert "Not activated" in en and "v-act" in en and "retrained on the same data" in en
    assert "plus service facts at low weight" in en and "45" in en and "12.5 s" in en
    assert "10: 0.1234" in en and "Ranking quality of the top 10" in en
    assert "the ranking parameters, as for everyone" in en  # chosen before cold blend weights
    assert "ndcg_at_k" not in en and "precision_at_k" not in en
    from flask_babel import force_locale

    from webapp.admin import models_words

    with admin_client.application.test_request_context():
        for locale, words in (("zh_Hans", ("未启用", "学习率")), ("zh_Hant", ("未啟用", "學習率"))):
            with force_locale(locale):
                why = models_words.activation_words(row.metadata_)
                rows = dict(models_words.choice_words(row.metadata_))
                assert words[0] in why and "v-act" in why
                assert any(words[1] in str(k) for k in rows)


def test_models_show_the_blend_weights_of_people_without_history(admin_client, db_session):
    """A choice with cold-user blend weights shows them next to the cold mix, in words."""
    row = _version(db_session, "v-cold", False, 0.2, datetime(2026, 3, 2, tzinfo=UTC))
    choice = {
        "feature_set": {"name": "identity", "user_weight": None, "item_weight": None},
        "learning_rate": 0.05, "epochs": 10, "ease_lambda": 250.0, "ease_weight": 0.25,
        "cold_weights": [0.5, 0.5, 0.0, 0.0], "cold_blend": [0.1, 0.0, 0.2],
    }  # fmt: skip
    row.metadata_ = {"choice": choice, "selection": {}}
    db_session.commit()
    admin_client.post("/language", data={"locale": "en", "next": "/admin/models"})
    page = admin_client.get("/admin/models").get_data(as_text=True)
    assert "Life-cycle and popularity weights for people without history" in page
    assert "life events 0.1, upcoming events 0, popularity 0.2" in page
    from flask_babel import force_locale

    from webapp.admin import models_words

    with admin_client.application.test_request_context(), force_locale("zh_Hans"):
        rows = dict(models_words.choice_words({"choice": {**choice, "cold_blend": [0, 0, 0]}}))
        assert "不加" in rows["无使用记录的人的生命周期与热门权重"]
