"""The service catalog (政务服务事项), life-event bundles (一件事), published holiday
calendars, and their loaders."""

from lifecycle.catalog.holidays import load_holiday_calendars, parse_holiday_calendar
from lifecycle.catalog.loader import (
    CITIZEN_LIFE_EVENTS,
    DATA_DIR,
    ENTERPRISE_LIFE_EVENTS,
    LIFE_EVENTS,
    Bundle,
    Catalog,
    CatalogError,
    Department,
    Material,
    Service,
    dump_catalog,
    load_catalog,
    merged_materials,
)

__all__ = [
    "CITIZEN_LIFE_EVENTS",
    "DATA_DIR",
    "ENTERPRISE_LIFE_EVENTS",
    "LIFE_EVENTS",
    "Bundle",
    "Catalog",
    "CatalogError",
    "Department",
    "Material",
    "Service",
    "dump_catalog",
    "load_catalog",
    "load_holiday_calendars",
    "parse_holiday_calendar",
    "merged_materials",
]
