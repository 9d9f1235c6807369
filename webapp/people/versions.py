"""The subject's data version: ``account.data_version``, bumped by every change the
personal page shows, so the page's cached parts are rebuilt at the next view.

Changes made through the ORM are caught in one place, after each flush: a profile, a
household member, a duty, consents and tag choices, pins, hides, the page layout, an
inbox item delivered or read, an enterprise the person belongs to (its membership, its
data, its permits), a stated fact (``ProfileFact``: the eligibility gate and the
entitlement signal of the recommendations read it) about the person, a household member
or an enterprise, the account's name or language, a family link (and the name of a
linked member: their holder's page shows it). The person's own actions on
services (an interaction other than an impression) bump ``account.activity_version``
instead: only the page's "recent activity" follows it. Bulk statements that bypass the
ORM (the duty sync's upserts, deleting pins and hides, "mark all read") call
``touch_accounts`` / ``touch_enterprise_members`` themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain

from sqlalchemy import event, inspect, select, update
from sqlalchemy.orm import Session

from webapp.accounts.models import Account
from webapp.duties.models import Duty
from webapp.enterprise.models import Enterprise, Membership, Permit
from webapp.entitlements.models import ProfileFact
from webapp.family.models import FamilyLink
from webapp.page.models import HiddenService, PageLayout, PinnedService
from webapp.people.models import CitizenProfile, HouseholdMember
from webapp.privacy.models import Consent, TagPreference
from webapp.recommend.interaction_models import Interaction
from webapp.reminders.models import InboxItem

_T = Account.__table__
# Rows that belong to one account, and the column naming it.
BY_ACCOUNT = {
    CitizenProfile: "account_id",
    HouseholdMember: "account_id",
    Consent: "account_id",
    TagPreference: "account_id",
    PinnedService: "account_id",
    HiddenService: "account_id",
    PageLayout: "account_id",
    Membership: "account_id",
    InboxItem: "account_id",
}
# Rows that belong to an enterprise: every member's page shows them.
BY_ENTERPRISE = {Enterprise: "id", Permit: "enterprise_id"}
ACCOUNT_FIELDS = ("display_name", "locale")


def touch_accounts(session: Session, account_ids: Iterable[int | None]) -> None:
    ids = sorted({i for i in account_ids if i is not None})
    if ids:
        session.connection().execute(
            update(_T).where(_T.c.id.in_(ids)).values(data_version=_T.c.data_version + 1)
        )


def touch_enterprise_members(session: Session, enterprise_ids: Iterable[int | None]) -> None:
    ids = sorted({i for i in enterprise_ids if i is not None})
    if ids:
        members = select(Membership.account_id).where(Membership.enterprise_id.in_(ids))
        session.connection().execute(
            update(_T).where(_T.c.id.in_(members)).values(data_version=_T.c.data_version + 1)
        )


def touch_activity(session: Session, account_ids: Iterable[int | None]) -> None:
    ids = sorted({i for i in account_ids if i is not None})
    if ids:
        session.connection().execute(
            update(_T).where(_T.c.id.in_(ids)).values(activity_version=_T.c.activity_version + 1)
        )


def _fact_owner(session: Session, fact: ProfileFact, accounts: set, enterprises: set) -> None:
    """The pages a stated fact shows on: its person's, its household member's holder's, or
    every member's of its enterprise."""
    if fact.account_id is not None:
        accounts.add(fact.account_id)
    if fact.enterprise_id is not None:
        enterprises.add(fact.enterprise_id)
    if fact.member_id is not None:
        holder = session.connection().execute(
            select(HouseholdMember.account_id).where(HouseholdMember.id == fact.member_id)
        )
        accounts.update(row[0] for row in holder)


def _renamed_profile(obj: CitizenProfile, session: Session) -> bool:
    return obj in session.new or inspect(obj).attrs.full_name.history.has_changes()


def _changed_account(obj: Account) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in ACCOUNT_FIELDS)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    accounts: set[int] = set()
    enterprises: set[int] = set()
    active: set[int] = set()
    gone = {obj.id for obj in session.deleted if isinstance(obj, Account)}
    renamed: set[int] = set()  # accounts whose name changed: their linked family's pages
    for obj in chain(session.new, session.dirty, session.deleted):
        kind = type(obj)
        if kind in BY_ACCOUNT:
            accounts.add(getattr(obj, BY_ACCOUNT[kind]))
            if kind is CitizenProfile and _renamed_profile(obj, session):
                renamed.add(obj.account_id)
        elif kind in BY_ENTERPRISE:
            enterprises.add(getattr(obj, BY_ENTERPRISE[kind]))
        elif kind is ProfileFact:
            _fact_owner(session, obj, accounts, enterprises)
        elif kind is Duty:
            accounts.add(obj.owner_account_id)
            enterprises.add(obj.enterprise_id)
        elif kind is Account and obj in session.dirty and _changed_account(obj):
            accounts.add(obj.id)
            renamed.add(obj.id)
        elif kind is FamilyLink:  # the holder's page shows the member by their own name
            accounts.add(obj.account_id)
        elif kind is Interaction and obj.kind != "impression":
            active.add(obj.account_id)
    if renamed:
        holders = session.connection().execute(
            select(FamilyLink.account_id).where(FamilyLink.linked_account_id.in_(renamed))
        )
        accounts.update(row[0] for row in holders)
    touch_accounts(session, accounts - gone)
    touch_enterprise_members(session, enterprises)
    touch_activity(session, active - gone)
