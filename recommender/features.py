"""User tags and item features, in words.

A *tag* is one fact about a user that the recommender may use. Its ``key`` is the
model feature name (``age:30-39``), its ``text`` says it in words for the privacy page
(``{"zh_Hans": "年龄 30–39 岁", "en": "aged 30–39"}``) and its ``source`` names the data
it came from (``profile.birth_date``, ``household``, ``lifecycle``). Users can switch tags
off; a disabled tag is used neither as a model feature nor in reasons or rule segments.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

AGE_BANDS: tuple[tuple[int, int | None], ...] = (
    (0, 17),
    (18, 29),
    (30, 39),
    (40, 49),
    (50, 59),
    (60, 69),
    (70, None),
)
CHILD_BANDS: tuple[tuple[int, int | None], ...] = ((0, 6), (7, 12), (13, 17), (18, None))
ENTERPRISE_AGE_BANDS: tuple[tuple[int, int | None], ...] = ((0, 0), (1, 2), (3, 9), (10, None))

REGION_NAMES: dict[str, dict[str, str]] = {
    "110000": {"zh_Hans": "北京市", "en": "Beijing"},
    "310000": {"zh_Hans": "上海市", "en": "Shanghai"},
    "330100": {"zh_Hans": "杭州市", "en": "Hangzhou"},
    "350200": {"zh_Hans": "厦门市", "en": "Xiamen"},
    "440100": {"zh_Hans": "广州市", "en": "Guangzhou"},
    "440300": {"zh_Hans": "深圳市", "en": "Shenzhen"},
    "520100": {"zh_Hans": "贵阳市", "en": "Guiyang"},
}
PROVINCE_NAMES: dict[str, dict[str, str]] = {
    "11": {"zh_Hans": "北京市", "en": "Beijing"},
    "31": {"zh_Hans": "上海市", "en": "Shanghai"},
    "33": {"zh_Hans": "浙江省", "en": "Zhejiang"},
    "35": {"zh_Hans": "福建省", "en": "Fujian"},
    "44": {"zh_Hans": "广东省", "en": "Guangdong"},
    "52": {"zh_Hans": "贵州省", "en": "Guizhou"},
}
STAGE_NAMES: dict[str, dict[str, str]] = {
    "birth": {"zh_Hans": "出生", "en": "birth"},
    "education": {"zh_Hans": "上学", "en": "education"},
    "work": {"zh_Hans": "就业创业", "en": "work"},
    "marriage": {"zh_Hans": "婚姻", "en": "marriage"},
    "childbirth": {"zh_Hans": "生育", "en": "childbirth"},
    "housing": {"zh_Hans": "居住", "en": "housing"},
    "travel": {"zh_Hans": "出行", "en": "travel"},
    "healthcare": {"zh_Hans": "就医", "en": "healthcare"},
    "retirement": {"zh_Hans": "养老退休", "en": "retirement"},
    "death": {"zh_Hans": "身后", "en": "death & funeral"},
    "establishment": {"zh_Hans": "开办", "en": "establishment"},
    "licensing": {"zh_Hans": "准营", "en": "licensing"},
    "operation": {"zh_Hans": "经营", "en": "operation"},
    "change": {"zh_Hans": "变更", "en": "change"},
    "investment": {"zh_Hans": "投资建设", "en": "investment & construction"},
    "deregistration": {"zh_Hans": "注销", "en": "deregistration"},
}
GENDER_NAMES = {
    "male": {"zh_Hans": "男性", "en": "men"},
    "female": {"zh_Hans": "女性", "en": "women"},
}
EMPLOYMENT_NAMES = {
    "employed": {"zh_Hans": "在职", "en": "employed"},
    "self_employed": {"zh_Hans": "自雇/个体", "en": "self-employed"},
    "unemployed": {"zh_Hans": "待业", "en": "unemployed"},
    "retired": {"zh_Hans": "已退休", "en": "retired"},
    "student": {"zh_Hans": "学生", "en": "student"},
}
SIZE_NAMES = {
    "micro": {"zh_Hans": "微型企业", "en": "micro enterprise"},
    "small": {"zh_Hans": "小型企业", "en": "small enterprise"},
    "medium": {"zh_Hans": "中型企业", "en": "medium enterprise"},
    "large": {"zh_Hans": "大型企业", "en": "large enterprise"},
}

# Enterprise industries (the enterprise form's choices) in words.
INDUSTRY_NAMES = {
    "catering": {"zh_Hans": "餐饮业", "en": "catering"},
    "retail": {"zh_Hans": "零售业", "en": "retail"},
    "wholesale": {"zh_Hans": "批发业", "en": "wholesale"},
    "manufacturing": {"zh_Hans": "制造业", "en": "manufacturing"},
    "software": {"zh_Hans": "软件和信息技术业", "en": "software"},
    "it": {"zh_Hans": "信息技术业", "en": "IT"},
    "construction": {"zh_Hans": "建筑业", "en": "construction"},
    "logistics": {"zh_Hans": "物流业", "en": "logistics"},
    "education": {"zh_Hans": "教育业", "en": "education"},
    "healthcare": {"zh_Hans": "医疗卫生业", "en": "healthcare"},
    "finance": {"zh_Hans": "金融业", "en": "finance"},
    "agriculture": {"zh_Hans": "农业", "en": "agriculture"},
    "hospitality": {"zh_Hans": "住宿业", "en": "hospitality"},
    "other": {"zh_Hans": "", "en": ""},
}
SIZE_ADJECTIVES = {"micro": "micro", "small": "small", "medium": "medium-sized", "large": "large"}


def enterprise_words(industry: str | None, size: str | None) -> tuple[str, str]:
    """("广州市" omitted) "餐饮业小型企业" / "small catering enterprises": never a raw code."""
    names = INDUSTRY_NAMES.get(industry or "", {"zh_Hans": "", "en": ""})
    zh_size = SIZE_NAMES.get(size or "", {}).get("zh_Hans", "企业")
    en_words = [SIZE_ADJECTIVES.get(size or "", ""), names["en"], "enterprises"]
    return f"{names['zh_Hans']}{zh_size}", " ".join(w for w in en_words if w)


@dataclass(frozen=True)
class Tag:
    """One fact used to recommend, with its words and its source."""

    key: str
    text: dict[str, str] = field(hash=False, compare=False)
    source: str = field(default="profile", compare=False)


def band_label(value: int, bands: Sequence[tuple[int, int | None]]) -> str:
    """The band containing ``value``: ``"30-39"`` or ``"70+"``."""
    for low, high in bands:
        if value >= low and (high is None or value <= high):
            return f"{low}+" if high is None else f"{low}-{high}"
    low = bands[0][0]
    return f"{low}-{bands[0][1]}"


def age_band(age: int) -> str:
    return band_label(age, AGE_BANDS)


def child_band(age: int) -> str:
    return band_label(age, CHILD_BANDS)


def _band_words(label: str) -> tuple[str, str]:
    """``"30-39"`` → ("30–39", "30–39"); ``"70+"`` → ("70 及以上", "70 and over")."""
    if label.endswith("+"):
        low = label[:-1]
        return f"{low} 及以上", f"{low} and over"
    low, high = label.split("-")
    return f"{low}–{high}", f"{low}–{high}"


def region_words(code: str) -> dict[str, str]:
    """The region's name if known, else its code."""
    if code in REGION_NAMES:
        return dict(REGION_NAMES[code])
    if code[:2] in PROVINCE_NAMES and code[2:] == "0000":
        return dict(PROVINCE_NAMES[code[:2]])
    return {"zh_Hans": f"地区 {code}", "en": f"region {code}"}


