"""Real-browser tests: the app served on a loopback port, driven by Chromium via Playwright.

Skipped with a clear reason when /usr/bin/chromium is missing (CI installs the Debian
package ``chromium``). The server runs in a thread against its own migrated, catalog-loaded
SQLite database with CSRF protection on, as in production.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    skip = pytest.mark.skip(
        reason=f"Chromium is not installed at {CHROMIUM} (apt install chromium)"
    )
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    from werkzeug.serving import make_server

    from webapp import create_app
    from webapp.catalog.sync import load_from_path
    from webapp.core.clock import local_today
    from webapp.core.db import db
    from webapp.core.migrate import upgrade
    from webapp.demo import seed_demo_accounts

    base = tmp_path_factory.mktemp("e2e")
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{base / 'e2e.sqlite3'}",
            "INSTANCE_PATH": str(base / "instance"),
            "SECRET_KEY": "e2e-secret",
            "RATELIMIT_ENABLED": False,
            "SMTP_URL": "",
        }
    )
    with app.app_context():
        upgrade(db.engine)
        with db.transaction() as session:
            load_from_path(session)
        with db.transaction() as session:
            seed_demo_accounts(session, local_today())
    from tests.e2e import helpers

    helpers.LIVE_APP = app
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": f"http://127.0.0.1:{server.server_port}", "app": app}
    server.shutdown()
    thread.join(timeout=5)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory) -> Path:
    folder = os.environ.get("E2E_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def new_page(browser, live_server):
    contexts = []

    def make(javascript: bool = True, locale: str = "zh-CN", width: int = 1280):
        context = browser.new_context(
            java_script_enabled=javascript,
            locale=locale,
            viewport={"width": width, "height": 900},
            base_url=live_server["url"],
        )
        context.set_default_timeout(15000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
