"""The hard eligibility gate before blending, and the entitlement signal.

``eligible_candidates`` evaluates every catalog service's conditions once for the subject
(lifecycle.eligibility): a service the subject is known not to be eligible for is never a
candidate; one whose facts are missing stays, marked, below the eligible ones
(``order_unknowns_last``). ``entitlement_signals`` lifts the service that claims an open
entitlement, with the reason ("您可能可以享受育儿补贴，每孩每年 3,600 元").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from flask_babel import force_locale
from flask_babel import gettext as _

from lifecycle.eligibility import Gate, ServiceConditions
from lifecycle.eligibility import eligible_candidates as _gate
from lifecycle.entitlements import Entitlement, person_entitlements
from lifecycle.subjects import Enterprise as EnterpriseSubject
from lifecycle.subjects import Household
from recommender.context import LifecycleSignal, UserContext
from webapp import entitlements

#: Strength of the entitlement signal (an open duty is 1.0, a dated life-stage fact 0.35).
ENTITLEMENT_ELIGIBLE = 0.6
ENTITLEMENT_UPCOMING = 0.3
LOCALES = ("zh_Hans", "zh_Hant", "en")


def eligible_candidates(
    conditions: Iterable[ServiceConditions],
    today: date,
    *,
    household: Household | None = None,
    enterprise: EnterpriseSubject | None = None,
) -> Gate:
    """The gate the ranking calls before blending (see the module docstring)."""
    return _gate(conditions, today, household=household, enterprise=enterprise)


def apply_gate(ctx: UserContext, gate: Gate) -> None:
    """Not eligible: filtered like a dismissal (never shown, not recorded as one).

    With personalisation switched off the ranking must be the same for everyone and use
    none of the person's data, so only services for everyone remain (a service with
    conditions could then fail them unseen)."""
    if not ctx.personalized:
        ctx.dismissed |= gate.excluded | gate.unknowns
        ctx.uncertain = set()
        return
    ctx.dismissed |= gate.excluded
    ctx.uncertain = set(gate.unknowns)


def order_unknowns_last(items: Sequence, uncertain: set[str], code=lambda r: r.code) -> list:
    """Eligible services first, then those whose eligibility is not known yet (stable)."""
    return [r for r in items if code(r) not in uncertain] + [
        r for r in items if code(r) in uncertain
    ]


def unknown_reason() -> dict[str, str]:
    out = {}
    for locale in LOCALES:
        with force_locale(locale):
            out[locale] = _(
                "We do not know yet whether you qualify: a fact is missing (see “why am I "
                "seeing this”)."
            )
    return out


def _entitlement_reason(e: Entitlement) -> dict[str, str]:
    out = {}
    for locale in LOCALES:
        with force_locale(locale):
            title = str(entitlements.TITLES.get(e.key, e.key))
            if e.amount is not None:
                amount = _(
                    "%(value)s yuan %(period)s",
                    value=f"{e.amount.value:,}",
                    period=entitlements.PERIODS[e.amount.period],
                )
                out[locale] = _(
                    "You may be able to claim %(title)s: %(amount)s", title=title, amount=amount
                )
            else:
                out[locale] = _("You may be able to claim %(title)s", title=title)
    return out


def entitlement_signals(household: Household, today: date) -> dict[str, LifecycleSignal]:
    """Services that claim an eligible (or upcoming) entitlement, with the reason."""
    out: dict[str, LifecycleSignal] = {}
    for e in person_entitlements(household, today):
        if e.service_code is None or e.status == "unknown":
            continue
        strength = ENTITLEMENT_ELIGIBLE if e.status == "eligible" else ENTITLEMENT_UPCOMING
        old = out.get(e.service_code)
        if old is not None and old.strength >= strength:
            continue
        source = "household" if e.subject.key.startswith("household:") else "profile"
        out[e.service_code] = LifecycleSignal(
            strength, _entitlement_reason(e), source, "entitlement"
        )
    return out
