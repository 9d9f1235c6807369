"""Single-line text fields (names, titles) refuse line breaks and control characters: a
household name with a line break once ended up in an e-mail Subject and stopped all mail."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError

from webapp.core.schemas import SingleLine


class _Named(BaseModel):
    name: SingleLine


@pytest.mark.parametrize("bad", ["a\nb", "a\rb", "a\tb", "a\x00b", "a\x7fb", "a\u2028b", "a\x85b"])
def test_single_line_refuses_control_characters(bad):
    with pytest.raises(ValidationError) as info:
        _Named(name=bad)
    assert info.value.errors()[0]["type"] == "control_characters"


def test_single_line_keeps_ordinary_text():
    assert _Named(name="李 小明 O'Neil-Ågren").name == "李 小明 O'Neil-Ågren"


def test_household_name_with_a_line_break_is_422_in_the_api(client, factories, citizen):
    headers = factories.token(client, citizen)
    response = client.post(
        "/api/v1/me/household",
        json={
            "relation": "child",
            "name": "小明\nBcc: x@evil.test",
            "birth_date": "2022-01-01",
            "guardian_consent": True,
        },
        headers=headers,
    )
    assert response.status_code == 422
    assert "name" in response.json["error"]["fields"]


def test_household_name_with_a_line_break_is_a_form_message(citizen_client):
    response = citizen_client.post(
        "/settings/household",
        data={
            "relation": "child",
            "name": "小明\r\n抄送",
            "birth_date": "2022-01-01",
            "guardian_consent": "on",
        },
    )
    assert response.status_code == 422
    assert "without line breaks" in response.get_data(as_text=True) or "换行" in response.get_data(
        as_text=True
    )


def test_profile_full_name_and_enterprise_name_are_single_line(client, factories, citizen):
    headers = factories.token(client, citizen)
    response = client.put(
        "/api/v1/me/profile",
        json={"birth_date": "1988-06-18", "full_name": "李\x00明"},
        headers=headers,
    )
    assert response.status_code == 422
    from webapp.enterprise.schemas import EnterpriseIn

    with pytest.raises(ValidationError):
        EnterpriseIn.model_validate(
            {
                "credit_code": "x",
                "name": "ACME\nLtd",
                "established_on": "2020-01-01",
                "region_code": "440106",
            }
        )
