"""Header and settings links contributed by each area, so areas do not edit the layout.

For example ``register_nav("page.home", lambda: _("My page"), order=10, roles=("citizen",))``
or ``register_settings("privacy.index", lambda: _("Privacy centre"), order=50)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, url_for
from flask_login import current_user


@dataclass(frozen=True)
class Link:
    endpoint: str
    label: Callable[[], str]
    order: int
    roles: tuple[str, ...]
    badge: Callable[[], int] | None = None


_nav: list[Link] = []
_settings: list[Link] = []


def register_nav(
    endpoint, label, order=50, roles=("citizen", "business", "admin"), badge=None
) -> None:
    if all(link.endpoint != endpoint for link in _nav):
        _nav.append(Link(endpoint, label, order, tuple(roles), badge))


def register_settings(endpoint, label, order=50, roles=("citizen", "business", "admin")) -> None:
    if all(link.endpoint != endpoint for link in _settings):
        _settings.append(Link(endpoint, label, order, tuple(roles)))


def _items(links: list[Link]) -> list[dict]:
    if not current_user.is_authenticated:
        return []
    out = []
    for link in sorted(links, key=lambda item: item.order):
        if current_user.role not in link.roles:
            continue
        badge = link.badge() if link.badge else None
        out.append(
            {
                "url": url_for(link.endpoint),
                "label": link.label(),
                "badge": badge,
                "endpoint": link.endpoint,
            }
        )
    return out


def init_app(app: Flask) -> None:
    @app.context_processor
    def _navigation():
        return {"nav_items": _items(_nav), "settings_items": _items(_settings)}
