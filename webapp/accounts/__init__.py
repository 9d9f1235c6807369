"""The accounts feature."""

from webapp.core.features import public_face

# What other features may use, and the module that defines it.
_EXPORTS = {
    "AccountOut": "schemas",
    "DeleteAccountIn": "schemas",
    "change_password": "services",
    "create_account": "services",
    "find_by_email": "services",
    "safe_next": "routes",
}
__getattr__, __dir__ = public_face(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)
