"""Admin console schemas: recommendation rules (API.md's rule shape), blend parameters,
the sandbox preview, catalog edits and life-cycle parameters."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from recommender.blend import BlendParams
from webapp.core.schemas import SingleLine, StrictModel

Action = Literal["boost", "bury", "pin", "hide"]
Alias = Annotated[SingleLine, Field(min_length=1, max_length=60)]
LifeEventKey = Literal[
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
    "establishment",
    "licensing",
    "operation",
    "change",
    "investment",
    "deregistration",
]
Employment = Literal["employed", "self_employed", "unemployed", "retired", "student"]
Size = Literal["micro", "small", "medium", "large"]
Code = Field(pattern=r"^[a-z][a-z0-9_]{0,59}$")
# A service's delivery (the catalog loader's rules: an https application address).
Channel = Literal["", "online", "in_person", "both"]
ApplyUrl = Annotated[SingleLine, Field(min_length=9, max_length=500, pattern=r"^https://\S+$")]
OfficeText = Annotated[SingleLine, Field(max_length=300)]
FeeText = Annotated[SingleLine, Field(max_length=200)]


class LocalTextIn(StrictModel):
    """One text in 简体 and English; 繁體 converted from 简体 when absent."""

    zh_Hans: SingleLine = Field(min_length=1, max_length=300)
    zh_Hant: SingleLine | None = Field(default=None, max_length=300)
    en: SingleLine = Field(min_length=1, max_length=300)


class DeliveryIn(StrictModel):
    """How a service is done: channel (empty: what the online level implies), the online
    application's own https address, where and when to go, and the fee; null clears."""

    channel: Channel = ""
    apply_url: ApplyUrl | None = None
    office: LocalTextIn | None = None
    fee: LocalTextIn | None = None


class TargetsIn(StrictModel):
    services: list[SingleLine] = Field(default_factory=list, max_length=200)
    themes: list[SingleLine] = Field(default_factory=list, max_length=50)
    life_events: list[LifeEventKey] = Field(default_factory=list)
    departments: list[SingleLine] = Field(default_factory=list, max_length=50)


class SegmentIn(StrictModel):
    audience: Literal["citizen", "enterprise", "both"] | None = None
    age_min: int | None = Field(default=None, ge=0, le=150)
    age_max: int | None = Field(default=None, ge=0, le=150)
    gender: Literal["male", "female"] | None = None
    region_prefix: str | None = Field(default=None, pattern=r"^[0-9]{1,6}$")
    life_stages: list[LifeEventKey] = Field(default_factory=list)
    child_age_min: int | None = Field(default=None, ge=0, le=30)
    child_age_max: int | None = Field(default=None, ge=0, le=30)
    employment: list[Employment] = Field(default_factory=list)
    industries: list[SingleLine] = Field(default_factory=list, max_length=30)
    sizes: list[Size] = Field(default_factory=list)


class RuleIn(StrictModel):
    name: SingleLine = Field(min_length=1, max_length=200)
    enabled: bool = True
    action: Action
    weight: float = Field(default=0.0, ge=0, le=100)
    position: int | None = Field(default=None, ge=1, le=50)
    targets: TargetsIn = Field(default_factory=TargetsIn)
    segment: SegmentIn = Field(default_factory=SegmentIn)
    valid_from: date | None = None
    valid_to: date | None = None
    priority: int = Field(default=0, ge=-1000, le=1000)


class RuleOut(BaseModel):
    id: int
    name: str
    enabled: bool
    action: str
    weight: float
    position: int | None
    targets: dict
    segment: dict
    valid_from: date | None
    valid_to: date | None
    priority: int


class RuleList(BaseModel):
    items: list[RuleOut]
    blend_params: dict
    current_version: int | None


class PublishIn(StrictModel):
    note: SingleLine | None = Field(default=None, max_length=500)


class VersionOut(BaseModel):
    version: int
    is_current: bool
    rules: int
    blend_params: dict
    note: str | None = None


class RollbackIn(StrictModel):
    version: int = Field(ge=1, le=2**31 - 1, strict=True)  # a JSON number: true is not version 1


class BlendParamsIn(StrictModel):
    w_model: float = Field(ge=0, le=10)
    w_life: float = Field(ge=0, le=10)
    w_popularity: float = Field(ge=0, le=10)
    diversity_cap: int = Field(ge=0, le=10)
    w_life_next: float = Field(default=BlendParams().w_life_next, ge=0, le=10)
    w_duty: float = Field(default=BlendParams().w_duty, ge=0, le=10)


class PreviewIn(StrictModel):
    rules: list[dict] | None = Field(
        default=None,
        description="Draft rules in the rule shape; without it, the current drafts.",
    )
    user_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    email: SingleLine | None = Field(default=None, max_length=254)
    sample_size: int = Field(default=5, ge=0, le=50)
    purpose: SingleLine | None = Field(
        default=None,
        max_length=500,
        description="Why the chosen user's data is read; required with user_id or email "
        "(shown to the citizen in their access log)",
    )


