"""The recommend feature."""

from webapp.core.features import public_face

# What other features may use, and the module that defines it.
_EXPORTS = {
    "CitizenRows": "context",
    "Interaction": "interaction_models",
    "activate": "model_versions",
    "build_citizen_context": "context",
    "city_region": "context",
    "clean_source": "interactions",
    "disabled_tags": "context",
    "enterprise_facts": "tags",
    "last_progress": "interactions",
    "load_catalog": "context",
    "my_tags": "tags",
    "rank": "recommendations",
    "recent": "interactions",
    "recommend_for_account": "recommendations",
    "recommend_for_enterprise": "recommendations",
    "record": "interactions",
    "record_impressions_by_code": "interactions",
    "reload_model": "recommendations",
    "serving_state": "recommendations",
    "service_use": "use",
    "set_tag": "tags",
    "train_and_maybe_activate": "training",
}
__getattr__, __dir__ = public_face(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)
