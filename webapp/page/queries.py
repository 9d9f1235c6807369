"""The services a person does not want recommended: hidden from the page ("not relevant")
or dismissed. One definition of each query, used by the page, the enterprise page and the
recommender."""

from __future__ import annotations

from sqlalchemy import Select, and_, select
from sqlalchemy.orm import Session

from webapp.catalog.models import Service
from webapp.page.models import HiddenService
from webapp.recommend.interaction_models import Interaction


def hidden_codes_query(account_id: int) -> Select:
    return (
        select(Service.code)
        .join(HiddenService, HiddenService.service_id == Service.id)
        .where(HiddenService.account_id == account_id)
    )


def hidden_service_ids(session: Session, account_id: int) -> set[int]:
    return set(
        session.scalars(
            select(HiddenService.service_id).where(HiddenService.account_id == account_id)
        )
    )


def hidden_service_codes(session: Session, account_id: int) -> set[str]:
    return set(session.scalars(hidden_codes_query(account_id)))


def dismissed_codes(
    session: Session, account_id: int | None = None, enterprise_id: int | None = None
) -> set[str]:
    """Codes never to recommend again: for a citizen, the services they hid or dismissed;
    for an enterprise, the services dismissed for it."""
    if enterprise_id is not None:
        cond = and_(Interaction.enterprise_id == enterprise_id, Interaction.kind == "dismiss")
    else:
        cond = and_(
            Interaction.account_id == account_id,
            Interaction.enterprise_id.is_(None),
            Interaction.kind == "dismiss",
        )
    stmt = select(Service.code).join(Interaction, Interaction.service_id == Service.id).where(cond)
    if enterprise_id is None:
        stmt = stmt.union(hidden_codes_query(account_id))
    return set(session.scalars(stmt))
