"""The catalog as files for admins: export as the project's own YAML data files
(lifecycle.catalog) in a zip, import from a zip or a server directory."""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lifecycle import catalog as lc
from lifecycle.catalog import CatalogError
from webapp.admin.catalog_admin import list_bundles, list_departments, list_services
from webapp.admin.catalog_delivery import channel_of
from webapp.catalog import load_into_db
from webapp.catalog.models import (
    Material,
    Service,
)
from webapp.core import audit
from webapp.core.service_errors import ServiceError

MAX_ZIP_BYTES = 20 * 1024 * 1024
MAX_ZIP_FILES = 500


# ------------------------------------------------------------------ export and import


def catalog_from_db(session: Session) -> lc.Catalog:
    """The database's catalog as the loader's dataclasses (active services only)."""
    deps = {d.code: lc.Department(d.code, dict(d.name)) for d in list_departments(session)}
    mats = {
        m.code: lc.Material(m.code, dict(m.name))
        for m in session.scalars(select(Material).order_by(Material.code))
    }
    services = {}
    for s in list_services(session):
        if not s.active:
            continue
        services[s.code] = lc.Service(
            code=s.code,
            name=dict(s.name),
            aliases={locale: tuple(items) for locale, items in (s.aliases or {}).items()},
            description=dict(s.description),
            department=s.department.code,
            audience=s.audience,
            life_events=tuple(le.key for le in s.life_events),
            themes=tuple(s.themes or ()),
            materials=tuple(m.material.code for m in s.materials),
            online_level=s.online_level,
            url=s.url or "",
            statutory_days=s.statutory_days,
            promised_days=s.promised_days,
            legal_basis=s.legal_basis,
            region_scope=s.region_scope or "national",
            eligibility=dict(s.eligibility or {}),
            # "channel" only where it differs from what online_level implies
            channel=channel_of(s),
            apply_url=s.apply_url,
            office=dict(s.office) if s.office else None,
            fee=dict(s.fee) if s.fee else None,
        )
    bundles = {}
    for b in list_bundles(session):
        codes = tuple(bs.service.code for bs in b.services if bs.service.code in services)
        if not codes:
            continue
        event = b.life_event.key if b.life_event else services[codes[0]].life_events[0]
        bundles[b.code] = lc.Bundle(b.code, dict(b.name), dict(b.description), event, codes)
    return lc.Catalog(departments=deps, materials=mats, services=services, bundles=bundles)


def export_zip(session: Session) -> bytes:
    catalog = catalog_from_db(session)
    buf = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp:
        lc.dump_catalog(catalog, tmp)
        root = Path(tmp)
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(root.rglob("*.yaml")):
                zf.write(path, path.relative_to(root).as_posix())
    return buf.getvalue()


def _catalog_error(exc: CatalogError) -> ServiceError:
    return ServiceError(
        "invalid_catalog",
        _("The catalog was refused and nothing was changed: %(error)s", error=str(exc)),
        "file",
    )


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """One member's bytes, never more than MAX_ZIP_BYTES whatever its header claims; a
    corrupt member (false size, bad CRC, bad compression) is the uploader's error."""
    try:
        with zf.open(info) as member:
            data = member.read(MAX_ZIP_BYTES + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
        raise ServiceError("bad_zip", _("The archive is damaged."), "file") from exc
    if len(data) > MAX_ZIP_BYTES:
        raise ServiceError("too_large", _("The archive is too large."), "file")
    return data


def _extract(data: bytes, dest: Path) -> Path:
    """Unpack a zip safely (no absolute paths, no '..', size-limited); return the root
    holding departments.yaml (the archive may wrap it in one folder)."""
    if len(data) > MAX_ZIP_BYTES:
        raise ServiceError("too_large", _("The file is too large."), "file")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ServiceError("bad_zip", _("The file is not a .zip archive."), "file") from exc
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ZIP_FILES or sum(i.file_size for i in infos) > 5 * MAX_ZIP_BYTES:
            raise ServiceError("too_large", _("The archive is too large."), "file")
        for info in infos:
            name = PurePosixPath(info.filename)
            if name.is_absolute() or ".." in name.parts or "\\" in info.filename:
                raise ServiceError("bad_zip", _("The archive contains an unsafe path."), "file")
            if info.is_dir():
                continue
            if name.suffix not in (".yaml", ".yml"):
                continue
            target = dest.joinpath(*name.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(_read_member(zf, info))
    candidates = [p.parent for p in dest.rglob("departments.yaml")]
    if len(candidates) != 1:
        raise ServiceError(
            "bad_layout",
            _(
                "The archive must contain one catalog (departments.yaml, materials.yaml, bundles.yaml, services/*.yaml)."
            ),
            "file",
        )
    return candidates[0]


def import_catalog(session: Session, actor_id: int | None, root: Path, source: str) -> dict:
    try:
        catalog = lc.load_catalog(root)
    except CatalogError as exc:
        raise _catalog_error(exc) from exc
    before = {"services": session.scalar(select(func.count()).select_from(Service))}
    report = load_into_db(session, catalog)
    after = {
        "source": source,
        "services": report.services,
        "departments": report.departments,
        "materials": report.materials,
        "bundles": report.bundles,
    }
    audit.record(session, actor_id, "catalog.import", "catalog", source[:80], before, after)
    return after


def import_zip(session: Session, actor_id: int | None, data: bytes, filename: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        root = _extract(data, Path(tmp))
        return import_catalog(session, actor_id, root, filename or "upload.zip")


def import_roots() -> list[Path]:
    """Directories an admin may import from (CATALOG_IMPORT_DIRS, os.pathsep-separated;
    default: the packaged catalog). Nothing else on the server is readable this way."""
    configured = current_app.config.get("CATALOG_IMPORT_DIRS") or ""
    roots = [Path(p).expanduser() for p in str(configured).split(os.pathsep) if p.strip()]
    return [r.resolve() for r in (roots or [lc.DATA_DIR])]


def import_directory(session: Session, actor_id: int | None, path: str) -> dict:
    root = Path(path.strip()).expanduser().resolve()
    allowed = any(root == r or r in root.parents for r in import_roots())
    if not path.strip() or not allowed:
        raise ServiceError(
            "forbidden_path",
            _("Only directories set in CATALOG_IMPORT_DIRS can be imported."),
            "path",
        )
    if not root.is_dir():
        raise ServiceError("not_found", _("No such directory on the server."), "path")
    return import_catalog(session, actor_id, root, str(root))
