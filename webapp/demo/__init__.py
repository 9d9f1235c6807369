"""Demo data: three accounts a newcomer can log in with, and a synthetic population."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.orm import Session

from lifecycle.identifiers import make_credit_code, make_id_number
from webapp import accounts, entitlements, people
from webapp import enterprise as enterprises
from webapp.accounts.models import Account
from webapp.core.model_base import utcnow
from webapp.enterprise import EnterpriseIn, PermitIn
from webapp.enterprise.models import Enterprise, Membership, Permit
from webapp.people import DocumentIn, HouseholdIn, IdCardIn, ProfileIn

DEMO_PASSWORD = "lifepage-demo"
DEMO_ACCOUNTS = {
    "citizen@lifepage.test": "citizen",
    "business@lifepage.test": "business",
    "admin@lifepage.test": "admin",
}
DEMO_CREDIT_CODE = make_credit_code("91440101MA5CXXXX0")


def _ensure_account(session: Session, email: str, role: str) -> tuple[Account, bool]:
    account = accounts.find_by_email(session, email)
    if account is not None:
        return account, False
    kind = "business" if role == "business" else "citizen"
    account = accounts.create_account(
        session, email, DEMO_PASSWORD, kind, "zh_Hans", check_strength=False
    )
    account.role = role
    account.email_verified_at = utcnow()  # demo addresses count as verified
    return account, True


def seed_demo_accounts(session: Session, today: date) -> bool:
    """Create the demo accounts once; returns False when they exist already."""
    if accounts.find_by_email(session, "citizen@lifepage.test") is not None:
        return False
    citizen, _ = _ensure_account(session, "citizen@lifepage.test", "citizen")
    citizen.display_name = "李明"
    birth = date(1988, 6, 18)
    people.replace_profile(
        session,
        citizen,
        ProfileIn(
            full_name="李明",
            id_number=make_id_number("440106", birth, 351),
            region_code="440106",
            id_card=IdCardIn(issued_on=date(2012, 3, 9)),
            driver_license=DocumentIn(
                issued_on=today - relativedelta(years=6) + relativedelta(months=5),
                expires_on=today + relativedelta(months=5),
            ),
            passport=DocumentIn(issued_on=date(2017, 8, 2), expires_on=date(2027, 8, 1)),
            employment="employed",
            retirement_category="male",
            marital_status="married",
        ),
    )
    people.add_member(
        session,
        citizen,
        HouseholdIn(
            relation="child",
            name="李小明",
            birth_date=today - relativedelta(years=5, months=4),
            gender="male",
            guardian_consent=True,
        ),
    )
    people.add_member(
        session,
        citizen,
        HouseholdIn(relation="spouse", name="王芳", birth_date=date(1990, 2, 11), gender="female"),
    )
    people.add_member(
        session,
        citizen,
        HouseholdIn(relation="parent", name="李建国", birth_date=date(1962, 11, 3), gender="male"),
    )
    # Facts the demo citizen told us (the optional questionnaire): they decide the elderly
    # support deduction and the tax it saves.
    for key, value in (
        ("only_child", True),
        ("income_band", "b144k"),
        ("insured", ["employee_medical", "employee_pension", "unemployment"]),
    ):
        entitlements.save_fact(
            session, f"self:{citizen.id}", key, value, today, by_account=citizen.id
        )

    business, _ = _ensure_account(session, "business@lifepage.test", "business")
    business.display_name = "陈静"
    enterprise, _m = enterprises.register_verified(
        session,
        business,
        EnterpriseIn(
            credit_code=DEMO_CREDIT_CODE,
            name="广州市越秀区好味道餐饮有限公司",
            established_on=date(today.year - 4, 4, 16),
            industry="catering",
            size="small",
            region_code="440104",
            taxpayer_period="monthly",
            role="legal_representative",
        ),
    )
    enterprises.add_permit(
        session,
        enterprise,
        PermitIn(
            kind="food_business_license",
            number="JY24401040123456",
            issued_on=date(today.year - 4, 5, 20),
            expires_on=date(today.year + 1, 5, 19),
        ),
    )
    _ensure_account(session, "admin@lifepage.test", "admin")
    session.flush()
    return True


def demo_enterprise(session: Session) -> Enterprise | None:
    return session.scalar(select(Enterprise).where(Enterprise.credit_code == DEMO_CREDIT_CODE))


__all__ = ["DEMO_ACCOUNTS", "DEMO_PASSWORD", "Membership", "Permit", "seed_demo_accounts"]
