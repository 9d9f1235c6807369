"""The recommend feature's one entry point: ``recommend(session, subject, today, limit,
exclude) -> Ranking``.

The citizen widget, the enterprise page, the admin sandbox, the privacy explanation and
the API all call it and read the same frozen dataclasses. No presentation here: titles
and reason texts stay localised mappings (``{"zh_Hans": …, "en": …}``) that the view
renders in the reader's locale; links are built by the templates.

A recommender failure is logged and answered with an empty ``Ranking`` whose
``available`` is false, so the page says truthfully that recommendations are
temporarily unavailable.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from recommender.blend import BlendParams
from recommender.rules import Rule
from webapp.recommend import context as rec_context
from webapp.recommend import recommendations
from webapp.recommend.results import UNAVAILABLE, Ranking

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CitizenSubject:
    """A citizen; ``rows`` are the rows a page view already loaded (optional)."""

    account: object
    rows: rec_context.CitizenRows | None = field(default=None, compare=False)


@dataclass(frozen=True)
class EnterpriseSubject:
    """An enterprise, seen by ``viewer`` (the member looking; their consents apply)."""

    enterprise: object
    viewer: object | None = None


Subject = CitizenSubject | EnterpriseSubject


def _context(session: Session, subject: Subject, today: date, index):
    if isinstance(subject, EnterpriseSubject):
        return rec_context.enterprise_context(
            session, subject.enterprise, today, index, account=subject.viewer
        )
    if subject.rows is not None:
        return rec_context.build_citizen_context(subject.rows, today, index)
    return rec_context.citizen_context(session, subject.account, today, index)


def recommend(
    session: Session,
    subject: Subject,
    today: date,
    limit: int = 10,
    exclude: Iterable[str] = (),
    *,
    rules: list[Rule] | tuple[Rule, ...] | None = None,
    params: BlendParams | None = None,
) -> Ranking:
    """The subject's ranked services with reasons; ``exclude`` names codes never to show.

    ``rules``/``params`` replace the published rules and blend parameters (the admin
    sandbox's "after"); by default the current rule version applies.
    """
    try:
        index = recommendations.serving_state().get_catalog(session).index
        ctx = _context(session, subject, today, index)
        ctx.dismissed |= set(exclude)
        return recommendations.rank(session, ctx, today, limit, rules=rules, params=params)
    except Exception:  # the page stands without recommendations; the log has the cause
        log.exception("ranking failed for %r", subject)
        return UNAVAILABLE
