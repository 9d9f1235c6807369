"""The entitlements feature: what a person or an enterprise is owed (免申即享), the facts
they told us (the optional questionnaire), the 您可以享受 widget, and eligibility in words."""

from webapp.core.features import public_face

# What other features may use, and the module that defines it.
_EXPORTS = {
    "EntitlementsView": "service",
    "for_household": "service",
    "for_enterprise": "service",
    "reset_params_cache": "service",
    "household_with_facts": "facts",
    "apply_to_enterprise": "facts",
    "load_facts": "facts",
    "export_facts": "facts",
    "page_facts": "facts",
    "save_fact": "facts",
    "apply_to_person": "facts",
    "TITLES": "words",
    "audience_words": "words",
    "household_for_account": "queries",
    "explain_eligibility": "explain",
    "PERIODS": "words",
}
__getattr__, __dir__ = public_face(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)
