"""What people do with services, recorded for the recommender.

Kinds: impression (recommended and shown), view, pin, apply, complete, dismiss. Sources:
page, search, recommendation, catalog, bundle, duty, api. A request writes at most one
row with ``record`` plus one batch of impressions with ``record_impressions`` (a single
executemany statement), so recording never slows a page down.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Integer, String, insert, literal, select
from sqlalchemy.orm import Session

from webapp.catalog.models import Service
from webapp.core.clock import now
from webapp.core.model_base import UTCDateTime
from webapp.recommend.interaction_models import INTERACTION_KINDS, INTERACTION_SOURCES, Interaction

USER_KINDS = ("view", "pin", "apply", "complete", "dismiss")


def clean_source(source: str | None, default: str = "catalog") -> str:
    """The ``?src=`` of a link, or the default when it is missing or unknown."""
    return source if source in INTERACTION_SOURCES else default


def record(
    session: Session,
    account_id: int,
    service_id: int,
    kind: str,
    source: str = "page",
    enterprise_id: int | None = None,
) -> None:
    if kind not in INTERACTION_KINDS:
        raise ValueError(f"unknown interaction kind {kind!r}")
    session.add(
        Interaction(
            account_id=account_id,
            enterprise_id=enterprise_id,
            service_id=service_id,
            kind=kind,
            source=clean_source(source, "page"),
            created_at=now(),
        )
    )


def record_impressions(
    session: Session,
    account_id: int,
    service_ids: Iterable[int],
    source: str = "recommendation",
    enterprise_id: int | None = None,
    model_version: str | None = None,
) -> int:
    """One INSERT for every shown recommendation; returns how many rows."""
    at = now()
    rows = [
        {
            "account_id": account_id,
            "enterprise_id": enterprise_id,
            "service_id": sid,
            "kind": "impression",
            "source": source,
            "model_version": model_version,
            "created_at": at,
        }
        for sid in dict.fromkeys(service_ids)
    ]
    if rows:
        session.execute(insert(Interaction), rows)
    return len(rows)


def recent(session: Session, account_id: int, limit: int = 5) -> list[tuple[Interaction, Service]]:
    """The person's latest actions on services (impressions excluded), newest first."""
    return list(
        session.execute(
            select(Interaction, Service)
            .join(Service, Service.id == Interaction.service_id)
            .where(Interaction.account_id == account_id, Interaction.kind.in_(USER_KINDS))
            .order_by(Interaction.created_at.desc(), Interaction.id.desc())
            .limit(limit)
        ).all()
    )


def record_impressions_by_code(
    session: Session,
    account_id: int,
    codes: Iterable[str],
    source: str = "recommendation",
    enterprise_id: int | None = None,
    model_version: str | None = None,
) -> None:
    """The same batch for services known by code: one INSERT … SELECT statement."""
    codes = list(dict.fromkeys(codes))
    if not codes:
        return
    at = now()
    session.execute(
        insert(Interaction).from_select(
            [
                "account_id",
                "enterprise_id",
                "service_id",
                "kind",
                "source",
                "model_version",
                "created_at",
            ],
            select(
                literal(account_id, Integer),
                literal(enterprise_id, Integer),
                Service.id,
                literal("impression", String),
                literal(clean_source(source, "recommendation"), String),
                literal(model_version, String),
                literal(at, UTCDateTime()),
            ).where(Service.code.in_(codes)),
        )
    )


def last_progress(session: Session, account_id: int, service_id: int) -> Interaction | None:
    """The person's latest "I applied" or "Done" on a service, for the service page."""
    return session.scalar(
        select(Interaction)
        .where(
            Interaction.account_id == account_id,
            Interaction.service_id == service_id,
            Interaction.kind.in_(("apply", "complete")),
        )
        .order_by(Interaction.created_at.desc(), Interaction.id.desc())
        .limit(1)
    )
