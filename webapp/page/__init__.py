"""The personal page (专属网页) at /me and its customisation forms."""

from webapp.core.features import public_face

# What other features may use, and the module that defines it.
_EXPORTS = {
    "dismissed_codes": "queries",
    "hidden_service_codes": "queries",
    "hidden_service_ids": "queries",
    "act_on_service": "services",
    "build_enterprise_page": "enterprise_page",
    "build_page": "services",
    "enterprise_choices": "enterprise_page",
    "pinned_codes": "services",
    "timeline_view": "timeline",
    "PageContext": "widgets",
    "register_widget": "widgets",
}
__getattr__, __dir__ = public_face(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)
