"""The JSON API under /api/v1 (see docs/api.md and /api/v1/openapi.json)."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from . import catalog, duties, enterprises, me, openapi, page, tokens  # noqa: E402,F401
from . import privacy  # noqa: E402,F401
from . import inbox  # noqa: E402,F401
from . import recommendations  # noqa: E402,F401
from . import admin  # noqa: E402,F401
