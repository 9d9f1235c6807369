"""One-line test data: factories.citizen(), factories.business(), factories.token(account)."""

from __future__ import annotations

import itertools
from datetime import date

from lifecycle.identifiers import make_credit_code

PASSWORD = "correct-horse-battery"
_seq = itertools.count(1)


class Factories:
    def __init__(self, app):
        self.app = app

    def _tx(self):
        from webapp.core.db import db

        return db.transaction()

    def account(
        self,
        role: str = "citizen",
        email: str | None = None,
        password: str = PASSWORD,
        locale: str = "zh_Hans",
    ):
        from webapp.accounts import services as accounts
        from webapp.core.model_base import utcnow

        email = email or f"user{next(_seq)}@example.test"
        with self.app.app_context(), self._tx() as session:
            account = accounts.create_account(
                session, email, password, "business" if role == "business" else "citizen", locale
            )
            account.role = role
            account.email_verified_at = account.created_at or utcnow()
            session.flush()
            session.expunge(account)
        account.password = password
        return account

    def citizen(self, birth_date: date | None = date(1988, 6, 18), **profile):
        from webapp.people import services as profiles
        from webapp.people.schemas import ProfileIn

        account = self.account("citizen")
        data = {
            "birth_date": birth_date,
            "gender": "male",
            "region_code": "440106",
            "retirement_category": "male",
        }
        data.update(profile)
        with self.app.app_context(), self._tx() as session:
            acc = session.merge(account)
            profiles.replace_profile(session, acc, ProfileIn.model_validate(data))
        return account

    def member(
        self,
        account,
        relation: str = "child",
        name: str = "小明",
        birth_date: date = date(2021, 5, 1),
        **extra,
    ):
        from webapp.people import services as profiles
        from webapp.people.household_schemas import HouseholdIn

        with self.app.app_context(), self._tx() as session:
            acc = session.merge(account)
            member = profiles.add_member(
                session,
                acc,
                HouseholdIn(
                    relation=relation,
                    name=name,
                    birth_date=birth_date,
                    guardian_consent=True,
                    **extra,
                ),
            )
            session.flush()
            member_id = member.id
        return member_id

    def business(self, credit_code: str | None = None, **enterprise):
        from webapp.enterprise import services as enterprises
        from webapp.enterprise.schemas import EnterpriseIn

        account = self.account("business")
        code = credit_code or self.credit_code()
        data = {
            "credit_code": code,
            "name": f"测试企业{next(_seq)}有限公司",
            "established_on": date(2021, 4, 16),
            "industry": "catering",
            "size": "small",
            "region_code": "440104",
        }
        data.update(enterprise)
        with self.app.app_context(), self._tx() as session:
            acc = session.merge(account)
            enterprises.register_verified(session, acc, EnterpriseIn.model_validate(data), "demo")
        account.credit_code = code
        return account

    @staticmethod
    def credit_code() -> str:
        return make_credit_code(f"91440101MA{next(_seq):07d}")

    def login(self, client, account, password: str | None = None):
        response = client.post(
            "/login", data={"email": account.email, "password": password or account.password}
        )
        assert response.status_code == 302, response.data[:500]
        return response

    def token(self, client, account) -> dict:
        response = client.post(
            "/api/v1/tokens", json={"email": account.email, "password": account.password}
        )
        assert response.status_code == 201, response.json
        return {"Authorization": f"Bearer {response.json['token']}"}


def mailed_messages(app, to: str | None = None) -> list:
    """The messages written to instance/outbox.log (no SMTP_URL), oldest first."""
    import email
    from email import policy
    from pathlib import Path

    log = Path(app.config["INSTANCE_PATH"]) / "outbox.log"
    if not log.exists():
        return []
    out = []
    for chunk in log.read_text(encoding="utf-8").split("\n" + "=" * 72 + "\n"):
        if chunk.strip():
            msg = email.message_from_string(chunk, policy=policy.default)
            if to is None or str(msg["To"]).lower() == to.lower():
                out.append(msg)
    return out


def mailed_link(app, to: str, prefix: str) -> str | None:
    """The path of the newest link starting with ``prefix`` mailed to ``to``."""
    import re

    for msg in reversed(mailed_messages(app, to)):
        text = msg.get_body(("plain",)).get_content()
        found = re.search(r"https?://[^/\s]+(" + re.escape(prefix) + r"[^\s]*)", text)
        if found:
            return found.group(1)
    return None
