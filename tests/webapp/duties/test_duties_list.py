"""The duties page is one list by due date by default, filtered by person on request, with
the grouped view kept as an option; the API filters by subject the same way."""

from __future__ import annotations

import re
from datetime import date

import pytest

PROFILE = {"birth_date": date(1988, 6, 18), "gender": "male", "region_code": "440106"}


@pytest.fixture
def family(factories):
    account = factories.citizen(**PROFILE)
    child_id = factories.member(account, "child", "小明", date(2021, 5, 1))
    return account, child_id


def _due_dates(html: str) -> list[str]:
    return re.findall(r'<time datetime="(\d{4}-\d{2}-\d{2})">', html)


def test_default_is_one_list_by_due_date_whoever_it_is_for(app, factories, family):
    account, child_id = family
    client = app.test_client()
    factories.login(client, account)
    html = client.get("/me/duties/?status=all&period=all").get_data(as_text=True)
    dates = _due_dates(html)
    assert len(dates) > 3 and dates == sorted(dates)
    # each card says whose it is; the child's and one's own are interleaved by date
    assert html.count('class="meta whose"') == len(dates)
    assert "小明" in html and 'id="g-household-' not in html


def test_person_filter_shows_only_that_persons_duties(app, factories, family):
    account, child_id = family
    client = app.test_client()
    factories.login(client, account)
    everyone = client.get("/me/duties/?status=all&period=all").get_data(as_text=True)
    assert f"who=household-{child_id}" in everyone
    child = client.get(f"/me/duties/?status=all&period=all&who=household-{child_id}")
    html = child.get_data(as_text=True)
    cards = re.findall(r'<p class="meta whose">[^<]*</p>', html)
    assert cards and all("小明" in c for c in cards)
    assert len(_due_dates(html)) < len(_due_dates(everyone))
    # a malformed filter is ignored; another account's subject simply matches nothing
    assert client.get("/me/duties/?who=<script>").status_code == 200
    assert client.get("/me/duties/?status=all&who=household-999999").status_code == 200


def test_grouped_view_is_still_there(app, factories, family):
    account, child_id = family
    client = app.test_client()
    factories.login(client, account)
    html = client.get("/me/duties/?status=all&period=all&view=groups").get_data(as_text=True)
    assert f'id="g-household-{child_id}"' in html and 'id="g-self-' in html


def test_actions_return_to_the_same_view_and_filter(app, factories, family):
    account, child_id = family
    client = app.test_client()
    factories.login(client, account)
    html = client.get(f"/me/duties/?who=household-{child_id}&period=all").get_data(as_text=True)
    duty_id = re.search(r'action="/me/duties/(\d+)/done"', html).group(1)
    assert f'name="who" value="household-{child_id}"' in html
    response = client.post(
        f"/me/duties/{duty_id}/done", data={"who": f"household-{child_id}", "period": "all"}
    )
    assert response.status_code == 302
    assert f"who=household-{child_id}" in response.headers["Location"]


def test_api_filters_by_subject(app, factories, family):
    account, child_id = family
    client = app.test_client()
    headers = factories.token(client, account)
    items = client.get(
        f"/api/v1/me/duties?status=all&subject=household-{child_id}", headers=headers
    ).json["items"]
    assert items and all(d["subject"]["id"] == child_id for d in items)
    bad = client.get("/api/v1/me/duties?subject=nobody", headers=headers)
    assert bad.status_code in (400, 422)
