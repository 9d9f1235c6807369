"""The 您可以享受 widget on the personal page: what the household can claim, with amounts."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from webapp.entitlements import facts as fact_store
from webapp.entitlements import service
from webapp.entitlements.present import amount_text, entitlement_dict
from webapp.page import PageContext, register_widget


def load_entitlements(ctx: PageContext, settings: dict) -> dict:
    if ctx.person is None:
        return {"items": [], "page_url": url_for("entitlements.mine")}
    view = service.for_household(
        ctx.session, ctx.person, ctx.household, ctx.today, stored=fact_store.page_facts(ctx)
    )
    limit = int(settings.get("limit") or 5)
    items = []
    for e in view.items[:limit]:
        item = entitlement_dict(e)
        item["amount_text"] = amount_text(e.amount)
        items.append(item)
    return {
        "items": items,
        "more": max(0, len(view.items) - limit),
        "page_url": url_for("entitlements.mine"),
        "facts_url": url_for("entitlements.questionnaire"),
    }


register_widget(
    "entitlements",
    lambda: _("What you can claim"),
    load_entitlements,
    order=25,
    template="entitlements/_widget.html",
    description=lambda: _("Benefits and tax deductions your facts qualify you for, with amounts"),
    # It follows the person's and household's data and stated facts (the data version) and
    # the day: part of the cached page model, whose context carries the person.
    cache="model",
)
