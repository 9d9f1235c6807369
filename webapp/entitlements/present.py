"""Entitlements as data for the API, the page and the widget (titles in the user's language)."""

from __future__ import annotations

from flask_babel import gettext as _

from lifecycle.entitlements import Amount, Entitlement
from webapp.entitlements import words


def _amount(a: Amount | None) -> dict | None:
    return None if a is None else {"value": a.value, "currency": a.currency, "period": a.period}


def subject_dict(key: str, name: str) -> dict:
    kind, _, ident = key.partition(":")
    return {"kind": kind, "id": int(ident) if ident.isdigit() else 0, "name": name}


def entitlement_dict(e: Entitlement) -> dict:
    return {
        "key": e.key,
        "title": str(words.TITLES.get(e.key, e.key)),
        "kind": e.kind,
        "subject": subject_dict(e.subject.key, e.subject.name),
        "amount": _amount(e.amount),
        "from": e.start,
        "to": e.end,
        "status": e.status,
        "missing_facts": list(e.missing_facts),
        "legal_basis": e.legal_basis,
        "service_code": e.service_code,
        "facts_used": list(e.facts_used),
        "splits": [
            {"share_percent": s.share_percent, "amount": _amount(s.amount)} for s in e.splits
        ],
        "tax_saved": _amount(e.tax_saved),
        "total": _amount(e.total),
        "note": e.note,
    }


def amount_text(a: Amount | None) -> str:
    if a is None:
        return ""
    return _("%(value)s yuan %(period)s", value=f"{a.value:,}", period=words.PERIODS[a.period])