def _province_words(prov: str) -> dict[str, str]:
    return dict(PROVINCE_NAMES.get(prov, {"zh_Hans": f"省份 {prov}", "en": f"province {prov}"}))


def _stage_words(stage: str) -> dict[str, str]:
    return STAGE_NAMES.get(stage, {"zh_Hans": stage, "en": stage})


def _region_tags(region_code: str | None, source: str) -> list[Tag]:
    if not region_code:
        return []
    name = region_words(region_code)
    tags = [
        Tag(
            f"region:{region_code}",
            {"zh_Hans": f"地区：{name['zh_Hans']}", "en": f"lives in {name['en']}"},
            source,
        )
    ]
    prov = region_code[:2]
    pname = _province_words(prov)
    tags.append(
        Tag(
            f"region_prov:{prov}",
            {"zh_Hans": f"省份：{pname['zh_Hans']}", "en": f"province: {pname['en']}"},
            source,
        )
    )
    return tags


def citizen_tags(
    age: int | None,
    gender: str | None,
    region_code: str | None,
    life_stages: Sequence[str] = (),
    child_ages: Sequence[int] = (),
    employment: str | None = None,
    has_elderly_parent: bool = False,
) -> list[Tag]:
    """The tags describing a citizen, each with words and the data it came from."""
    tags: list[Tag] = []
    if age is not None:
        zh, en = _band_words(age_band(age))
        tags.append(
            Tag(
                f"age:{age_band(age)}",
                {"zh_Hans": f"年龄 {zh} 岁", "en": f"aged {en}"},
                "profile.birth_date",
            )
        )
    if gender in GENDER_NAMES:
        tags.append(Tag(f"gender:{gender}", dict(GENDER_NAMES[gender]), "profile.gender"))
    tags.extend(_region_tags(region_code, "profile.region_code"))
    for stage in dict.fromkeys(life_stages):
        words = _stage_words(stage)
        tags.append(
            Tag(
                f"stage:{stage}",
                {"zh_Hans": f"人生阶段：{words['zh_Hans']}", "en": f"life stage: {words['en']}"},
                "lifecycle",
            )
        )
    for band in dict.fromkeys(child_band(a) for a in child_ages):
        zh, en = _band_words(band)
        tags.append(
            Tag(
                f"child:{band}",
                {"zh_Hans": f"有 {zh} 岁的子女", "en": f"has a child aged {en}"},
                "household",
            )
        )
    if employment in EMPLOYMENT_NAMES:
        words = EMPLOYMENT_NAMES[employment]
        tags.append(
            Tag(
                f"employment:{employment}",
                {"zh_Hans": f"就业状态：{words['zh_Hans']}", "en": words["en"]},
                "profile.employment",
            )
        )
    if has_elderly_parent:
        tags.append(
            Tag(
                "household:elderly_parent",
                {"zh_Hans": "家中有老人", "en": "has an elderly parent"},
                "household",
            )
        )
    return tags


