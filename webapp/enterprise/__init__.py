"""The enterprise page at /enterprises/<credit_code>, for members only."""

from webapp.core.features import public_face

# What other features may use, and the module that defines it.
_EXPORTS = {
    "EnterpriseIn": "schemas",
    "EnterpriseOut": "schemas",
    "INDUSTRIES": "schemas",
    "PermitIn": "schemas",
    "ClaimMismatch": "claims",
    "add_permit": "services",
    "can": "members",
    "claim": "claims",
    "claim_dict": "claims",
    "decide": "claims",
    "review_queue": "claims",
    "own_claims": "claims",
    "require": "members",
    "withdraw": "claims",
    "enterprise_dict": "services",
    "get_for_member": "services",
    "register_verified": "services",
    "mask_email": "members",
    "memberships": "services",
    "remove_permit": "services",
    "update": "services",
}
__getattr__, __dir__ = public_face(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)
