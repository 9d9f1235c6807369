"""The catalog's typed model: life events, departments, materials, services, bundles, the
:class:`Catalog`, the error every loader raises, and queries over a loaded catalog."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lifecycle.eligibility.conditions import Conditions, parse_conditions

DATA_DIR: Path = Path(__file__).resolve().parent / "data"

#: Citizen life events, in life order (docs/contracts.md; lifecycle/events.py is the authority).
CITIZEN_LIFE_EVENTS: tuple[str, ...] = (
    "birth",
    "education",
    "work",
    "marriage",
    "childbirth",
    "housing",
    "travel",
    "healthcare",
    "retirement",
    "death",
)
#: Enterprise life-cycle stages, in order.
ENTERPRISE_LIFE_EVENTS: tuple[str, ...] = (
    "establishment",
    "licensing",
    "operation",
    "change",
    "investment",
    "deregistration",
)
LIFE_EVENTS: tuple[str, ...] = CITIZEN_LIFE_EVENTS + ENTERPRISE_LIFE_EVENTS

AUDIENCES: tuple[str, ...] = ("citizen", "enterprise", "both")
ONLINE_LEVELS: tuple[int, ...] = (1, 2, 3, 4)
CHANNELS: tuple[str, ...] = ("online", "in_person", "both")
LOCALES: tuple[str, ...] = ("zh_Hans", "zh_Hant", "en")

LocalText = dict[str, str]


class CatalogError(ValueError):
    """A catalog file is malformed; ``str()`` names the file and the entry."""

    def __init__(self, file: str, entry: str | None, message: str) -> None:
        self.file = file
        self.entry = entry
        self.message = message
        super().__init__(file, entry, message)

    def __str__(self) -> str:
        if self.entry is None:
            return f"{self.file}: {self.message}"
        return f"{self.file}: entry '{self.entry}': {self.message}"


@dataclass(frozen=True)
class Department:
    code: str
    name: LocalText

    def __hash__(self) -> int:
        return hash(("department", self.code))


@dataclass(frozen=True)
class Material:
    code: str
    name: LocalText

    def __hash__(self) -> int:
        return hash(("material", self.code))


@dataclass(frozen=True)
class Service:
    """One government service item (政务服务事项)."""

    code: str
    name: LocalText
    description: LocalText
    department: str
    audience: str
    life_events: tuple[str, ...]
    themes: tuple[str, ...]
    materials: tuple[str, ...]
    online_level: int
    url: str
    statutory_days: int | None = None
    promised_days: int | None = None
    #: Colloquial names per locale (驾照 for 机动车驾驶证申领), searched like the name.
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    legal_basis: str | None = None
    region_scope: str = "national"
    eligibility: dict[str, Any] = field(default_factory=dict)
    # How it is done: "online", "in_person" or "both" (default from online_level), the
    # online application's own address, where and when to go in person, and the fee.
    channel: str = ""
    apply_url: str | None = None
    office: LocalText | None = None
    fee: LocalText | None = None

    def __hash__(self) -> int:
        return hash(("service", self.code))

    @property
    def conditions(self) -> Conditions:
        """Who the service is for (validated when the catalog was loaded)."""
        return parse_conditions(self.eligibility)

    @property
    def delivery(self) -> str:
        """online | in_person | both: as given, else 4 → online, 3 → both, 1–2 → in person."""
        if self.channel:
            return self.channel
        return {4: "online", 3: "both"}.get(self.online_level, "in_person")

    @property
    def primary_life_event(self) -> str:
        return self.life_events[0]

    @property
    def fully_online(self) -> bool:
        """全程网办: applied for and delivered without a visit."""
        return self.online_level == 4


@dataclass(frozen=True)
class Bundle:
    """A 高效办成一件事 bundle: several services of one life event in one application."""

    code: str
    name: LocalText
    description: LocalText
    life_event: str
    services: tuple[str, ...]

    def __hash__(self) -> int:
        return hash(("bundle", self.code))


@dataclass(frozen=True)
class Catalog:
    """The whole catalog; each mapping is keyed by code and keeps file order."""

    departments: dict[str, Department]
    materials: dict[str, Material]
    services: dict[str, Service]
    bundles: dict[str, Bundle]

    def services_for(self, life_event: str) -> list[Service]:
        """Services that list ``life_event`` among their life events."""
        return [s for s in self.services.values() if life_event in s.life_events]


# --------------------------------------------------------------------------- queries


def merged_materials(bundle: Bundle, catalog: Catalog) -> list[tuple[Material, list[str]]]:
    """The bundle's merged checklist: each material once, with the services that need it.

    Materials come in the order of first use along the bundle's services.
    """
    needed_by: dict[str, list[str]] = {}
    for service_code in bundle.services:
        for material_code in catalog.services[service_code].materials:
            needed_by.setdefault(material_code, []).append(service_code)
    return [(catalog.materials[code], services) for code, services in needed_by.items()]
