"""The catalog feature."""

from webapp.core.features import public_face

# What other features may use, and the module that defines it.
_EXPORTS = {
    "bundles": "services",
    "catalog_version": "search",
    "find": "search",
    "life_events": "services",
    "load_into_db": "sync",
    "search_text": "sync",
}
__getattr__, __dir__ = public_face(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)
