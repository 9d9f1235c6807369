"""Model versions: metrics beside baselines, train in the background, activate, roll back."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_babel import gettext as _

from webapp.admin import bp, models_admin, models_words
from webapp.admin.common import actor_id
from webapp.core.db import db
from webapp.core.forms import commit


@bp.route("/models")
def models():
    session = db.session
    versions = models_admin.list_versions(session)
    jobs = models_admin.training_jobs(session)
    training = models_admin.is_training(jobs)
    return render_template(
        "admin/models.html",
        versions=versions,
        comparison=models_admin.comparison,
        words=models_words,
        active=models_admin.active_version(session),
        training=training,
        error=models_admin.last_error(jobs),
        jobs=jobs,
    )


@bp.route("/models/train", methods=["POST"])
def models_train():
    commit(
        lambda: models_admin.start_training(db.session, actor_id()),
        _("Training is queued; a background worker runs it and this page shows its progress."),
        flash_errors=True,
    )
    return redirect(url_for("admin.models"))


@bp.route("/models/<version>/activate", methods=["POST"])
def models_activate(version: str):
    commit(
        lambda: models_admin.activate(db.session, actor_id(), version),
        _("Model %(v)s is active.", v=version),
        flash_errors=True,
    )
    return redirect(url_for("admin.models"))


@bp.route("/models/rollback", methods=["POST"])
def models_rollback():
    commit(
        lambda: models_admin.rollback(db.session, actor_id()),
        _("Rolled back to the previous model."),
        flash_errors=True,
    )
    return redirect(url_for("admin.models"))
