"""Flask-Login wiring: the session id is the account's rotating session token;
idle and absolute session timeouts."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask, current_app, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user
from sqlalchemy import select

from webapp.accounts.models import Account
from webapp.core.db import db
from webapp.core.extensions import login_manager


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def _load(token: str) -> Account | None:
        return db.session.scalar(select(Account).where(Account.session_token == token))

    @app.before_request
    def _timeouts() -> None:
        if request.path.startswith(("/static/", "/api/")):
            return
        if not current_user.is_authenticated:
            return
        now = datetime.now(UTC).timestamp()
        started = session.get("login_at", now)
        last = session.get("seen_at", now)
        idle = current_app.config["IDLE_TIMEOUT_MINUTES"] * 60
        absolute = current_app.config["ABSOLUTE_TIMEOUT_HOURS"] * 3600
        if now - last > idle or now - started > absolute:
            logout_user()
            session.clear()
            return
        session["login_at"] = started
        session["seen_at"] = now
