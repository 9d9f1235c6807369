"""Once a household entry is linked to the member's own account, the typed copy produces no
duties on the citizen's page (the member's own profile has them); unlinking restores it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select


def _typed_duties(app, member_id: int) -> list[tuple[str, str]]:
    from webapp.core.db import db
    from webapp.models import Duty

    with app.app_context():
        return [
            (d.rule, d.status)
            for d in db.session.scalars(
                select(Duty).where(Duty.subject_kind == "household", Duty.subject_id == member_id)
            )
        ]


def _setup(app, client, factories):
    from webapp.core.db import db
    from webapp.privacy.consents import set_consents

    son = factories.citizen(full_name="李明")
    father = factories.citizen(
        birth_date=date(1975, 2, 1), full_name="张父", id_card={"issued_on": date(2007, 1, 20)}
    )
    with app.app_context():
        set_consents(db.session, son.id, {"household_data": True})
        db.session.commit()
    member_id = factories.member(
        son, "parent", "张父", date(1975, 2, 1), id_card_issued_on=date(2007, 1, 20)
    )
    son_h, father_h = factories.token(client, son), factories.token(client, father)
    return son, father, member_id, son_h, father_h


def test_linked_entry_no_longer_duplicates_the_members_own_duties(app, client, factories):
    """《居民身份证法》第五条: the father's ID-card renewal is his own duty once he is linked;
    the typed copy on the son's page does not repeat it."""
    son, father, member_id, son_h, father_h = _setup(app, client, factories)
    before = _typed_duties(app, member_id)
    assert any(status == "open" for _rule, status in before), before
    token = client.post(f"/api/v1/me/household/{member_id}/invitation", headers=son_h).json["token"]
    assert client.post(f"/api/v1/invitations/{token}/accept", headers=father_h).status_code == 200
    after = _typed_duties(app, member_id)
    assert after and all(status == "retired" for _rule, status in after), after
    own = client.get("/api/v1/me/duties", headers=father_h).json
    assert own["items"], "the father's own profile still has his duties"
    page_duties = client.get("/api/v1/me/duties", headers=son_h).json["items"]
    assert not any(d["subject"]["id"] == member_id for d in page_duties), page_duties


def test_unlinking_restores_the_typed_copy(app, client, factories):
    son, father, member_id, son_h, father_h = _setup(app, client, factories)
    token = client.post(f"/api/v1/me/household/{member_id}/invitation", headers=son_h).json["token"]
    client.post(f"/api/v1/invitations/{token}/accept", headers=father_h)
    response = client.delete(f"/api/v1/me/household/{member_id}/link", headers=father_h)
    assert response.status_code in (200, 204), response.json
    restored = _typed_duties(app, member_id)
    assert any(status == "open" for _rule, status in restored), restored
