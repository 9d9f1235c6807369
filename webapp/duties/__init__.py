"""The "what is due" pages: duties of the citizen, their household and their enterprises."""

from webapp.core.features import public_face

# What other features may use, and the module that defines it.
_EXPORTS = {
    "effective_status": "services",
    "sync_all": "sync",
}
__getattr__, __dir__ = public_face(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)
