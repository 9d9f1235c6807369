"""The personal page's HTML: the stable parts rendered once per page-model key.

The stage card, the timeline and the stable widgets are rendered when the page model is
built and kept beside it (per process, per account), keyed by the model's key, the
session's CSRF token (their forms carry it) and the address; only the live widgets and
the frame are rendered at each view.
"""

from __future__ import annotations

from flask import current_app, g, get_template_attribute, render_template, request, session
from flask_babel import gettext as _
from markupsafe import Markup

from webapp.page import widgets
from webapp.page.page_model import page_cache
from webapp.page.timeline import timeline_view


def _widget_html(template: str, item: dict) -> Markup:
    # The request's globals only: the full context processors (navigation, badges) run
    # once, for the frame.
    return Markup(
        current_app.jinja_env.get_template(template).render(
            w=item, data=item["content"], request=request, session=session, g=g
        )
    )


def _stable_parts(data: dict, templates: dict[str, str]) -> dict[str, Markup]:
    stage_card = get_template_attribute("page/_macros.html", "stage_card")
    timeline_list = get_template_attribute("page/_macros.html", "timeline_list")
    parts = {
        "stage": Markup(stage_card(data["stage"], _("Your life events now"))),
        "timeline": Markup(timeline_list(timeline_view(data["timeline"]))),
    }
    for item in data["widgets"]:
        widget = widgets.get(item["key"])
        if item["visible"] and not widget.live:
            parts[item["key"]] = _widget_html(templates[item["key"]], item)
    return parts


def render_home(account_id: int, data: dict, key: tuple | None) -> str:
    templates = {w.key: w.template_name for w in widgets.registered()}
    cache = page_cache("page_html_cache")
    html_key = (key, session.get("csrf_token"), request.full_path)
    parts = cache.get(account_id, html_key) if key is not None else None
    if parts is None:
        parts = _stable_parts(data, templates)
        if key is not None:
            cache.put(account_id, html_key, parts)
    live = {
        item["key"]: _widget_html(templates[item["key"]], item)
        for item in data["widgets"]
        if item["visible"] and item["key"] not in parts
    }
    return render_template("page/home.html", page=data, parts={**parts, **live})
