"""The recommend feature: ``recommend(session, subject, today, limit, exclude) -> Ranking``
(``ranking.py``, typed results in ``results.py``), the model store, training and the
interactions it learns from."""

from webapp.core.features import public_face

# What other features may use, and the module that defines it.
_EXPORTS = {
    "CitizenRows": "context",
    "Interaction": "interaction_models",
    "activate": "model_versions",
    "build_citizen_context": "context",
    "city_region": "context",
    "clean_source": "interactions",
    "disabled_tags": "tags",
    "enqueue_training": "training_jobs",
    "enterprise_facts": "tags",
    "last_progress": "interactions",
    "load_catalog": "context",
    "my_tags": "tags",
    "CitizenSubject": "ranking",
    "EnterpriseSubject": "ranking",
    "RankedService": "results",
    "Ranking": "results",
    "Reason": "results",
    "ranking_view": "present",
    "recent": "interactions",
    "recheck": "recommendations",
    "recommend": "ranking",
    "record": "interactions",
    "record_impressions_by_code": "interactions",
    "reload_model": "recommendations",
    "serving_state": "recommendations",
    "service_use": "use",
    "set_tag": "tags",
    "train_and_maybe_activate": "training",
    "recent_training_jobs": "training_jobs",
}
__getattr__, __dir__ = public_face(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)
