"""Duty titles are stored in their parts: the full title names whose duty it is, the task
alone is kept beside it for that subject's own page (no string editing of titles)."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from webapp.core.clock import local_today


def test_household_duty_keeps_its_task_beside_the_title(app, factories):
    """Birth registration within one month of birth (户口登记条例 第七条)."""
    from webapp.core.db import db
    from webapp.models import Duty

    citizen = factories.citizen()
    factories.member(citizen, "child", "小宝", local_today() - timedelta(days=3))
    with app.app_context():
        duty = db.session.scalar(
            select(Duty).where(
                Duty.owner_account_id == citizen.id, Duty.rule == "newborn_registration"
            )
        )
        assert duty.title["zh_Hans"] == "小宝的出生登记"
        assert duty.task == {"zh_Hans": "出生登记", "en": "Birth registration"}


def test_enterprise_page_shows_the_task_without_the_enterprise_name(app, factories):
    from webapp.core.db import db
    from webapp.models import Duty, Enterprise

    owner = factories.business()
    client = app.test_client()
    factories.login(client, owner)
    with app.app_context():
        enterprise = db.session.scalar(
            select(Enterprise).where(Enterprise.credit_code == owner.credit_code)
        )
        duty = db.session.scalar(
            select(Duty).where(Duty.enterprise_id == enterprise.id).order_by(Duty.due_date)
        )
        name, task = enterprise.name, duty.task["zh_Hans"]
    assert duty.title["zh_Hans"] == f"{name}：{task}"
    html = client.get(f"/enterprises/{owner.credit_code}").get_data(as_text=True)
    # the duty list names the task alone (the page is the enterprise's own)
    assert re.search(r'class="item-title">(<a [^>]*>)?' + re.escape(task) + "<", html)
