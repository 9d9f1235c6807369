"""Settings: one typed object from the environment; every setting settable and documented."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from webapp.core.config import Settings, environment_settings, from_env

ROOT = Path(__file__).resolve().parents[3]


def test_every_setting_is_in_the_readme_table():
    readme = (ROOT / "README.md").read_text()
    listed = set(re.findall(r"^\| `([A-Z_]+)` \|", readme, re.M))
    names = {name for name, _d, _doc in environment_settings()}
    assert names - listed == set()


def test_settings_are_typed_and_settable_from_the_environment(tmp_path):
    env = {
        "INSTANCE_PATH": str(tmp_path),
        "PROXY_COUNT": "2",
        "SCHEDULER_SWEEP_SECONDS": "60",
        "REC_EPOCHS": "3",
        "REC_POPULARITY_SECONDS": "5.5",
        "REC_REFIT": "off",
        "SESSION_COOKIE_SECURE": "1",
    }
    s = from_env(env)
    assert isinstance(s, Settings)
    assert (s.PROXY_COUNT, s.SCHEDULER_SWEEP_SECONDS, s.REC_EPOCHS) == (2, 60, 3)
    assert s.REC_POPULARITY_SECONDS == 5.5 and s.REC_REFIT is False
    assert s.SESSION_COOKIE_SECURE is True
    assert str(tmp_path / "models") == s.MODEL_DIR


def test_nothing_else_reads_the_environment():
    found = subprocess.run(
        ["grep", "-rnE", r"os\.environ|getenv\(", "webapp", "--include=*.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    assert [line for line in found if not line.startswith("webapp/core/config.py")] == []