class ReachOut(BaseModel):
    users: int
    enterprises: int


class SampleOut(BaseModel):
    user_id: int
    before: list[str]
    after: list[str]
    in_segment: bool = True


class NdcgOut(BaseModel):
    before: float | None
    after: float | None
    users: int = 0


class PreviewOut(BaseModel):
    reach: ReachOut
    samples: list[SampleOut]
    ndcg_at_10: NdcgOut
    engine: str = ""


class LocalWindowIn(StrictModel):
    kind: Literal["school_registration", "junior_school_registration", "medical_insurance"]
    region_prefix: SingleLine = Field(default="", max_length=6)
    start_month: int = Field(ge=1, le=12)
    start_day: int = Field(ge=1, le=31)
    end_month: int = Field(ge=1, le=12)
    end_day: int = Field(ge=1, le=31)


class TaxOverrideIn(StrictModel):
    year: int = Field(ge=2000, le=2100)
    month: int = Field(ge=1, le=12)
    due_date: date
    note: SingleLine | None = Field(default=None, max_length=200)


class ServiceEditIn(StrictModel):
    """A catalog service as the admin form edits it (flat per-locale text fields)."""

    name_zh_Hans: SingleLine = Field(min_length=1, max_length=200)
    name_zh_Hant: SingleLine | None = Field(default=None, max_length=200)
    name_en: SingleLine = Field(min_length=1, max_length=200)
    # Colloquial names (驾照, 个税); empty 繁體 = converted from 简体.
    aliases_zh_Hans: list[Alias] = Field(default_factory=list, max_length=30)
    aliases_zh_Hant: list[Alias] = Field(default_factory=list, max_length=30)
    aliases_en: list[Alias] = Field(default_factory=list, max_length=30)
    description_zh_Hans: str = Field(min_length=1, max_length=4000)
    description_zh_Hant: str | None = Field(default=None, max_length=4000)
    description_en: str = Field(min_length=1, max_length=4000)
    department: SingleLine = Field(min_length=1, max_length=40)
    audience: Literal["citizen", "enterprise", "both"]
    life_events: list[LifeEventKey] = Field(min_length=1)
    themes: list[SingleLine] = Field(default_factory=list, max_length=20)
    materials: list[SingleLine] = Field(default_factory=list, max_length=50)
    online_level: int = Field(ge=1, le=4)
    statutory_days: int | None = Field(default=None, ge=1, le=3650)
    promised_days: int | None = Field(default=None, ge=1, le=3650)
    legal_basis: SingleLine | None = Field(default=None, max_length=2000)
    url: str = Field(min_length=8, max_length=500, pattern=r"^https?://\S+$")
    active: bool = True
    # How it is done (``admin.catalog_delivery``): empty channel = from the online level.
    channel: Channel = ""
    apply_url: ApplyUrl | None = None
    office_zh_Hans: OfficeText | None = None
    office_zh_Hant: OfficeText | None = None
    office_en: OfficeText | None = None
    fee_zh_Hans: FeeText | None = None
    fee_zh_Hant: FeeText | None = None
    fee_en: FeeText | None = None


class ServiceCreateIn(ServiceEditIn):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]{0,59}$")


class NamedIn(StrictModel):
    """Per-locale name (and optional description) of a department, life event or bundle."""

    name_zh_Hans: SingleLine = Field(min_length=1, max_length=200)
    name_zh_Hant: SingleLine | None = Field(default=None, max_length=200)
    name_en: SingleLine = Field(min_length=1, max_length=200)
    description_zh_Hans: str | None = Field(default=None, max_length=4000)
    description_zh_Hant: str | None = Field(default=None, max_length=4000)
    description_en: str | None = Field(default=None, max_length=4000)


class DepartmentIn(NamedIn):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")


class BundleIn(NamedIn):
    life_event: LifeEventKey
    services: list[SingleLine] = Field(min_length=1, max_length=30)


class HolidaysIn(StrictModel):
    """A year's holiday arrangement as the State Council's notice publishes it."""

    source: SingleLine = Field(
        min_length=1, max_length=300, description="The notice, e.g. 国务院办公厅关于2027年…的通知"
    )
    holidays: list[date] = Field(
        min_length=1, max_length=120, description="Every day off of each holiday"
    )
    workdays: list[date] = Field(
        default_factory=list, max_length=30, description="Weekend days that are working days"
    )


class HolidaysOut(BaseModel):
    year: int
    origin: Literal["published", "package", "fallback"]
    source: str
    holidays: list[date]
    workdays: list[date]
    provisional: bool = Field(description="True while only the fallback is known")
    published_at: str | None = None
    duties_moved: int | None = Field(default=None, description="Set by PUT: duties recomputed")
    reminders_moved: int | None = Field(default=None, description="Set by PUT: reminders moved")