def enterprise_tags(
    industry: str | None, size: str | None, age_years: int | None, region_code: str | None
) -> list[Tag]:
    """The tags describing an enterprise."""
    tags: list[Tag] = []
    if industry:
        tags.append(
            Tag(
                f"industry:{industry}",
                {"zh_Hans": f"行业：{industry}", "en": f"industry: {industry}"},
                "enterprise.industry",
            )
        )
    if size:
        words = SIZE_NAMES.get(size, {"zh_Hans": size, "en": size})
        tags.append(Tag(f"size:{size}", dict(words), "enterprise.size"))
    if age_years is not None:
        band = band_label(age_years, ENTERPRISE_AGE_BANDS)
        zh, en = _band_words(band)
        tags.append(
            Tag(
                f"ent_age:{band}",
                {"zh_Hans": f"成立 {zh} 年", "en": f"established {en} years ago"},
                "enterprise.established_on",
            )
        )
    tags.extend(_region_tags(region_code, "enterprise.region_code"))
    return tags


def item_features(
    department: str | None,
    themes: Iterable[str] = (),
    life_events: Iterable[str] = (),
    audience: str | None = None,
    online_level: int | str | None = None,
) -> list[str]:
    """Metadata feature names of a service (identity features are added by the dataset)."""
    feats: list[str] = []
    if department:
        feats.append(f"dept:{department}")
    feats.extend(f"theme:{t}" for t in dict.fromkeys(themes))
    feats.extend(f"life_event:{e}" for e in dict.fromkeys(life_events))
    if audience:
        feats.append(f"audience:{audience}")
    if online_level is not None and online_level != "":
        feats.append(f"online:{online_level}")
    return feats


def segment_words(keys: Iterable[str]) -> dict[str, str] | None:
    """Describe a segment (age band, gender, region) in words, for "often used by ..."."""
    keys = list(keys)
    age = next((k.split(":", 1)[1] for k in keys if k.startswith("age:")), None)
    gender = next((k.split(":", 1)[1] for k in keys if k.startswith("gender:")), None)
    region = next((k.split(":", 1)[1] for k in keys if k.startswith("region:")), None)
    industry = next((k.split(":", 1)[1] for k in keys if k.startswith("industry:")), None)
    size = next((k.split(":", 1)[1] for k in keys if k.startswith("size:")), None)
    if industry or size:
        zh_who, en_who = enterprise_words(industry, size)
    else:
        zh_parts, en_parts = [], ["people"]
        if gender in GENDER_NAMES:
            zh_parts.append(GENDER_NAMES[gender]["zh_Hans"])
            en_parts = [GENDER_NAMES[gender]["en"]]
        if age:
            zh, en = _band_words(age)
            zh_parts.insert(0, f"{zh} 岁")
            en_parts.append(f"aged {en}")
        if not zh_parts and not region:
            return None
        zh_who = "".join(zh_parts) + ("人群" if not gender else "")
        en_who = " ".join(en_parts)
    if region:
        name = region_words(region)
        return {"zh_Hans": f"{name['zh_Hans']}{zh_who}", "en": f"{en_who} in {name['en']}"}
    return {"zh_Hans": zh_who, "en": en_who}
