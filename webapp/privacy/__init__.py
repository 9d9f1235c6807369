"""The privacy centre at /privacy: consents, my tags, who looked at my data, export, delete."""

from webapp.core.features import public_face

# What other features may use, and the module that defines it.
_EXPORTS = {
    "CONSENT_VERSION": "consents",
    "DEFAULTS": "consents",
    "current_consents": "consents",
    "record_defaults": "consents",
    "set_consents": "consents",
}
__getattr__, __dir__ = public_face(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)
