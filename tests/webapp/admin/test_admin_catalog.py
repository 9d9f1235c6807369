"""Catalog editing, import and export in the console."""

from __future__ import annotations

import io
import zipfile

from sqlalchemy import select

from webapp.models import AuditEntry, Department, LifeEvent, Service

CODE = "birth_service_registration"


ORIGINAL = {
    "name_zh_Hans": "生育登记",
    "name_en": "Birth registration with the health commission",
    "description_zh_Hans": "夫妻生育子女实行登记服务，可在线办理，作为享受孕产期保健和生育保险待遇的依据。",
    "description_en": "Couples register a pregnancy or birth online; the registration supports maternity care and insurance benefits.",  # noqa: E501
    "materials": "resident_id_card, marriage_certificate",
    "legal_basis": "《中华人民共和国人口与计划生育法》；《国家卫生健康委关于推进生育登记服务工作的指导意见》",
    "aliases_zh_Hans": "准生证\n生育服务证\n怀孕登记\n生孩子登记\n生二胎登记\n生三胎",
    "aliases_en": "birth permit\npregnancy registration",
}


def _form(admin_client, code=CODE):
    html = admin_client.get(f"/admin/catalog/services/{code}").get_data(as_text=True)
    assert "生育登记" in html
    return {
        "name_zh_Hans": "生育登记（网办）",
        "name_en": "Birth registration (online)",
        "description_zh_Hans": "在线办理生育登记。",
        "description_en": "Register a birth online.",
        "department": "health",
        "audience": "citizen",
        "life_events": ["childbirth", "marriage"],
        "themes": "childbirth",
        "materials": "resident_id_card",
        "online_level": "4",
        "statutory_days": "5",
        "promised_days": "1",
        "url": "https://www.gjzwfw.gov.cn/",
        "active": "on",
    }


def test_edit_service_with_validation_and_audit(app, admin_client, db_session):
    data = _form(admin_client)
    bad = admin_client.post(f"/admin/catalog/services/{CODE}", data={**data, "promised_days": "9"})
    assert bad.status_code == 422
    assert 'id="f-promised_days-error"' in bad.get_data(as_text=True)
    bad = admin_client.post(f"/admin/catalog/services/{CODE}", data={**data, "materials": "nope"})
    assert bad.status_code == 422 and "nope" in bad.get_data(as_text=True)
    ok = admin_client.post(f"/admin/catalog/services/{CODE}", data=data)
    assert ok.status_code == 302
    row = db_session.scalar(select(Service).where(Service.code == CODE))
    assert row.name["zh_Hans"] == "生育登记（网办）" and row.name["zh_Hant"] == "生育登記（網辦）"
    assert row.statutory_days == 5
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "service.update"))
    assert entry.before["name"]["zh_Hans"] == "生育登记" and entry.after["statutory_days"] == 5
    # put it back for the other tests (the catalog is shared by the session)
    restored = {**data, **ORIGINAL}
    restored.pop("statutory_days")
    assert admin_client.post(f"/admin/catalog/services/{CODE}", data=restored).status_code == 302


def test_export_then_import_round_trip_and_bad_import_changes_nothing(admin_client, db_session):
    exported = admin_client.get("/admin/catalog/export.zip")
    assert exported.status_code == 200 and exported.mimetype == "application/zip"
    zf = zipfile.ZipFile(io.BytesIO(exported.data))
    names = set(zf.namelist())
    assert {"departments.yaml", "materials.yaml", "bundles.yaml"} <= names
    assert any(n.startswith("services/") for n in names)
    count = len(list(db_session.scalars(select(Service.id))))

    ok = admin_client.post(
        "/admin/catalog/import",
        data={"import.file": (io.BytesIO(exported.data), "catalog.zip")},
        content_type="multipart/form-data",
    )
    assert ok.status_code == 302, ok.get_data(as_text=True)[:1000]
    assert len(list(db_session.scalars(select(Service.id)))) == count

    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as out:
        for name in zf.namelist():
            text = zf.read(name).decode()
            if name == "departments.yaml":
                text = text.replace("code: health", "code: health_renamed")
            out.writestr(name, text)
    refused = admin_client.post(
        "/admin/catalog/import",
        data={"import.file": (io.BytesIO(broken.getvalue()), "broken.zip")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422
    assert "unknown department" in refused.get_data(as_text=True)
    assert db_session.scalar(select(Department).where(Department.code == "health_renamed")) is None
    junk = admin_client.post(
        "/admin/catalog/import",
        data={"import.file": (io.BytesIO(b"not a zip"), "x.zip")},
        content_type="multipart/form-data",
    )
    assert junk.status_code == 422
    actions = list(db_session.scalars(select(AuditEntry.action)))
    assert actions.count("catalog.import") == 1


def test_departments_life_events_and_bundles(admin_client, db_session):
    ok = admin_client.post(
        "/admin/catalog/departments",
        data={
            "department.code": "data_bureau",
            "department.name_zh_Hans": "政务服务数据管理局",
            "department.name_en": "Data Bureau",
        },  # noqa: E501
    )
    assert ok.status_code == 302
    assert (
        db_session.scalar(select(Department).where(Department.code == "data_bureau")).name["en"]
        == "Data Bureau"
    )
    bad = admin_client.post("/admin/catalog/departments", data={"department.code": "Bad Code"})
    assert bad.status_code == 422
    birth = db_session.scalar(select(LifeEvent).where(LifeEvent.key == "birth"))
    original = {
        **{f"name_{k}": v for k, v in birth.name.items()},
        **{f"description_{k}": v for k, v in birth.description.items()},
    }  # noqa: E501
    event = admin_client.post(
        "/admin/catalog/life-events/birth",
        data={
            "name_zh_Hans": "出生",
            "name_en": "Birth",
            "description_zh_Hans": "出生相关",
            "description_en": "About birth",
        },  # noqa: E501
    )
    assert event.status_code == 302
    db_session.expire_all()
    assert (
        db_session.scalar(select(LifeEvent).where(LifeEvent.key == "birth")).description["en"]
        == "About birth"
    )
    assert admin_client.post("/admin/catalog/life-events/birth", data=original).status_code == 302
    bundle = admin_client.post(
        "/admin/catalog/bundles/bundle_newborn",
        data={
            "name_zh_Hans": "新生儿出生一件事",
            "name_en": "Newborn",
            "description_zh_Hans": "联办",
            "description_en": "Joint",
            "life_event": "birth",
            "services": "hukou_birth_registration, nope",
        },  # noqa: E501
    )
    assert bundle.status_code == 422 and "nope" in bundle.get_data(as_text=True)
    assert admin_client.get("/admin/catalog/bundles/nope").status_code == 404
    db_session.execute(Department.__table__.delete().where(Department.code == "data_bureau"))
    db_session.commit()
