"""A citizen (李明), his father (张父) with his own account, linked by an accepted invitation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

TODAY = date(2026, 11, 30)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("webapp.core.clock.local_today", lambda: TODAY)


@dataclass
class Family:
    son: object
    father: object
    member_id: int
    son_h: dict
    father_h: dict


@pytest.fixture
def family(factories, client):
    son = factories.citizen(full_name="李明")
    father = factories.citizen(
        birth_date=date(1975, 2, 1), full_name="张父", id_card={"issued_on": date(2007, 1, 20)}
    )
    member_id = factories.member(son, "parent", "张父", date(1975, 2, 1))
    son_h, father_h = factories.token(client, son), factories.token(client, father)
    invited = client.post(f"/api/v1/me/household/{member_id}/invitation", headers=son_h)
    assert invited.status_code == 201, invited.json
    accepted = client.post(f"/api/v1/invitations/{invited.json['token']}/accept", headers=father_h)
    assert accepted.status_code == 200, accepted.json
    return Family(son, father, member_id, son_h, father_h)


def grant(client, fam, scopes, valid_until=None, elder_mode=False) -> int:
    body = {"grantee_account_id": fam.son.id, "scopes": scopes, "elder_mode": elder_mode}
    if valid_until:
        body["valid_until"] = valid_until.isoformat()
    response = client.post("/api/v1/me/mandates", json=body, headers=fam.father_h)
    # 201: a new mandate; 200: the holder's mandate from this member, changed.
    assert response.status_code in (200, 201), response.json
    return response.json["id"]
