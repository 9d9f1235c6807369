"""The JSON API under /api/v1 (see docs/api.md and /api/v1/openapi.json).

Each feature's ``api.py`` registers its operations on this blueprint; ``create_app`` imports
them (see ``webapp.FEATURE_APIS``)."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
