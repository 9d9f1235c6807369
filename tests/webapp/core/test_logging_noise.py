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
