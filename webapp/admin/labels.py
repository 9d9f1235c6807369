"""Words for the codes the console shows (metrics, channels, statuses, segment values,
dashboard columns): an administrator reads labels, never identifiers. CSV exports keep
the codes."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

TERMS = {
    # model metrics and baselines
    "precision_at_k": _l("Precision in the top 10"),
    "recall_at_k": _l("Recall in the top 10"),
    "ndcg_at_k": _l("Ranking quality (NDCG@10)"),
    "auc": _l("Area under the ROC curve"),
    "coverage": _l("Catalog coverage"),
    "global_popularity": _l("Most used overall"),
    "segment_popularity": _l("Most used by similar people"),
    "lifecycle_rules": _l("Life-cycle rules only"),
    # model statuses
    "active": _l("active"),
    "inactive": _l("not active"),
    "training": _l("training"),
    "failed": _l("failed"),
    "skipped": _l("skipped"),
    # reminder channels and statuses
    "inbox": _l("Inbox"),
    "email": _l("E-mail"),
    "sent": _l("Sent"),
    "expired": _l("Expired"),
    # duty states
    "open": _l("Open"),
    "done": _l("Done"),
    "overdue": _l("Overdue"),
    # interactions
    "impression": _l("Shown"),
    "view": _l("Opened"),
    "apply": _l("Applied"),
    "impressions": _l("Shown"),
    "views": _l("Opened"),
    "applications": _l("Applied"),
    "click_through": _l("Click-through rate"),
    # audit target types
    "blend_params": _l("Ranking parameters"),
    "duty_sync": _l("Duty update"),
    "local_window": _l("Local time window"),
    "reminder_policy": _l("Reminder lead times"),
    "rule_version": _l("Rule version"),
    "tax_override": _l("Tax deadline"),
    "enterprise_claim": _l("Enterprise claim"),
    "holiday_calendar": _l("Holiday calendar"),
    "rule_id": _l("Rule"),
    # local window kinds
    "school_registration": _l("Primary school registration"),
    "junior_school_registration": _l("Junior school registration"),
    "medical_insurance": _l("Resident medical insurance payment"),
    # the ranking engine a sandbox preview used
    "recommendations": _l("the live recommendations"),
    # dashboard columns
    "day": _l("Day"),
    "week": _l("Week"),
    "channel": _l("Channel"),
    "life_event": _l("Life event"),
    "rule": _l("Rule"),
    "model_version": _l("Model version"),
    "service_code": _l("Service code"),
    "name": _l("Name"),
    "uses": _l("Uses"),
    "department": _l("Department"),
    "services": _l("Services"),
    "statutory_days": _l("Statutory days"),
    "promised_days": _l("Promised days"),
    "saved_share": _l("Time saved"),
    # segment values
    "employed": _l("Employed"),
    "self_employed": _l("Self-employed"),
    "unemployed": _l("Unemployed"),
    "retired": _l("Retired"),
    "student": _l("Student"),
    "micro": _l("Micro enterprise"),
    "small": _l("Small enterprise"),
    "medium": _l("Medium-sized enterprise"),
    "large": _l("Large enterprise"),
    "catering": _l("Catering"),
    "retail": _l("Retail"),
    "wholesale": _l("Wholesale"),
    "manufacturing": _l("Manufacturing"),
    "software": _l("Software and IT"),
    "construction": _l("Construction"),
    "logistics": _l("Logistics"),
    "education": _l("Education"),
    "healthcare": _l("Health care"),
    "finance": _l("Finance"),
    "agriculture": _l("Agriculture"),
    "hospitality": _l("Hospitality"),
    "other": _l("Other"),
    "birth": _l("Birth"),
    "work": _l("Work"),
    "marriage": _l("Marriage"),
    "childbirth": _l("Having a child"),
    "housing": _l("Housing"),
    "travel": _l("Travel"),
    "retirement": _l("Retirement"),
    "death": _l("Death"),
    "establishment": _l("Setting up"),
    "licensing": _l("Licensing"),
    "operation": _l("Operating"),
    "change": _l("Changes"),
    "investment": _l("Investment"),
    "deregistration": _l("Closing down"),
}


def term(value) -> str:
    """The label of a code; anything else (a name, a number) as it is."""
    if isinstance(value, str) and value in TERMS:
        return str(TERMS[value])
    return value


_CODE = re.compile(r"^[a-z]+(?:_[a-z0-9]+)+$")


def cell(value):
    """A dashboard cell: a known code as its label, another code marked as code."""
    value = term(value)
    if isinstance(value, str) and _CODE.match(value):
        return Markup("<code>{}</code>").format(value)
    return value


_ACTIVATED_NONE = re.compile(r"^activated: no model was active$")
_ACTIVATED_NO_FIGURE = re.compile(r"^activated: version (\S+) has no hold-out figure$")
_ACTIVATED = re.compile(r"^activated: NDCG@\d+ ([\d.]+) ≥ ([\d.]+) of version (\S+) \((.+)\)$")
_NOT_ACTIVATED = re.compile(
    r"^not activated: NDCG@\d+ ([\d.]+) is worse than ([\d.]+) of the active version (\S+) "
    r"\((.+)\)$"
)


def _basis(text: str) -> str:
    return _("on the same hold-out") if text == "this hold-out" else _("on its own hold-out")


def model_note(note: str | None) -> str:
    """A model version's training note in words (the note is stored in English)."""
    if not note:
        return ""
    if _ACTIVATED_NONE.match(note):
        return _("Activated: no model was active.")
    if m := _ACTIVATED_NO_FIGURE.match(note):
        return _("Activated: version %(v)s has no figure to compare with.", v=m.group(1))
    if m := _ACTIVATED.match(note):
        return _(
            "Activated: its ranking quality %(new)s is at least the %(old)s of version %(v)s "
            "(%(basis)s).",
            new=m.group(1),
            old=m.group(2),
            v=m.group(3),
            basis=_basis(m.group(4)),
        )
    if m := _NOT_ACTIVATED.match(note):
        return _(
            "Not activated: its ranking quality %(new)s is below the %(old)s of the active "
            "version %(v)s (%(basis)s).",
            new=m.group(1),
            old=m.group(2),
            v=m.group(3),
            basis=_basis(m.group(4)),
        )
    return note
