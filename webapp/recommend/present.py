"""A ``Ranking`` as the views show it: texts in the reader's locale, JSON-able.

The one rendering of recommendations for the personal page, the enterprise page, the
admin sandbox and the API; links are built by the templates from the service code.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _

from webapp.core.i18n import localized
from webapp.recommend.results import RankedService, Ranking, Reason


def _same(text: str) -> str:
    return text


def reason_view(reason: Reason, locale: str | None = None, text=_same) -> dict:
    return {
        "kind": reason.kind,
        "text": text(localized(reason.text, locale)),
        "source": reason.source,
    }


def item_view(
    item: RankedService, locale: str | None = None, text: Callable[[str], str] = _same
) -> dict:
    return {
        "service_code": item.service_code,
        "title": localized(item.title, locale) or item.service_code,
        "score": item.score,
        "source": item.source,
        "eligibility": item.eligibility,
        "reasons": [reason_view(r, locale, text) for r in item.reasons],
    }


def unavailable_note() -> str:
    return _("Recommendations are temporarily unavailable. Please try again later.")


def ranking_view(
    ranking: Ranking, locale: str | None = None, text: Callable[[str], str] = _same
) -> dict:
    """``text`` post-processes reason texts (the pages write dates in the reader's locale)."""
    return {
        "available": ranking.available,
        "personalized": ranking.personalized,
        "model_version": ranking.model_version,
        "note": "" if ranking.available else unavailable_note(),
        "items": [item_view(i, locale, text) for i in ranking.items],
    }
