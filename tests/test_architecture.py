"""lifecycle/ and recommender/ are pure: they import neither the web app, Flask nor the ORM."""

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
                if package == "recommender" and path.name in {"__main__.py", "synthetic.py"}:
                    continue  # the CLI stamps artefacts; the generator takes a base date argument
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
