"""Which life events a person (with their household) or an enterprise is in, and a timeline.

All functions are pure: ``today`` is passed in.

- ``facts``: the typed results (``StageFact``, ``Stage``, ``TimelineEntry``) and shared helpers
- ``person``: ``infer_stage``, one detector per life event, registered in ``DETECTORS``
- ``timeline``: a person's and household's dated milestones
- ``enterprise``: ``enterprise_stage`` and ``enterprise_timeline``
"""

from lifecycle.stage.enterprise import enterprise_stage, enterprise_timeline
from lifecycle.stage.facts import Stage, StageFact, TimelineEntry
from lifecycle.stage.person import DETECTORS, infer_stage
from lifecycle.stage.timeline import timeline

__all__ = [
    "DETECTORS",
    "StageFact",
    "Stage",
    "TimelineEntry",
    "infer_stage",
    "timeline",
    "enterprise_stage",
    "enterprise_timeline",
]
