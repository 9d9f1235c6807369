"""The personal page's HTML, kept per page-model key: only what changes is rendered.

The whole page (frame and navigation included: the unread badge follows the data
version) is rendered once for a key made of the page model's key, the person's activity
version (their recent actions), the role, the session's CSRF token (the page's forms
carry it) and the address, with a mark where each widget loaded at every view goes; a
view fills the marks. A view with a flashed message, or of a model that could not be
cached, is rendered whole.
"""

from __future__ import annotations

from flask import current_app, g, render_template, request, session
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from webapp.page import page_model, widgets
from webapp.page.timeline import timeline_view


def _widget_html(template: str, item: dict) -> Markup:
    # The request's globals only: the context processors (navigation, badges) run once,
    # for the frame.
    return Markup(
        current_app.jinja_env.get_template(template).render(
            w=item, data=item["content"], request=request, session=session, g=g
        )
    )


def _mark(key: str) -> Markup:
    return Markup(f"<!--live:{key}-->")


def _parts(data: dict, marks: bool) -> dict[str, Markup]:
    out = {}
    for item in data["widgets"]:
        if not item["visible"]:
            continue
        widget = widgets.get(item["key"])
        if marks and widget.cache == "none":
            out[item["key"]] = _mark(item["key"])
        else:
            out[item["key"]] = _widget_html(widget.template_name, item)
    return out


def widget_parts(data: dict) -> dict[str, Markup]:
    """Each visible widget of a built page as HTML (pages that show a page's widgets
    outside the personal page, such as the family's view-as)."""
    return _parts(data, marks=False)


def _fill(frame: str, data: dict) -> str:
    for item in data["widgets"]:
        widget = widgets.get(item["key"])
        if item["visible"] and widget.cache == "none":
            frame = frame.replace(_mark(item["key"]), _widget_html(widget.template_name, item), 1)
    return frame


def _page(data: dict, parts: dict) -> str:
    return render_template(
        "page/home.html", page=data, parts=parts, timeline=timeline_view(data["timeline"])
    )


def render_home(db_session, account, today, view: page_model.PageView) -> str:
    cacheable = view.key is not None and not session.get("_flashes")
    if not cacheable:
        data = page_model.page_data(db_session, account, today, view)
        return _page(data, _parts(data, marks=False))
    cache = page_model.page_cache("page_html_cache")
    # One slot per session: the frame embeds the session's CSRF token, so the token must
    # exist before the slot is chosen (a session fresh from sign-in has none yet, and would
    # otherwise be served another session's frame, whose forms it cannot submit).
    generate_csrf()
    slot = (account.id, session["csrf_token"])
    html_key = (view.key, view.activity, account.role, request.full_path)
    frame = cache.get(slot, html_key)
    if frame is None:
        data = page_model.page_data(db_session, account, today, view)
        frame = _page(data, _parts(data, marks=True))
        cache.put(slot, html_key, frame)
        return _fill(frame, data)
    data = page_model.page_data(db_session, account, today, view, load=("none",))
    return _fill(frame, data)
