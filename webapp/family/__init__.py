"""The family feature: linking household members to their own accounts, mandates to view
and act for them, acting as a member, and shared reminders."""

from webapp.core.features import public_face

# What other features may use, and the module that defines it.
_EXPORTS = {
    "SCOPES": "models",
    "active": "mandates",
    "end_guardian_access": "mandates",
    "may_receive": "notify",
    "reminder_recipients": "notify",
    "reminders_for": "shared",
}
__getattr__, __dir__ = public_face(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)
