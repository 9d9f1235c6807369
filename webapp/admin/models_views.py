"""Model versions: metrics beside baselines, train in the background, activate, roll back."""

from __future__ import annotations

from flask import current_app, redirect, render_template, url_for
from flask_babel import gettext as _

from webapp.admin import bp, models_admin, models_words
from webapp.admin.common import actor_id, run
from webapp.core.db import db


@bp.route("/models")
def models():
    session = db.session
    versions = models_admin.list_versions(session)
    training = models_admin.is_training() or any(v.status == "training" for v in versions)
    return render_template(
        "admin/models.html",
        versions=versions,
        comparison=models_admin.comparison,
        words=models_words,
        active=models_admin.active_version(session),
        training=training,
        available=models_admin.training_available(),
        error=models_admin.last_error(),
    )


@bp.route("/models/train", methods=["POST"])
def models_train():
    app = current_app._get_current_object()
    run(
        lambda: models_admin.start_training(app, db.session, actor_id()),
        _("Training started in the background; this page shows its progress."),
    )
    return redirect(url_for("admin.models"))


@bp.route("/models/<version>/activate", methods=["POST"])
def models_activate(version: str):
    run(
        lambda: models_admin.activate(db.session, actor_id(), version),
        _("Model %(v)s is active.", v=version),
    )
    return redirect(url_for("admin.models"))


@bp.route("/models/rollback", methods=["POST"])
def models_rollback():
    run(
        lambda: models_admin.rollback(db.session, actor_id()),
        _("Rolled back to the previous model."),
    )
    return redirect(url_for("admin.models"))
