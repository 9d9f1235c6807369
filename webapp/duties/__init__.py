"""The "what is due" pages: duties of the citizen, their household and their enterprises."""

from webapp.core.features import public_face

# What other features may use, and the module that defines it.
_EXPORTS = {
    "OPEN_STATUSES": "models",
    "WINDOW_KINDS": "params",
    "account_open_duties": "queries",
    "current_params": "params",
    "delete_local_window": "params",
    "delete_tax_override": "params",
    "set_local_window": "params",
    "set_tax_override": "params",
    "effective_status": "services",
    "mark_done": "services",
    "snooze": "services",
    "HolidaysInForce": "holidays",
    "PublishReport": "holidays",
    "build_calendar": "holidays",
    "holidays_in_force": "holidays",
    "load_holiday_files": "holidays",
    "publish_holidays": "holidays",
    "open_duties": "queries",
    "sync_all": "sync",
}
__getattr__, __dir__ = public_face(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)
