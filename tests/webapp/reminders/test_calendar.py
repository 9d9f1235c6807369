"""The calendar feed: secret URL, valid iCalendar, the user's, household's and
enterprises' open duties with alarms at the lead times, rotation, no leaks."""

from __future__ import annotations

from datetime import date, timedelta

from icalendar import Calendar
from sqlalchemy import select

from tests.webapp.reminders.test_reminders import make_duty

DUE = date(2027, 3, 1)


def _enterprise_id(app, account) -> int:
    from webapp.core.db import db
    from webapp.models import Membership

    with app.app_context(), db.transaction() as session:
        return session.scalar(
            select(Membership.enterprise_id).where(Membership.account_id == account.id)
        )


def _feed(client, url: str):
    path = "/" + url.split("/", 3)[3]
    response = client.get(path)
    return response, path


def test_feed_lists_open_duties_of_self_household_and_enterprises(app, factories, client):
    from webapp.core.db import db
    from webapp.models import Duty, Membership

    user = factories.account("citizen")
    business = factories.business()
    enterprise_id = _enterprise_id(app, business)
    with app.app_context(), db.transaction() as session:
        session.add(Membership(account_id=user.id, enterprise_id=enterprise_id, role="staff"))
        session.execute(Duty.__table__.delete())
    own = make_duty(app, user, rule="passport_renewal", due_date=DUE)
    household = make_duty(
        app, user, rule="immunization", due_date=DUE + timedelta(days=3), subject_kind="household"
    )
    firm = make_duty(
        app,
        business,
        rule="annual_report",
        subject_kind="enterprise",
        enterprise_id=enterprise_id,
        due_date=DUE + timedelta(days=9),
    )
    make_duty(app, user, rule="driver_license_renewal", due_date=DUE, status="done")
    stranger = factories.account("citizen")
    make_duty(app, stranger, rule="passport_renewal", due_date=DUE)

    headers = factories.token(client, user)
    url = client.get("/api/v1/me/calendar", headers=headers).json["url"]
    assert url.startswith("http://") and url.endswith(".ics")
    assert client.get("/api/v1/me/calendar", headers=headers).json["url"] == url  # stable
    response, _path = _feed(client, url)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    cal = Calendar.from_ical(response.data)
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {f"duty-{d}@lifepage" for d in (own, household, firm)}
    passport = events[f"duty-{own}@lifepage"]
    assert passport.decoded("dtstart") == DUE
    assert passport.decoded("dtend") == DUE + timedelta(days=1)
    triggers = sorted(a.decoded("trigger") for a in passport.walk("VALARM"))
    # passport_renewal leads: the window (90 days before in the test data) and 30 days.
    assert triggers == [timedelta(days=-90, hours=9), timedelta(days=-30, hours=9)]


def test_rotate_revokes_the_old_url(app, factories, client):
    user = factories.account("citizen")
    headers = factories.token(client, user)
    old = client.get("/api/v1/me/calendar", headers=headers).json["url"]
    new = client.post("/api/v1/me/calendar/rotate", headers=headers).json["url"]
    assert new != old
    assert _feed(client, old)[0].status_code == 404
    assert _feed(client, new)[0].status_code == 200
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    assert client.get("/api/v1/me/calendar").status_code == 401


def test_rotate_from_the_settings_page(app, factories, client):
    user = factories.account("citizen")
    factories.login(client, user)
    page = client.get("/settings/notifications")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    start = html.index('id="calendar-url"')
    old = html[html.index('value="', start) + 7 :].split('"', 1)[0]
    assert _feed(client, old)[0].status_code == 200
    response = client.post("/settings/notifications/calendar/rotate")
    assert response.status_code == 302
    assert _feed(client, old)[0].status_code == 404


def test_feed_of_a_user_without_duties_is_still_valid(app, factories, client):
    user = factories.account("citizen")
    headers = factories.token(client, user)
    url = client.get("/api/v1/me/calendar", headers=headers).json["url"]
    cal = Calendar.from_ical(_feed(client, url)[0].data)
    assert cal.walk("VEVENT") == []
    assert str(cal["version"]) == "2.0"


def test_event_title_names_the_person_once_in_the_locale(app):
    from webapp.reminders.calendar import event_title

    with app.test_request_context():
        assert event_title("广州味道餐饮有限公司", "广州味道餐饮有限公司：年度报告", "zh_Hans") == (
            "广州味道餐饮有限公司：年度报告"
        )
        assert event_title("王小明", "护照换发", "zh_Hans") == "王小明：护照换发"
        assert event_title("李建国", "护照换发", "zh_Hant") == "李建國：护照换发"
        assert event_title("", "Renew your passport", "en") == "Renew your passport"


def test_calendar_is_named_in_the_account_language(app, factories, client):
    user = factories.account("citizen")
    headers = factories.token(client, user)
    url = client.get("/api/v1/me/calendar", headers=headers).json["url"]
    response, _path = _feed(client, url)
    cal = Calendar.from_ical(response.data)
    assert str(cal["x-wr-calname"]) == "专属网页"
