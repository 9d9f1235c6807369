"""Template filters and labels shared by every page."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _


def online_level_label(level: int) -> str:
    return {
        1: _("At the service counter"),
        2: _("Book online, then visit once"),
        3: _("Apply online, visit once"),
        4: _("Fully online"),
    }.get(level, "")


def audience_label(audience: str) -> str:
    return {
        "citizen": _("Citizens"),
        "enterprise": _("Enterprises"),
        "both": _("Citizens and enterprises"),
    }.get(audience, audience)


def permit_kinds() -> dict[str, str]:
    return {
        "food_business_license": _("Food business licence"),
        "drug_business_license": _("Drug business licence"),
        "construction_permit": _("Construction permit"),
        "road_transport_permit": _("Road transport permit"),
        "other": _("Other permit"),
    }


def industry_options() -> list[tuple[str, str]]:
    return [
        ("catering", _("Catering")),
        ("retail", _("Retail")),
        ("wholesale", _("Wholesale")),
        ("manufacturing", _("Manufacturing")),
        ("software", _("Software and IT")),
        ("construction", _("Construction")),
        ("logistics", _("Logistics")),
        ("education", _("Education")),
        ("healthcare", _("Healthcare")),
        ("finance", _("Finance")),
        ("agriculture", _("Agriculture")),
        ("hospitality", _("Hospitality")),
        ("other", _("Other")),
    ]


def init_app(app: Flask) -> None:
    app.jinja_env.filters["format_date_iso"] = lambda d: d.isoformat() if d else ""
    app.jinja_env.filters["format_date"] = lambda d, fmt="medium": (
        format_date(d, fmt) if isinstance(d, date) else ""
    )
    app.jinja_env.filters["format_datetime"] = lambda d, fmt="medium": (
        format_datetime(d, fmt) if isinstance(d, datetime) else ""
    )
    app.jinja_env.globals.update(
        online_level_label=online_level_label, audience_label=audience_label
    )

    @app.context_processor
    def _labels():
        return {"permit_kinds": permit_kinds(), "industry_options": industry_options()}
