"""Deterministic synthetic citizens, enterprises, services and interactions (vectorised).

People use a government portal when something happens in their life. Every synthetic
user has dated life events — a child born on a date, a child turning 3/6/12/15 (school
enrolment), reaching retirement age, a marriage, a move, a job change, a trip, an illness,
a parent's death; for enterprises the founding, licence renewals, the annual report
season, changes, investments, deregistration. Each event opens a *need window* around its
date in which the user is much more active and mostly uses the event's services (a small
bundle of services dominates each event). Between events, usage follows ongoing stages
(work, chronic care, school-age children), a personal interest theme (hidden from the
features — only the history reveals it), services popular in the region (some services
are local) and globally popular services; dismissals are noise.

Because needs are dated, the future differs from the past: a time split's test period
contains needs the training period did not show. Some of them are predictable from the
profile (a child's birthday, the retirement age, licence renewals, the annual report
season) — what a life-cycle signal for *upcoming* events knows and popularity does not;
others (a marriage, an illness) are known only once they happened.

``SyntheticData.user_features(as_of)`` and ``SyntheticData.lifecycle(as_of)`` describe the
users as known on a date (features as the model sees them; current and upcoming life
events as the life-cycle module would report them). Everything is derived from ``seed``;
the same seed gives the same data.
"""

from recommender.synthetic.interactions import SyntheticData, synthetic_data
from recommender.synthetic.items import catalog_features, synthetic_items
from recommender.synthetic.population import SyntheticUser
from recommender.synthetic.vocabulary import (
    CITIZEN_EVENTS,
    CITIZEN_THEMES,
    ENTERPRISE_EVENTS,
    ENTERPRISE_THEMES,
    EPISODE_KINDS,
    EPISODES,
    REGIONS,
)

__all__ = [
    "CITIZEN_EVENTS",
    "CITIZEN_THEMES",
    "ENTERPRISE_EVENTS",
    "ENTERPRISE_THEMES",
    "EPISODE_KINDS",
    "EPISODES",
    "REGIONS",
    "SyntheticData",
    "SyntheticUser",
    "catalog_features",
    "synthetic_data",
    "synthetic_items",
]
