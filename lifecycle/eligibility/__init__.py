"""Who a service is for: the conditions schema, the facts it reads and the evaluator.

- ``lifecycle.eligibility.facts``: ``FACTS`` (one definition of each fact) and vocabularies.
- ``lifecycle.eligibility.conditions``: ``Conditions``, ``parse_conditions`` (the one
  validator shared by the catalog loader, the admin editor and the import),
  ``ConditionError``.
- ``lifecycle.eligibility.evaluate``: ``evaluate`` → ``Verdict`` (eligible / not_eligible
  with the failing ``Check`` / unknown with the missing facts).
"""

from lifecycle.eligibility.conditions import (
    ConditionError,
    Conditions,
    MemberCondition,
    parse_conditions,
)
from lifecycle.eligibility.evaluate import (
    ELIGIBLE,
    NOT_ELIGIBLE,
    UNKNOWN,
    Check,
    Verdict,
    evaluate,
)
from lifecycle.eligibility.facts import FACTS, FactInfo

__all__ = [
    "ELIGIBLE",
    "FACTS",
    "NOT_ELIGIBLE",
    "UNKNOWN",
    "Check",
    "ConditionError",
    "Conditions",
    "FactInfo",
    "MemberCondition",
    "Verdict",
    "evaluate",
    "parse_conditions",
]
