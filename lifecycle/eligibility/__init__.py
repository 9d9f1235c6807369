"""Who a service is for: the conditions schema, the facts it reads and the evaluator.

- ``lifecycle.eligibility.facts``: ``FACTS`` (one definition of each fact) and vocabularies.
- ``lifecycle.eligibility.conditions``: ``Conditions``, ``parse_conditions`` (the one
  validator shared by the catalog loader, the admin editor and the import),
  ``ConditionError``.
- ``lifecycle.eligibility.evaluate``: ``evaluate`` → ``Verdict`` (eligible / not_eligible
  with the failing ``Check`` / unknown with the missing facts).
- ``lifecycle.eligibility.gate``: ``eligible_candidates`` → ``Gate``, the hard filter the
  recommendation ranking applies before blending.
- ``lifecycle.eligibility.words``: ``clauses`` (conditions as message keys for the web app).
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
from lifecycle.eligibility.gate import Gate, ServiceConditions, eligible_candidates
from lifecycle.eligibility.words import Clause, clauses

__all__ = [
    "ELIGIBLE",
    "FACTS",
    "NOT_ELIGIBLE",
    "UNKNOWN",
    "Check",
    "Clause",
    "Gate",
    "ServiceConditions",
    "clauses",
    "eligible_candidates",
    "ConditionError",
    "Conditions",
    "FactInfo",
    "MemberCondition",
    "Verdict",
    "evaluate",
    "parse_conditions",
]
