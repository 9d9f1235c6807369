"""The first run's log says what is being done, without set-up chatter at the default level."""

from __future__ import annotations

import logging

from webapp.core.logging_filters import StartupNoiseFilter


def _record(name: str, msg: str) -> logging.LogRecord:
    return logging.LogRecord(name, logging.INFO, __file__, 1, msg, (), None)


def test_alembic_plugin_and_tentative_job_lines_are_dropped_at_info():
    noise = StartupNoiseFilter()
    root = logging.getLogger()
    level = root.level
    try:
        root.setLevel(logging.INFO)
        assert not noise.filter(_record("alembic.runtime.plugins", "setup plugin alembic.autogen"))
        assert not noise.filter(_record("apscheduler.scheduler", "Adding job tentatively -- x"))
        assert noise.filter(_record("apscheduler.scheduler", "Scheduler started"))
        assert noise.filter(_record("alembic.runtime.migration", "Running upgrade a -> b"))
        root.setLevel(logging.DEBUG)
        assert noise.filter(_record("alembic.runtime.plugins", "setup plugin alembic.autogen"))
    finally:
        root.setLevel(level)


def test_the_first_run_prints_no_alembic_plugin_lines(tmp_path):
    """``python -m webapp`` on a fresh instance: Alembic is imported (by the first-run set-up)
    after the noise filter is in place, so its "setup plugin" lines never reach the
    console; the migrations it runs are still reported. The server itself is not started."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    script = (
        "import waitress\n"
        "waitress.serve = lambda *args, **kwargs: None\n"
        "from webapp.__main__ import main\n"
        "main(['--no-scheduler', '--no-population', '--port', '5999'])\n"
    )
    env = {
        **os.environ,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'first.sqlite3'}",
        "PYTHONPATH": str(root),
    }
    env.pop("SMTP_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-3000:]
    assert "Running upgrade" in output  # what is being done is still said
    assert "setup plugin" not in output, output[:3000]
