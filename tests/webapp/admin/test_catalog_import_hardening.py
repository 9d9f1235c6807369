"""Catalog import refuses hostile archives with a 4xx and reads only allowed directories."""

from __future__ import annotations

import io
import struct
import zipfile


def _post(admin_client, data: bytes):
    return admin_client.post(
        "/admin/catalog/import",
        data={"import.file": (io.BytesIO(data), "catalog.zip")},
        content_type="multipart/form-data",
    )


def _catalog_zip(admin_client) -> bytes:
    return admin_client.get("/admin/catalog/export.zip").data


def test_a_zip_with_a_false_size_field_is_refused(admin_client):
    data = bytearray(_catalog_zip(admin_client))
    # Lie in every central-directory entry: a compressed member claims 1 byte.
    at = data.find(b"PK\x01\x02")
    while at != -1:
        struct.pack_into("<I", data, at + 24, 1)  # uncompressed size
        at = data.find(b"PK\x01\x02", at + 4)
    response = _post(admin_client, bytes(data))
    assert response.status_code == 422


def test_yaml_nested_5000_deep_is_refused(admin_client):
    source = zipfile.ZipFile(io.BytesIO(_catalog_zip(admin_client)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name in source.namelist():
            text = source.read(name)
            if name == "materials.yaml":
                text = ("- " + "[" * 5000 + "]" * 5000 + "\n").encode()
            zf.writestr(name, text)
    response = _post(admin_client, out.getvalue())
    assert response.status_code == 422


def test_import_path_reads_only_allowed_directories(admin_client, tmp_path):
    (tmp_path / "departments.yaml").write_text("[]")
    for path in ("/etc", str(tmp_path), "/"):
        response = admin_client.post("/admin/catalog/import", data={"import.path": path})
        assert response.status_code == 422, path
        assert "CATALOG_IMPORT_DIRS" in response.get_data(as_text=True)


def test_rules_rollback_refuses_a_boolean_version(app, factories, admin):
    client = app.test_client()
    headers = factories.token(client, admin)
    response = client.post("/api/v1/admin/rules/rollback", json={"version": True}, headers=headers)
    assert response.status_code == 422
