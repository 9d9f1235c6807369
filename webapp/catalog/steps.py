"""A 一件事 bundle as a step-by-step path: the bundle's services in order, what each needs
(the merged material list, marking what the person's own data already covers and what an
earlier step produces), the time limits and where to go; the steps a person has ticked off
are kept (``BundleStepDone``) and shown on return."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from webapp.catalog.models import Bundle, BundleStepDone
from webapp.catalog.services import get_bundle
from webapp.core.service_errors import NotFound
from webapp.people.models import CitizenProfile

# Materials a step of a bundle hands out, so later steps need not ask for them again.
PRODUCED_BY = {
    "birth_medical_certificate_issuance": ("birth_medical_certificate",),
    "vaccination_certificate_issuance": ("vaccination_certificate",),
    "social_security_card_application": ("social_security_card",),
    "marriage_registration": ("marriage_certificate",),
}


@dataclass(frozen=True)
class StepMaterial:
    code: str
    name: dict
    covered_by_profile: bool  # the person's own data already holds it
    from_step: int | None  # an earlier step of this bundle hands it out


@dataclass(frozen=True)
class Step:
    number: int
    service_code: str
    name: dict
    description: dict
    department: dict
    statutory_days: int | None
    promised_days: int | None
    url: str | None
    delivery: str
    office: dict | None
    fee: dict | None
    materials: tuple[StepMaterial, ...]
    done_at: datetime | None

    @property
    def done(self) -> bool:
        return self.done_at is not None


@dataclass(frozen=True)
class MergedMaterial:
    code: str
    name: dict
    steps: tuple[int, ...]  # the step numbers that need it
    covered_by_profile: bool
    from_step: int | None


@dataclass(frozen=True)
class BundleSteps:
    code: str
    name: dict
    description: dict
    steps: tuple[Step, ...]
    materials: tuple[MergedMaterial, ...]
    signed_in: bool

    @property
    def done_count(self) -> int:
        return sum(1 for s in self.steps if s.done)

    @property
    def total(self) -> int:
        return len(self.steps)


def covered_materials(profile: CitizenProfile | None) -> set[str]:
    """Materials whose facts the person's profile already holds (shared by the authorities)."""
    if profile is None:
        return set()
    covered = set()
    if profile.id_number_encrypted or profile.id_card_issued_on:
        covered.add("resident_id_card")
    if profile.region_code:
        covered.add("hukou_booklet")
    if profile.marital_status == "married":
        covered.add("marriage_certificate")
    if profile.passport_issued_on:
        covered.add("passport")
    return covered


def _done(session: Session, account_id: int | None, bundle: Bundle) -> dict[int, datetime]:
    if account_id is None:
        return {}
    rows = session.execute(
        select(BundleStepDone.service_id, BundleStepDone.done_at).where(
            BundleStepDone.account_id == account_id, BundleStepDone.bundle_id == bundle.id
        )
    )
    return dict(rows.all())


def bundle_steps(session: Session, code: str, account_id: int | None) -> BundleSteps:
    bundle = get_bundle(session, code)
    if bundle is None:
        raise NotFound("No such bundle.")
    profile = session.get(CitizenProfile, account_id) if account_id is not None else None
    covered = covered_materials(profile)
    done = _done(session, account_id, bundle)
    produced: dict[str, int] = {}
    merged: dict[str, dict] = {}
    steps = []
    for number, link in enumerate(bundle.services, 1):
        service = link.service
        materials = []
        for sm in service.materials:
            material = sm.material
            item = StepMaterial(
                material.code, material.name, material.code in covered, produced.get(material.code)
            )
            materials.append(item)
            entry = merged.setdefault(material.code, {"item": item, "steps": []})
            entry["steps"].append(number)
        for code_out in PRODUCED_BY.get(service.code, ()):
            produced.setdefault(code_out, number)
        steps.append(
            Step(
                number=number,
                service_code=service.code,
                name=service.name,
                description=service.description,
                department=service.department.name,
                statutory_days=service.statutory_days,
                promised_days=service.promised_days,
                url=service.url,
                delivery=service.delivery,
                office=service.office,
                fee=service.fee,
                materials=tuple(materials),
                done_at=done.get(service.id),
            )
        )
    return BundleSteps(
        code=bundle.code,
        name=bundle.name,
        description=bundle.description,
        steps=tuple(steps),
        materials=tuple(
            MergedMaterial(
                e["item"].code,
                e["item"].name,
                tuple(e["steps"]),
                e["item"].covered_by_profile,
                e["item"].from_step,
            )
            for e in merged.values()
        ),
        signed_in=account_id is not None,
    )


def set_step(
    session: Session, account_id: int, code: str, service_code: str, done: bool, now: datetime
) -> None:
    """Tick a step off (or undo it). The caller commits."""
    bundle = get_bundle(session, code)
    if bundle is None:
        raise NotFound("No such bundle.")
    link = next((x for x in bundle.services if x.service.code == service_code), None)
    if link is None:
        raise NotFound("This service is not a step of the bundle.")
    key = {"account_id": account_id, "bundle_id": bundle.id, "service_id": link.service_id}
    existing = session.get(BundleStepDone, key)
    if done and existing is None:
        session.add(BundleStepDone(**key, done_at=now))
    elif not done and existing is not None:
        session.execute(
            delete(BundleStepDone).where(
                BundleStepDone.account_id == account_id,
                BundleStepDone.bundle_id == bundle.id,
                BundleStepDone.service_id == link.service_id,
            )
        )
