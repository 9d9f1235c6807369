"""flask catalog load: idempotent, and a malformed file is refused with nothing half-loaded."""

from __future__ import annotations

import shutil

from sqlalchemy import func, select

from lifecycle.catalog import DATA_DIR
from webapp.models import Bundle, Service, ServiceMaterial


def _counts(app):
    from webapp.core.db import db

    with app.app_context():
        s = db.new_session()
        try:
            return tuple(
                s.scalar(select(func.count()).select_from(m))
                for m in (Service, Bundle, ServiceMaterial)
            )
        finally:
            s.close()


def test_reload_is_idempotent(app):
    before = _counts(app)
    result = app.test_cli_runner().invoke(args=["catalog", "load"])
    assert result.exit_code == 0, result.output
    assert "services" in result.output
    assert _counts(app) == before
    assert before[0] >= 150


def test_malformed_file_is_refused_naming_file_and_entry(app, tmp_path):
    broken = tmp_path / "catalog"
    shutil.copytree(DATA_DIR, broken)
    target = broken / "services" / "citizen_birth.yaml"
    text = target.read_text(encoding="utf-8")
    target.write_text(
        text.replace("department: public_security", "department: no_such_department", 1),
        encoding="utf-8",
    )
    before = _counts(app)
    result = app.test_cli_runner().invoke(args=["catalog", "load", "--path", str(broken)])
    assert result.exit_code != 0
    assert "citizen_birth.yaml" in result.output and "no_such_department" in result.output
    assert "entry" in result.output
    assert _counts(app) == before
