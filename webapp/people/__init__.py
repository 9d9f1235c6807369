"""The people feature."""

from webapp.core.features import public_face

# What other features may use, and the module that defines it.
_EXPORTS = {
    "DocumentIn": "schemas",
    "PROFILE_FIELDS": "routes",
    "PROFILE_NESTED": "routes",
    "flatten_profile": "routes",
    "HouseholdIn": "household_schemas",
    "IdCardIn": "schemas",
    "ProfileIn": "schemas",
    "REGION_PATTERN": "schemas",
    "add_member": "services",
    "enterprise_subject": "subjects",
    "get_member": "services",
    "household_persons": "subjects",
    "household_rows": "subjects",
    "id_number": "services",
    "linked_names": "subjects",
    "masked_id_number": "services",
    "member_dict": "services",
    "member_person": "subjects",
    "not_future": "schemas",
    "person_for_account": "subjects",
    "person_from_rows": "subjects",
    "profile_dict": "services",
    "replace_profile": "services",
    "touch_accounts": "versions",
    "touch_enterprise_members": "versions",
}
__getattr__, __dir__ = public_face(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)
