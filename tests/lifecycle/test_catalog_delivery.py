"""How a service is done comes from the catalog data, with a default from online_level."""

from __future__ import annotations

from lifecycle.catalog.loader import load_catalog


def _service(code: str):
    catalog = load_catalog()
    services = catalog.services
    return (
        services[code]
        if isinstance(services, dict)
        else next(s for s in services if s.code == code)
    )


def test_channel_given_in_the_data_wins():
    service = _service("birth_medical_certificate_issuance")
    assert service.online_level == 3 and service.delivery == "in_person"
    assert service.fee["en"] == "Free of charge" and service.fee["zh_Hant"] == "免費"


def test_delivery_defaults_from_the_online_level():
    service = _service("name_duplication_query")
    expected = {4: "online", 3: "both"}.get(service.online_level, "in_person")
    assert service.channel == "" and service.delivery == expected
