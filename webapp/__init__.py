"""Lifepage web application: create_app(config) wires extensions, blueprints and the CLI.

It starts no threads: the scheduler runs in ``python -m webapp`` or ``flask scheduler``.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

from .config import load_config


class DatabaseIntConverter(IntegerConverter):
    """``<int:...>`` limited to 32-bit signed (PostgreSQL ``integer``, the id columns)."""

    def __init__(self, map, fixed_digits=0, min=None, max=2**31 - 1, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits, min, max, signed)


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=False)
    app.config.update(load_config(config))
    app.instance_path = app.config["INSTANCE_PATH"]

    from . import auth_session, errors, i18n, logging_filters, navigation, view_helpers
    from .db import db
    from .extensions import csrf, limiter
    from .security import headers

    db.init_app(app)
    i18n.init_app(app)
    view_helpers.init_app(app)
    navigation.init_app(app)
    csrf.init_app(app)
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter.init_app(app)
    auth_session.init_app(app)
    headers.init_app(app)
    errors.init_app(app)
    logging_filters.init_app(app)
    # Ids in URLs fit the database's integer columns; a larger number is a 404, not a 500.
    app.url_map.converters["int"] = DatabaseIntConverter

    from .admin import bp as admin_bp
    from .api import bp as api_bp
    from .auth.routes import bp as auth_bp
    from .catalog.routes import bp as catalog_bp
    from .duties.routes import bp as duties_bp
    from .enterprise.routes import bp as enterprise_bp
    from .entitlements import widgets as _entitlement_widgets  # noqa: F401
    from .entitlements.routes import bp as entitlements_bp
    from .inbox.routes import bp as inbox_bp
    from .main.routes import bp as main_bp
    from .page.routes import bp as page_bp
    from .privacy.routes import bp as privacy_bp
    from .settings.routes import bp as settings_bp

    for blueprint in (
        main_bp,
        auth_bp,
        settings_bp,
        catalog_bp,
        page_bp,
        duties_bp,
        enterprise_bp,
        entitlements_bp,
        inbox_bp,
        privacy_bp,
        admin_bp,
        api_bp,
    ):
        app.register_blueprint(blueprint)
    csrf.exempt(api_bp)

    from . import cli
    from .services import duty_sync  # noqa: F401  (subscribes duty resync to data changes)

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
