"""The JSON API under /api/v1 (see docs/api.md and /api/v1/openapi.json)."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from ..entitlements import api as _entitlements_api  # noqa: E402,F401
from . import (  # noqa: E402,F401  (each module registers its operations)
    admin,
    catalog,
    duties,
    enterprises,
    inbox,
    me,
    openapi,
    page,
    privacy,
    recommendations,
    tokens,
)
