"""The accounts feature."""

from webapp.core.features import public_face

# What other features may use, and the module that defines it.
_EXPORTS = {
    "AccountOut": "schemas",
    "DeleteAccountIn": "schemas",
    "Throttled": "throttle",
    "auth_event": "throttle",
    "change_password": "services",
    "confirm_password": "services",
    "create_account": "services",
    "find_by_email": "services",
    "issue_api_token": "services",
    "active_tokens": "tokens",
    "revoke_token": "tokens",
    "safe_next": "routes",
    "token_idle": "tokens_api",
}
__getattr__, __dir__ = public_face(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)
