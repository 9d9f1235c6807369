"""The life-cycle stage and the life-event timeline as the page shows them."""

from __future__ import annotations

from webapp.core.i18n import localized
from webapp.page import widgets

# ---------------------------------------------------------------- stage and timeline


def _fact_dict(fact) -> dict:
    return {
        "event": fact.event,
        "event_name": widgets.event_name(fact.event),
        "subject": fact.subject_name,
        "subject_key": fact.subject_key,
        "on": fact.on,
        "reason": widgets.localise_dates(localized(fact.reason)),
    }


def stage_dict(stage) -> dict:
    if stage is None:
        return {"words": "", "events": [], "current": [], "upcoming": []}
    return {
        "words": " · ".join(widgets.event_name(e) for e in stage.current_events),
        "events": list(stage.current_events),
        "upcoming_words": " · ".join(widgets.event_name(e) for e in stage.upcoming_events),
        "current": [_fact_dict(f) for f in stage.current],
        "upcoming": [_fact_dict(f) for f in stage.upcoming],
    }


def timeline_dicts(entries) -> list[dict]:
    return [
        {
            "on": e.on,
            "event": e.event,
            "event_name": widgets.event_name(e.event),
            "subject": e.subject_name,
            "subject_key": e.subject_key,
            "text": widgets.localise_dates(localized(e.text)),
            "status": e.status,
        }
        for e in entries
    ]


def timeline_view(entries: list[dict], past: int = 4, future: int = 8) -> dict:
    """The timeline as the page shows it: the latest past entries, now, and what comes."""
    return {
        "past": [e for e in entries if e["status"] == "past"][-past:],
        "current": [e for e in entries if e["status"] == "current"],
        "future": [e for e in entries if e["status"] == "future"][:future],
        "total": len(entries),
    }
