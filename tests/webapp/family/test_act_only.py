"""A holder who may only act ('act' without 'view') sees the duties they act on — in the
browser and in the API — but not the rest of the member's page; each view is logged."""

from __future__ import annotations

import re

from tests.webapp.family.conftest import grant


def _father_duty_id(client, family) -> int:
    rows = client.get("/api/v1/me/duties", headers=family.father_h).json["items"]
    return next(d["id"] for d in rows if d["subject"]["kind"] == "self")


def _log(client, family) -> list[str]:
    rows = client.get("/api/v1/me/access-log", headers=family.father_h).json["items"]
    return [r["what"] for r in rows]


def test_act_only_opens_the_duty_list_and_acts_from_it(app, client, factories, family):
    grant(client, family, ["act"])
    son_c = app.test_client()
    factories.login(son_c, family.son)
    duty_id = _father_duty_id(client, family)
    family_page = son_c.get("/family/").text  # the way there
    assert f'href="/family/as/{family.father.id}"' in family_page
    page = son_c.get(f"/family/as/{family.father.id}")
    assert page.status_code == 200
    assert f'data-testid="as-done-{duty_id}"' in page.text
    assert 'data-testid="act-only"' in page.text
    assert 'class="timeline-card"' not in page.text  # the rest of the page needs 'view'
    assert "family_view" in _log(client, family)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    done = son_c.post(
        f"/family/as/{family.father.id}/duties/{duty_id}/done",
        data={"csrf_token": token},
        follow_redirects=True,
    )
    assert done.status_code == 200 and f'data-testid="act-duty-{duty_id}"' not in done.text
    assert "family_done" in _log(client, family)


def test_act_only_lists_the_duties_in_the_api_but_not_the_page(client, family):
    grant(client, family, ["act"])
    headers = {**family.son_h, "Act-As": str(family.father.id)}
    listed = client.get("/api/v1/me/duties", headers=headers)
    assert listed.status_code == 200 and listed.headers["Acting-For"] == str(family.father.id)
    own = client.get("/api/v1/me/duties", headers=family.father_h).json["items"]
    assert [d["id"] for d in listed.json["items"]] == [d["id"] for d in own]
    assert client.get("/api/v1/me/page", headers=headers).status_code == 404
    assert client.get("/api/v1/me", headers=headers).status_code == 404
    assert _log(client, family).count("family_view") == 1


def test_the_reminders_scope_alone_still_opens_nothing(app, client, factories, family):
    grant(client, family, ["reminders"])
    son_c = app.test_client()
    factories.login(son_c, family.son)
    assert son_c.get(f"/family/as/{family.father.id}").status_code == 404
    headers = {**family.son_h, "Act-As": str(family.father.id)}
    assert client.get("/api/v1/me/duties", headers=headers).status_code == 404
    assert not [w for w in _log(client, family) if w.startswith("family_")]
