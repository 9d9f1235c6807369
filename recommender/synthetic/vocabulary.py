"""The vocabulary of the synthetic world: regions, life events, themes, industries, and the
need windows each dated life event opens (``EPISODES``)."""

from __future__ import annotations

REGIONS = ("110000", "310000", "330100", "350200", "440100", "440300", "520100")
REGION_WEIGHTS = (0.2, 0.2, 0.12, 0.06, 0.18, 0.18, 0.06)
CITIZEN_EVENTS = (
    "birth", "education", "work", "marriage", "childbirth",
    "housing", "travel", "healthcare", "retirement", "death",
)  # fmt: skip
ENTERPRISE_EVENTS = (
    "establishment",
    "licensing",
    "operation",
    "change",
    "investment",
    "deregistration",
)
CITIZEN_THEMES = (
    "social_security", "tax", "education", "health", "housing", "transport", "civil_affairs",
    "public_security", "employment", "elderly_care", "maternal", "culture",
)  # fmt: skip
ENTERPRISE_THEMES = (
    "market_regulation",
    "business_tax",
    "labour",
    "construction",
    "trade",
    "finance",
)
INDUSTRIES = ("catering", "retail", "manufacturing", "it", "construction", "logistics")
SIZES = ("micro", "small", "medium", "large")
EMPLOYMENTS = ("employed", "self_employed", "unemployed", "retired", "student")
KIND_P = {"view": 0.55, "pin": 0.1, "apply": 0.2, "complete": 0.12, "dismiss": 0.03}
YEAR = 365.25
# need windows: episode kind -> (service life event, days before the date, days after,
# predictable from the profile before the date, activity while the window is open)
EPISODES: dict[str, tuple[str, int, int, bool, float]] = {
    "child_born": ("birth", 0, 120, False, 1.2),
    "pregnancy_and_infant": ("childbirth", 150, 150, False, 0.8),
    "school_enrolment": ("education", 150, 45, True, 1.0),
    "retirement": ("retirement", 270, 150, True, 1.0),
    "marriage": ("marriage", 60, 45, False, 1.0),
    "move": ("housing", 45, 120, False, 0.8),
    "job_change": ("work", 20, 90, False, 0.8),
    "trip": ("travel", 40, 5, False, 0.8),
    "illness": ("healthcare", 0, 40, False, 0.8),
    "bereavement": ("death", 0, 90, False, 1.0),
    "document_renewal": ("travel", 60, 30, True, 0.8),  # ID card, driving licence, passport
    "medical_insurance_payment": ("healthcare", 0, 121, True, 0.15),  # residents', Sep–Dec
    "tax_reconciliation": ("work", 0, 121, True, 0.15),  # income tax, Mar–Jun
    "pension_certification": ("retirement", 0, 60, True, 0.3),  # yearly, from the birthday
    "elderly_allowance": ("retirement", 30, 90, True, 1.0),  # at 80
    "founding": ("establishment", 60, 60, False, 1.2),
    "first_licence": ("licensing", 0, 300, False, 0.6),
    "licence_renewal": ("licensing", 90, 30, True, 0.8),
    "annual_report": ("operation", 0, 180, True, 0.5),
    "change": ("change", 30, 60, False, 0.8),
    "investment": ("investment", 90, 180, False, 0.6),
    "deregistration": ("deregistration", 120, 30, False, 1.0),
}
EPISODE_KINDS = tuple(EPISODES)
SCHOOL_AGES = (3, 6, 12, 15)
