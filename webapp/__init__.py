"""Lifepage web application: create_app(config) wires extensions, blueprints and the CLI.

It starts no threads: the scheduler runs in ``python -m webapp`` or ``flask scheduler``.
"""

from __future__ import annotations

from importlib import import_module

from flask import Flask
from werkzeug.routing import IntegerConverter

from webapp.core.config import load_config

# The features with a JSON API (``webapp/<feature>/api.py``), in the OpenAPI document's order
# ("core" is the document itself).
FEATURE_APIS = (
    "admin",
    "catalog",
    "duties",
    "enterprise",
    "family",
    "reminders",
    "people",
    "core",
    "page",
    "privacy",
    "recommend",
    "accounts",
    "entitlements",
)


class DatabaseIntConverter(IntegerConverter):
    """``<int:...>`` limited to 32-bit signed (PostgreSQL ``integer``, the id columns).
    The pattern itself stops at 2147483647, so a larger id matches no route (404) instead
    of failing conversion after another method's route matched (405)."""

    regex = (
        r"(?:[0-9]{1,9}|1[0-9]{9}|20[0-9]{8}|21[0-3][0-9]{7}|214[0-6][0-9]{6}"
        r"|2147[0-3][0-9]{5}|21474[0-7][0-9]{4}|214748[0-2][0-9]{3}|2147483[0-5][0-9]{2}"
        r"|21474836[0-3][0-9]|214748364[0-7])"
    )

    def __init__(self, map, fixed_digits=0, min=None, max=2**31 - 1, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits, min, max, signed)


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=False)
    app.config.update(load_config(config))
    app.instance_path = app.config["INSTANCE_PATH"]

    from webapp.accounts import session as auth_session
    from webapp.core import errors, i18n, lang_parts, logging_filters, navigation, view_helpers
    from webapp.core.db import db
    from webapp.core.extensions import csrf, limiter
    from webapp.core.security import headers
    from webapp.core.security import input as input_checks

    db.init_app(app)
    i18n.init_app(app)
    lang_parts.init_app(app)
    view_helpers.init_app(app)
    navigation.init_app(app)
    csrf.init_app(app)
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter.init_app(app)
    auth_session.init_app(app)
    headers.init_app(app)
    input_checks.init_app(app)
    errors.init_app(app)
    logging_filters.init_app(app)
    # Ids in URLs fit the database's integer columns; a larger number is a 404, not a 500.
    app.url_map.converters["int"] = DatabaseIntConverter

    from webapp.accounts.routes import bp as auth_bp
    from webapp.admin import bp as admin_bp
    from webapp.catalog.routes import bp as catalog_bp
    from webapp.core.api import bp as api_bp
    from webapp.duties.routes import bp as duties_bp
    from webapp.enterprise.routes import bp as enterprise_bp
    from webapp.entitlements import reminders as _entitlement_reminders  # noqa: F401
    from webapp.entitlements import widgets as _entitlement_widgets  # noqa: F401
    from webapp.entitlements.routes import bp as entitlements_bp
    from webapp.family.routes import bp as family_bp
    from webapp.page.home import bp as main_bp
    from webapp.page.routes import bp as page_bp
    from webapp.people.routes import bp as settings_bp
    from webapp.privacy.routes import bp as privacy_bp
    from webapp.reminders.routes import bp as inbox_bp

    # Each feature's api.py registers its operations on the API blueprint.
    for feature in FEATURE_APIS:
        import_module("webapp.core.api.openapi" if feature == "core" else f"webapp.{feature}.api")

    for blueprint in (
        main_bp,
        auth_bp,
        settings_bp,
        catalog_bp,
        page_bp,
        duties_bp,
        enterprise_bp,
        family_bp,
        entitlements_bp,
        inbox_bp,
        privacy_bp,
        admin_bp,
        api_bp,
    ):
        app.register_blueprint(blueprint)
    csrf.exempt(api_bp)

    from webapp import cli
    from webapp.duties import sync as duty_sync  # noqa: F401  (subscribes duty resync to data changes)

    cli.init_app(app)
    _trust_proxies(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind PROXY_COUNT reverse proxies, take the client address from X-Forwarded-For
    (rate limits per address, access logs); see docs/deployment.md."""
    import os

    count = int(app.config.get("PROXY_COUNT") or os.environ.get("PROXY_COUNT") or 0)
    if count > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
