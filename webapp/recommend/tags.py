"""My tags: the facts the recommender may use for an account, in words, with their source.

Tags come from the serving context (``rec_context.citizen_context(...).all_tags()``, i.e.
``recommender.features.citizen_tags``) over the profile, the household (only with the
``household_data`` consent) and the life stage, so the keys shown are the keys serving and
training use. A ``TagPreference`` row with
``enabled=False`` switches a tag off: serving reads ``disabled_tags`` on every request and the
training run reads ``disabled_tags_by_account``, so a switched-off tag is used neither for
the next page nor by the next model.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from recommender.features import Tag
from webapp.accounts.models import Account
from webapp.core.model_base import utcnow
from webapp.core.service_errors import NotFound
from webapp.enterprise.models import Enterprise, Membership
from webapp.people.models import CitizenProfile
from webapp.privacy.models import TagPreference

SOURCE_LABELS = {
    "profile.birth_date": _l("your date of birth (profile)"),
    "profile.gender": _l("your gender (profile)"),
    "profile.region_code": _l("your region (profile)"),
    "profile.employment": _l("your employment (profile)"),
    "household": _l("your household members"),
    "lifecycle": _l("your life stage, worked out from your profile and household"),
    "enterprise.industry": _l("your enterprise's industry"),
    "enterprise.size": _l("your enterprise's size"),
    "enterprise.established_on": _l("your enterprise's date of establishment"),
    "enterprise.region_code": _l("your enterprise's region"),
}


def source_label(source: str):
    """The source in words (a lazy string: rendered in the request's language)."""
    return SOURCE_LABELS.get(source, source)


def _citizen_tags(session: Session, account: Account, today: date) -> list[Tag]:
    """The serving context's tags (``rec_context``), so the keys are the ones serving uses."""
    from webapp.recommend import context as rec_context

    if session.get(CitizenProfile, account.id) is None and account.role == "business":
        return []
    return rec_context.citizen_context(session, account, today).all_tags()


def enterprise_facts(session: Session, account: Account, today: date) -> list[dict]:
    """The facts about the account's enterprises used for enterprise recommendations.

    They describe the registered enterprise (public register data), not the person, and
    are shared by every member, so they are shown but not switched off per person.
    """
    from webapp.recommend import context as rec_context

    out = []
    for enterprise in session.scalars(
        select(Enterprise)
        .join(Membership, Membership.enterprise_id == Enterprise.id)
        .where(Membership.account_id == account.id)
        .order_by(Enterprise.name)
    ):
        ctx = rec_context.build_enterprise_context(enterprise, today)
        out.append(
            {
                "enterprise": enterprise.name,
                "credit_code": enterprise.credit_code,
                "tags": [
                    {
                        "key": t.key,
                        "text": t.text,
                        "source": t.source,
                        "source_text": source_label(t.source),
                    }
                    for t in ctx.all_tags()
                ],
            }
        )
    return out


def all_tags(session: Session, account: Account, today: date) -> list[Tag]:
    """Every personal tag of the account (switched-off ones included), unique by key."""
    return list({t.key: t for t in _citizen_tags(session, account, today)}.values())


def disabled_tags(session: Session, account_id: int) -> set[str]:
    return set(
        session.scalars(
            select(TagPreference.tag_key).where(
                TagPreference.account_id == account_id, TagPreference.enabled.is_(False)
            )
        )
    )


def disabled_tags_by_account(
    session: Session, account_ids: Iterable[int] | None = None
) -> dict[int, set[str]]:
    """Switched-off tags of many accounts in one query (for the training run)."""
    stmt = select(TagPreference.account_id, TagPreference.tag_key).where(
        TagPreference.enabled.is_(False)
    )
    if account_ids is not None:
        stmt = stmt.where(TagPreference.account_id.in_(list(account_ids)))
    out: dict[int, set[str]] = {}
    for account_id, key in session.execute(stmt):
        out.setdefault(account_id, set()).add(key)
    return out


def my_tags(session: Session, account: Account, today: date) -> list[dict]:
    """The account's tags for the privacy page and the API, with their on/off state."""
    off = disabled_tags(session, account.id)
    return [
        {
            "key": tag.key,
            "text": tag.text,
            "source": tag.source,
            "source_text": source_label(tag.source),
            "enabled": tag.key not in off,
        }
        for tag in all_tags(session, account, today)
    ]


def set_tag(session: Session, account: Account, key: str, enabled: bool, today: date) -> dict:
    """Switch one of the account's tags on or off; a key that is not theirs is 404."""
    tag = next((t for t in all_tags(session, account, today) if t.key == key), None)
    if tag is None:
        raise NotFound(str(_l("No such tag.")))
    row = session.get(TagPreference, (account.id, key))
    if row is None:
        row = TagPreference(account_id=account.id, tag_key=key)
        session.add(row)
    row.enabled = enabled
    row.updated_at = utcnow()
    session.flush()
    return {
        "key": tag.key,
        "text": tag.text,
        "source": tag.source,
        "source_text": source_label(tag.source),
        "enabled": enabled,
    }


def tag_preferences(session: Session, account_id: int) -> list[TagPreference]:
    return list(
        session.scalars(
            select(TagPreference)
            .where(TagPreference.account_id == account_id)
            .order_by(TagPreference.tag_key)
        )
    )
