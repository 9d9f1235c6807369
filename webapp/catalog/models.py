"""The service catalog: departments, life events, services, materials and bundles.

User-visible catalogue text is stored per locale in JSON columns ({"zh_Hans", "zh_Hant", "en"}).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.model_base import Base, utcnow

service_life_event = Table(
    "service_life_event",
    Base.metadata,
    Column("service_id", ForeignKey("service.id", ondelete="CASCADE"), primary_key=True),
    Column("life_event_id", ForeignKey("life_event.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False, default=0),
)


class Department(Base):
    __tablename__ = "department"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[dict]


class LifeEvent(Base):
    __tablename__ = "life_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    audience: Mapped[str] = mapped_column(String(16))
    position: Mapped[int]
    name: Mapped[dict]
    description: Mapped[dict]


class Material(Base):
    __tablename__ = "material"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[dict]


class ServiceMaterial(Base):
    __tablename__ = "service_material"

    service_id: Mapped[int] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True
    )
    material_id: Mapped[int] = mapped_column(
        ForeignKey("material.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(default=0)

    material: Mapped[Material] = relationship(lazy="joined")


class Service(Base):
    __tablename__ = "service"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    audience: Mapped[str] = mapped_column(String(16))
    name: Mapped[dict]
    # Colloquial names per locale ({"zh_Hans": ["驾照", …], "zh_Hant": […], "en": […]}).
    aliases: Mapped[dict] = mapped_column(default=dict, server_default=text("'{}'"))
    description: Mapped[dict]
    themes: Mapped[list]
    online_level: Mapped[int]
    statutory_days: Mapped[int | None]
    promised_days: Mapped[int | None]
    legal_basis: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(500))
    # How it is done (online | in_person | both), the online application's own address,
    # where and when to go in person, the fee ({"zh_Hans", "zh_Hant", "en"}; None: not known).
    delivery: Mapped[str] = mapped_column(String(16), default="in_person")
    apply_url: Mapped[str | None] = mapped_column(String(500))
    office: Mapped[dict | None]
    fee: Mapped[dict | None]
    region_scope: Mapped[str] = mapped_column(String(16), default="national")
    eligibility: Mapped[dict]
    # Text of every locale's name and description, for full-text search.
    search_text: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    department: Mapped[Department] = relationship(lazy="joined")
    life_events: Mapped[list[LifeEvent]] = relationship(
        secondary=service_life_event, order_by=service_life_event.c.position
    )
    materials: Mapped[list[ServiceMaterial]] = relationship(
        cascade="all, delete-orphan", order_by=ServiceMaterial.position
    )


class BundleService(Base):
    __tablename__ = "bundle_service"

    bundle_id: Mapped[int] = mapped_column(
        ForeignKey("bundle.id", ondelete="CASCADE"), primary_key=True
    )
    service_id: Mapped[int] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(default=0)

    service: Mapped[Service] = relationship()


class Bundle(Base):
    __tablename__ = "bundle"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[dict]
    description: Mapped[dict]
    life_event_id: Mapped[int | None] = mapped_column(ForeignKey("life_event.id"))

    life_event: Mapped[LifeEvent | None] = relationship()
    services: Mapped[list[BundleService]] = relationship(
        cascade="all, delete-orphan", order_by=BundleService.position
    )


class BundleStepDone(Base):
    """A step of a 一件事 bundle that a person has ticked off (their progress, kept)."""

    __tablename__ = "bundle_step_done"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), primary_key=True
    )
    bundle_id: Mapped[int] = mapped_column(
        ForeignKey("bundle.id", ondelete="CASCADE"), primary_key=True
    )
    service_id: Mapped[int] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True
    )
    done_at: Mapped[datetime] = mapped_column(default=utcnow)
