"""The architecture: lifecycle/ and recommender/ are pure (no web app, Flask or ORM); the web
app is a core and one package per feature, and features use one another through their
public faces."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = (
    "flask",
    "flask_login",
    "flask_babel",
    "flask_wtf",
    "flask_limiter",
    "sqlalchemy",
    "webapp",
    "alembic",
)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", ["lifecycle", "recommender"])
def test_domain_packages_are_framework_free(package):
    offenders = {}
    for path in (ROOT / package).rglob("*.py"):
        bad = _imports(path) & set(FORBIDDEN)
        if bad:
            offenders[str(path.relative_to(ROOT))] = sorted(bad)
    assert offenders == {}


def test_domain_packages_do_not_read_the_clock():
    offenders = []
    for package in ("lifecycle", "recommender"):
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if "date.today()" in text or "datetime.now(" in text or "datetime.utcnow(" in text:
                if package == "recommender" and path.name == "__main__.py":
                    continue  # the CLI stamps artefacts
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


# --- the web app: a core and one package per feature ------------------------------------------

WEBAPP = ROOT / "webapp"
FEATURES = sorted(
    p.name
    for p in WEBAPP.iterdir()
    if p.is_dir() and (p / "__init__.py").exists() and p.name not in {"core", "templates"}
)


def _webapp_imports(path: Path) -> list[str]:
    """Every ``webapp.…`` module a file imports (``from webapp import x`` counts as
    ``webapp.x``), at any depth (imports inside functions count too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("webapp")]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "webapp":
                found += [f"webapp.{a.name}" for a in node.names]
            elif node.module.startswith("webapp."):
                base = ROOT / node.module.replace(".", "/")
                for a in node.names:  # ``from webapp.f import submodule`` names the submodule
                    is_module = (base / f"{a.name}.py").exists() or (base / a.name).is_dir()
                    found.append(f"{node.module}.{a.name}" if is_module else node.module)
        elif isinstance(node, ast.ImportFrom) and node.level:
            found.append("." * node.level + (node.module or ""))
    return found


def test_the_features_are_the_ones_documented():
    assert set(FEATURES) >= {
        "accounts",
        "admin",
        "catalog",
        "duties",
        "enterprise",
        "page",
        "people",
        "privacy",
        "recommend",
        "reminders",
    }


def test_webapp_uses_absolute_imports():
    relative = {
        str(p.relative_to(ROOT)): m
        for p in WEBAPP.rglob("*.py")
        for m in _webapp_imports(p)
        if m.startswith(".")
    }
    assert relative == {}


def test_core_imports_no_feature():
    offenders = {}
    for path in (WEBAPP / "core").rglob("*.py"):
        bad = [
            m
            for m in _webapp_imports(path)
            if not m.startswith("webapp.core") and m != "webapp.core"
        ]
        if bad:
            offenders[str(path.relative_to(ROOT))] = bad
    assert offenders == {}


def test_features_use_each_other_only_through_the_package():
    """A feature imports another feature's package (its public face: ``webapp/<f>/__init__``)
    or, for ORM relationships and queries over its tables, its ``models`` module
    (``webapp.<f>.models``, ``webapp.recommend.interaction_models``) — nothing else."""
    allowed_models = {f"webapp.{f}.models" for f in FEATURES} | {
        "webapp.recommend.interaction_models"
    }
    offenders = {}
    for feature in FEATURES:
        for path in (WEBAPP / feature).rglob("*.py"):
            bad = []
            for m in _webapp_imports(path):
                parts = m.split(".")
                if len(parts) < 2 or parts[1] not in FEATURES or parts[1] == feature:
                    continue
                if len(parts) == 2 or m in allowed_models:
                    continue
                bad.append(m)
            if bad:
                offenders[str(path.relative_to(ROOT))] = bad
    assert offenders == {}


def test_features_do_not_import_the_model_registry():
    """``webapp.models`` imports every feature's models (for Alembic and the CLI); a feature
    importing it would import every other feature."""
    offenders = [
        str(p.relative_to(ROOT))
        for feature in ["core", *FEATURES]
        for p in (WEBAPP / feature).rglob("*.py")
        if "webapp.models" in _webapp_imports(p)
    ]
    assert offenders == []


@pytest.mark.parametrize("feature", FEATURES)
def test_a_feature_public_face_names_only_what_exists(feature):
    import importlib

    package = importlib.import_module(f"webapp.{feature}")
    missing = [name for name in getattr(package, "_EXPORTS", {}) if not hasattr(package, name)]
    assert missing == []


@pytest.mark.parametrize("package", ["lifecycle", "recommender", "webapp", "bench"])
def test_no_module_over_400_lines(package):
    """Modules stay under 400 lines: a longer one is split by role."""
    long = {
        str(p.relative_to(ROOT)): n
        for p in (ROOT / package).rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert long == {}


def test_no_import_guards_around_the_project_modules():
    guarded = [
        str(p.relative_to(ROOT))
        for p in WEBAPP.rglob("*.py")
        if "except ImportError" in p.read_text(encoding="utf-8")
        or "except (ImportError" in p.read_text(encoding="utf-8")
    ]
    assert guarded == []
