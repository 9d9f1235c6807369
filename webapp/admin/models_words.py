"""Model versions in words for the console: metric and baseline names, the chosen settings,
the validation curves, the time taken and why a version was (not) activated — translated,
never raw metric identifiers."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

METRIC_LABELS = {
    "precision_at_k": _l("Share of the top 10 that was used (precision)"),
    "recall_at_k": _l("Share of the used services found in the top 10 (recall)"),
    "ndcg_at_k": _l("Ranking quality of the top 10 (NDCG)"),
    "auc": _l("Used services ranked above unused ones (AUC)"),
    "coverage": _l("Share of the catalog ever recommended (coverage)"),
}
BASELINE_LABELS = {
    "global_popularity": _l("Global popularity"),
    "segment_popularity": _l("Popularity in the age band and region"),
    "lifecycle_rules": _l("Life-cycle rules only"),
    "feature_popularity": _l("Popularity among people with shared facts"),
}
FEATURE_SET_LABELS = {
    "identity": _l("who used what only"),
    "item_metadata": _l("who used what, plus service facts"),
    "item_metadata_low": _l("who used what, plus service facts at low weight"),
    "all_metadata_low": _l("who used what, plus service and personal facts at low weight"),
}
COLD_LABELS = {
    "segment": _l("popularity in the age band and region"),
    "model": _l("the model from personal facts"),
    "features": _l("popularity among people with shared facts"),
    "global": _l("global popularity"),
}


def metric_label(key: str) -> str:
    return str(METRIC_LABELS.get(key, key))


def baseline_label(key: str) -> str:
    return str(BASELINE_LABELS.get(key, key.replace("_", " ")))


def activation_words(meta: dict[str, Any] | None) -> str | None:
    """Why the version was activated or kept inactive, as a translated sentence."""
    act = (meta or {}).get("activation")
    if not act:
        return None
    v, new, old = act.get("active_version"), act.get("new"), act.get("old")
    basis = {
        "same_holdout": _("the active model was scored on the same hold-out"),
        "refit": _(
            "the active version's settings were retrained on the same data and scored on the "
            "same hold-out"
        ),
        "same_settings": _("it uses the same settings as the active version"),
        "recorded": _("compared with the active version's own hold-out figure"),
    }.get(act.get("basis") or "", "")
    code = act.get("code")
    if code == "first":
        return _("Activated: no model was active.")
    if code == "no_figure":
        return _("Activated: version %(v)s has no hold-out figure to compare with.", v=v)
    values = {"v": v, "new": f"{new:.4f}", "old": f"{old:.4f}", "basis": basis}
    if code == "not_worse":
        return _(
            "Activated: it puts the services people went on to use at least as high as version "
            "%(v)s does (ranking quality %(new)s against %(old)s; %(basis)s).",
            **values,
        )
    return _(
        "Not activated: it puts the services people went on to use lower than the active "
        "version %(v)s does (ranking quality %(new)s against %(old)s; %(basis)s).",
        **values,
    )


def choice_words(meta: dict[str, Any] | None) -> list[tuple[str, str]] | None:
    """(label, value) rows describing the chosen settings and how they were chosen."""
    meta = meta or {}
    choice, sel = meta.get("choice"), meta.get("selection") or {}
    if not choice:
        return None
    fs = choice["feature_set"]["name"]
    cold = choice.get("cold_weights") or []
    parts = [str(label) for label, w in zip(COLD_LABELS.values(), cold, strict=False) if w > 0]
    rows = [
        (_("Features used"), str(FEATURE_SET_LABELS.get(fs, fs))),
        (_("Learning rate"), f"{choice['learning_rate']:g}"),
        (_("Training rounds (epochs)"), str(choice["epochs"])),
        (
            _("Weight of “often done together”"),
            f"{choice['ease_weight']:g}" if choice["ease_weight"] else _("not used"),
        ),
        (_("People without history are ranked by"), " + ".join(parts) or "—"),
        (_("Life-cycle and popularity weights for people without history"), _cold_blend(choice)),
    ]
    if sel.get("reused_from"):
        rows.append(
            (
                _("Settings chosen"),
                _(
                    "on %(d)s, reused from version %(v)s",
                    d=sel.get("selected_on"),
                    v=sel["reused_from"],
                ),
            )
        )
    elif sel.get("selected_on"):
        rows.append((_("Settings chosen"), _("on %(d)s, by this training", d=sel["selected_on"])))
    if sel.get("seconds") is not None:
        rows.append((_("Time to choose the settings"), _("%(s)s s", s=sel["seconds"])))
    if meta.get("seconds") is not None:
        rows.append((_("Time to train this version"), _("%(s)s s", s=meta["seconds"])))
    return rows


def _cold_blend(choice: dict[str, Any]) -> str:
    weights = choice.get("cold_blend")
    if weights is None:
        return _("the ranking parameters, as for everyone")
    life, upcoming, popularity = (float(w) for w in weights)
    if not (life or upcoming or popularity):
        return _("none: the ranking above alone did best on new people held out")
    return _(
        "life events %(l)s, upcoming events %(n)s, popularity %(p)s (chosen on new people "
        "held out)",
        l=f"{life:g}",
        n=f"{upcoming:g}",
        p=f"{popularity:g}",
    )


def curve_rows(meta: dict[str, Any] | None) -> list[tuple[str, str]]:
    """One row per setting tried: what it was and its validation ranking quality by epochs."""
    out = []
    for c in ((meta or {}).get("selection") or {}).get("curves") or []:
        fs = str(FEATURE_SET_LABELS.get(c["feature_set"], c["feature_set"]))
        label = _("%(f)s, learning rate %(lr)s", f=fs, lr=f"{c['learning_rate']:g}")
        out.append((label, ", ".join(f"{int(e)}: {v:.4f}" for e, v in c["points"])))
    return out
