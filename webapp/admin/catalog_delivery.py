"""How a catalog service is done, as admins edit it: the channel (online, in person, both;
empty = what the online level implies), the online application's own address, the office
(where and when to go) and the fee, each text in 简体 and English (繁體 converted when
empty). The same rules as the catalog files' loader (``lifecycle.catalog.loader``), so an
exported catalog imports again: an ``https://`` application address, both languages."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from lifecycle import catalog as lc
from webapp.catalog.models import Service
from webapp.core.i18n import with_traditional
from webapp.core.service_errors import ServiceError

TEXTS = ("office", "fee")
LOCALES = ("zh_Hans", "zh_Hant", "en")


def implied_delivery(online_level: int) -> str:
    """What the online level implies (the catalog model's one definition)."""
    return lc.Service("x", {}, {}, "x", "citizen", (), (), (), online_level, "").delivery


def channel_of(service: Service) -> str:
    """The explicit channel, or "" where it is what the online level implies."""
    return "" if service.delivery == implied_delivery(service.online_level) else service.delivery


def local_text(prefix: str, value: dict[str, str | None] | None) -> dict[str, str] | None:
    """A {zh_Hans, zh_Hant?, en} text from the editor: None when all empty; 简体 and English
    both needed otherwise (an empty 繁體 is converted from 简体)."""
    value = {k: (v or "").strip() for k, v in (value or {}).items()}
    if not any(value.values()):
        return None
    missing = [loc for loc in ("zh_Hans", "en") if not value.get(loc)]
    if missing:
        raise ServiceError(
            "missing_language",
            _("Give this text in 简体 and English, or leave all its languages empty."),
            f"{prefix}_{missing[0]}",
        )
    out = {"zh_Hans": value["zh_Hans"], "en": value["en"]}
    if value.get("zh_Hant"):
        out["zh_Hant"] = value["zh_Hant"]
    return with_traditional(out)


def check_apply_url(url: str | None) -> str | None:
    """An https address (the schema refuses other schemes and control characters too)."""
    url = (url or "").strip() or None
    if url is not None and not (url.startswith("https://") and len(url) > len("https://")):
        raise ServiceError(
            "bad_apply_url", _("The application address must start with https://."), "apply_url"
        )
    return url


def apply_delivery(
    row: Service,
    channel: str,
    apply_url: str | None,
    office: dict[str, str] | None,
    fee: dict[str, str] | None,
) -> None:
    row.delivery = channel or implied_delivery(row.online_level)
    row.apply_url = apply_url
    row.office = office
    row.fee = fee


def delivery_dict(service: Service) -> dict[str, Any]:
    return {
        "channel": channel_of(service),
        "delivery": service.delivery,
        "apply_url": service.apply_url,
        "office": dict(service.office) if service.office else None,
        "fee": dict(service.fee) if service.fee else None,
    }


def delivery_form_values(service: Service) -> dict[str, str]:
    out = {"channel": channel_of(service), "apply_url": service.apply_url or ""}
    for prefix in TEXTS:
        value = getattr(service, prefix) or {}
        out.update({f"{prefix}_{loc}": value.get(loc, "") for loc in LOCALES})
    return out
