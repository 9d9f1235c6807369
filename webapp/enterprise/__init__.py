"""The enterprise page at /enterprises/<credit_code>, for members only."""

from webapp.core.features import public_face

# What other features may use, and the module that defines it.
_EXPORTS = {
    "EnterpriseIn": "schemas",
    "EnterpriseOut": "schemas",
    "INDUSTRIES": "schemas",
    "PermitIn": "schemas",
    "add_permit": "services",
    "enterprise_dict": "services",
    "get_for_member": "services",
    "link": "services",
    "memberships": "services",
    "remove_permit": "services",
    "update": "services",
}
__getattr__, __dir__ = public_face(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)
