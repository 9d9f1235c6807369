"""Legal citations for readers of English: known act names translated, article numbers in
figures, and whatever stays Chinese marked as such (WCAG 3.1.2, language of parts).

``english_citation("《中华人民共和国社会保险法》第五十八条")`` gives the parts
``[CitationPart("Social Insurance Law of the PRC, Art. 58", None)]``; an act without a known
English name stays in Chinese with ``lang="zh-Hans"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PRC = "中华人民共和国"

# English names of the acts the catalog and the rules cite, keyed without the "中华人民共和国"
# prefix (the prefix becomes " of the PRC" on laws).
ACT_NAMES_EN: dict[str, str] = {
    "个人所得税法": "Individual Income Tax Law of the PRC",
    "个人所得税法实施条例": "Regulations for the Implementation of the Individual Income Tax Law",
    "个人所得税专项附加扣除暂行办法": "Interim Measures on Special Additional Deductions for "
    "Individual Income Tax",
    "个人信息保护法": "Personal Information Protection Law of the PRC",
    "义务教育法": "Compulsory Education Law of the PRC",
    "人口与计划生育法": "Population and Family Planning Law of the PRC",
    "企业所得税法": "Enterprise Income Tax Law of the PRC",
    "公司法": "Company Law of the PRC",
    "公证法": "Notary Law of the PRC",
    "农民专业合作社法": "Law of the PRC on Farmers' Specialized Cooperatives",
    "劳动争议调解仲裁法": "Labour Dispute Mediation and Arbitration Law of the PRC",
    "劳动合同法": "Labour Contract Law of the PRC",
    "医师法": "Physicians Law of the PRC",
    "印花税法": "Stamp Tax Law of the PRC",
    "发票管理办法": "Measures of the PRC for the Administration of Invoices",
    "商标法": "Trademark Law of the PRC",
    "城乡规划法": "Urban and Rural Planning Law of the PRC",
    "基本医疗卫生与健康促进法": "Law of the PRC on Basic Medical and Health Care",
    "增值税法": "Value-Added Tax Law of the PRC",
    "外商投资法": "Foreign Investment Law of the PRC",
    "契税法": "Deed Tax Law of the PRC",
    "就业促进法": "Employment Promotion Law of the PRC",
    "居民身份证法": "Resident Identity Card Law of the PRC",
    "市场主体登记管理条例": "Regulations of the PRC on the Registration of Market Entities",
    "建筑法": "Construction Law of the PRC",
    "户口登记条例": "Regulations of the PRC on Household Registration",
    "房产税暂行条例": "Interim Regulations of the PRC on Property Tax",
    "护照法": "Passport Law of the PRC",
    "残疾人保障法": "Law of the PRC on the Protection of Persons with Disabilities",
    "母婴保健法": "Law of the PRC on Maternal and Infant Health Care",
    "民法典": "Civil Code of the PRC",
    "消防法": "Fire Protection Law of the PRC",
    "特种设备安全法": "Special Equipment Safety Law of the PRC",
    "献血法": "Blood Donation Law of the PRC",
    "环境影响评价法": "Environmental Impact Assessment Law of the PRC",
    "疫苗管理法": "Vaccine Administration Law of the PRC",
    "社会保险法": "Social Insurance Law of the PRC",
    "税收征收管理法": "Law of the PRC on the Administration of Tax Collection",
    "税收征收管理法实施细则": "Detailed Rules for the Implementation of the Law on the "
    "Administration of Tax Collection",
    "老年人权益保障法": "Law of the PRC on the Protection of the Rights and Interests of the "
    "Elderly",
    "职业教育法": "Vocational Education Law of the PRC",
    "药品管理法": "Drug Administration Law of the PRC",
    "车辆购置税法": "Vehicle Purchase Tax Law of the PRC",
    "退役军人保障法": "Law of the PRC on the Protection of Veterans",
    "道路交通安全法": "Road Traffic Safety Law of the PRC",
    "道路运输条例": "Regulations of the PRC on Road Transport",
    "食品安全法": "Food Safety Law of the PRC",
    "高等教育法": "Higher Education Law of the PRC",
    "不动产登记暂行条例": "Interim Regulations on Real Estate Registration",
    "不动产登记暂行条例实施细则": "Detailed Rules for the Implementation of the Interim "
    "Regulations on Real Estate Registration",
    "住房公积金管理条例": "Regulations on the Administration of Housing Provident Funds",
    "居住证暂行条例": "Interim Regulations on Residence Permits",
    "婚姻登记条例": "Regulations on Marriage Registration",
    "工伤保险条例": "Regulations on Work-Related Injury Insurance",
    "殡葬管理条例": "Regulations on Funeral and Interment Administration",
    "社会救助暂行办法": "Interim Measures for Social Assistance",
    "企业信息公示暂行条例": "Interim Regulations on Enterprise Information Disclosure",
    "企业名称登记管理规定": "Provisions on the Administration of Enterprise Name Registration",
    "机动车驾驶证申领和使用规定": "Provisions on the Application for and Use of Motor "
    "Vehicle Driving Licences",
    "机动车登记规定": "Provisions on Motor Vehicle Registration",
    "食品经营许可和备案管理办法": "Measures for the Administration of Food Business Licensing "
    "and Filing",
    "食品生产许可管理办法": "Measures for the Administration of Food Production Licensing",
    "医疗机构管理条例": "Regulations on the Administration of Medical Institutions",
    "公共场所卫生管理条例": "Regulations on Hygiene Administration in Public Places",
    "危险化学品安全管理条例": "Regulations on the Safe Management of Hazardous Chemicals",
    "娱乐场所管理条例": "Regulations on the Administration of Entertainment Venues",
    "排污许可管理条例": "Regulations on the Administration of Pollutant Discharge Permits",
    "教师资格条例": "Regulations on Teacher Qualifications",
    "残疾人就业条例": "Regulations on the Employment of Persons with Disabilities",
    "退役士兵安置条例": "Regulations on the Resettlement of Discharged Soldiers",
    "劳动保障监察条例": "Regulations on Labour Security Supervision",
    "全国年节及纪念日放假办法": "Measures on National Holidays and Memorial Days",
    "人民币银行结算账户管理办法": "Measures for the Administration of RMB Bank Settlement Accounts",
    "社会保障卡管理办法": "Measures for the Administration of Social Security Cards",
    "社会保险登记管理暂行办法": "Interim Measures for Social Insurance Registration",
    "新生儿疾病筛查管理办法": "Measures for the Administration of Newborn Disease Screening",
    "出生医学证明": "Medical Birth Certificate",
    "育儿补贴制度实施方案": "Implementation Plan for the Childcare Subsidy System",
    "境外投资管理办法": "Measures for the Administration of Overseas Investment",
    "外商投资信息报告办法": "Measures for Reporting Foreign Investment Information",
    "股权出质登记办法": "Measures for the Registration of Equity Pledges",
    "幼儿园工作规程": "Kindergarten Work Regulations",
}

CHINESE_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
CHINESE_DIGITS.update({"七": 7, "八": 8, "九": 9})
CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000}

_ACT = re.compile(r"《([^》]+)》")
_ARTICLE = re.compile(r"第([零一二两三四五六七八九十百千\d]+)条")
_PARAGRAPH = re.compile(r"第([零一二两三四五六七八九十百千\d]+)款")
_CJK_CHARS = r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef《》“”‘’]"
_CJK = re.compile(rf"{_CJK_CHARS}+(?: +{_CJK_CHARS}+)*")


@dataclass(frozen=True)
class CitationPart:
    """A run of citation text; ``lang`` is "zh-Hans" for a part left in Chinese."""

    text: str
    lang: str | None = None


def chinese_number(text: str) -> int:
    """第五十八条 -> 58: Chinese numerals below ten thousand (or plain digits)."""
    if text.isdigit():
        return int(text)
    total, digit = 0, 0
    for char in text:
        if char in CHINESE_DIGITS:
            digit = CHINESE_DIGITS[char]
        elif char in CHINESE_UNITS:
            total += (digit or 1) * CHINESE_UNITS[char]
            digit = 0
    return total + digit


def act_name_en(name: str) -> str | None:
    key = name.removeprefix(PRC)
    return ACT_NAMES_EN.get(key)


def _translate_known(text: str) -> str:
    def act(match: re.Match) -> str:
        english = act_name_en(match.group(1))
        return english if english else match.group(0)

    text = _ACT.sub(act, text)
    text = _ARTICLE.sub(lambda m: f", Art. {chinese_number(m.group(1))}", text)
    text = _PARAGRAPH.sub(lambda m: f"({chinese_number(m.group(1))})", text)
    text = text.replace("、", "; ").replace("，", ", ").replace("；", "; ").replace("。", ". ")
    text = text.replace("（", " (").replace("）", ")").replace("：", ": ")
    return re.sub(r"\s+,", ",", re.sub(r" {2,}", " ", text)).strip()


def english_citation(text: str) -> list[CitationPart]:
    """The citation for an English page: known acts translated, the rest marked Chinese."""
    english = _translate_known(text or "")
    return mark_chinese(english)


def mark_chinese(text: str) -> list[CitationPart]:
    """Split text into plain parts and Chinese parts (the latter with ``lang="zh-Hans"``)."""
    parts: list[CitationPart] = []
    position = 0
    for match in _CJK.finditer(text or ""):
        if not re.search(r"[\u3400-\u9fff]", match.group(0)):
            continue
        if match.start() > position:
            parts.append(CitationPart(text[position : match.start()]))
        parts.append(CitationPart(match.group(0), "zh-Hans"))
        position = match.end()
    if position < len(text or ""):
        parts.append(CitationPart(text[position:]))
    return parts
