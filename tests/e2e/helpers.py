"""Small steps shared by the browser tests."""

from __future__ import annotations

import itertools

PASSWORD = "correct-horse-battery-e2e"
_seq = itertools.count(1)
LIVE_APP = None  # set by the live_server fixture: sign_up reads its outbox.log


def new_email(prefix: str = "e2e") -> str:
    import os

    return f"{prefix}{os.getpid()}-{next(_seq)}@example.test"


def sign_up(page, email: str, kind: str = "citizen") -> None:
    page.goto("/signup")
    page.fill("#f-email", email)
    page.fill("#f-password", PASSWORD)
    page.check(f"input[name=kind][value={kind}]")
    page.click("form.form button[type=submit]")
    # The address is confirmed with the e-mailed link, which also logs in.
    from tests.factories import mailed_link

    page.goto(mailed_link(LIVE_APP, email, "/verify/"))


def log_in(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").first.click()


def log_out(page) -> None:
    page.locator("header form[action$='/logout'] button").click()
