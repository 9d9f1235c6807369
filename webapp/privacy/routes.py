"""The privacy centre's pages: plain forms, one POST button per decision, no JavaScript."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, logout_user

from webapp import enterprise as enterprise_feature
from webapp import recommend
from webapp.core.clock import local_today
from webapp.core.db import db
from webapp.core.forms import service_error_dict
from webapp.core.navigation import register_nav, register_settings
from webapp.core.service_errors import ServiceError
from webapp.privacy import consents, deletion
from webapp.privacy import services as privacy
from webapp.privacy import why as reasons
from webapp.privacy.models import PURPOSES

bp = Blueprint("privacy", __name__, url_prefix="/privacy")

register_settings("privacy.index", lambda: _("Privacy centre"), order=40)
# In the header too: what the page knows about the user is one click away.
register_nav("privacy.index", lambda: _("Privacy"), order=80, roles=("citizen", "business"))

# What an access-log row says was read, in words (others are shown as recorded).
ACCESS_WHAT = {
    "profile": _l("Your profile"),
    "household": _l("Your household"),
    "duties": _l("Your duties"),
    "page": _l("Your personal page"),
    "enterprises": _l("Your enterprises"),
    "recommendations": _l("Your recommendations (previewed by an admin)"),
    "family_view": _l("Viewed your page for you (family mandate)"),
    "family_done": _l("Marked a duty done for you"),
    "family_snooze": _l("Snoozed a duty for you"),
    "family_profile": _l("Filled in your profile for you"),
    "family_settings": _l("Changed your reminder settings for you"),
    "family_act": _l("Acted for you (family mandate)"),
}


def _me():
    return db.session.merge(current_user._get_current_object())


@bp.route("/")
@login_required
def index():
    account = _me()
    state = consents.current_consents(db.session, account.id)
    return render_template(
        "privacy/index.html",
        purposes=[(p, consents.PURPOSE_INFO[p], state[p]) for p in PURPOSES],
        personalized=state["personalized_recommendations"],
        history=consents.consent_history(db.session, account.id),
        consent_titles={p: consents.PURPOSE_INFO[p]["title"] for p in PURPOSES},
    )


@bp.route("/consents/<purpose>", methods=["POST"])
@login_required
def set_consent(purpose: str):
    if purpose not in PURPOSES:
        abort(404)
    granted = request.form.get("granted") == "1"
    consents.set_consents(db.session, current_user.id, {purpose: granted})
    db.session.commit()
    title = consents.PURPOSE_INFO[purpose]["title"]
    if granted:
        flash(_("Consent given: %(purpose)s.", purpose=title))
    else:
        flash(_("Consent withdrawn: %(purpose)s.", purpose=title))
    return redirect(url_for("privacy.index") + f"#consent-{purpose}")


@bp.route("/tags", methods=["GET", "POST"])
@login_required
def my_tags():
    account = _me()
    today = local_today()
    if request.method == "POST":
        key = request.form.get("key", "")[:60]
        enabled = request.form.get("enabled") == "1"
        try:
            tag = recommend.set_tag(db.session, account, key, enabled, today)
        except ServiceError:
            db.session.rollback()
            abort(404)
        db.session.commit()
        from webapp.core.i18n import localized

        if enabled:
            flash(_("This tag is used again: %(tag)s.", tag=localized(tag["text"])))
        else:
            flash(_("This tag is no longer used: %(tag)s.", tag=localized(tag["text"])))
        return redirect(url_for("privacy.my_tags"))
    return render_template(
        "privacy/tags.html",
        tags=recommend.my_tags(db.session, account, today),
        enterprise_facts=recommend.enterprise_facts(db.session, account, today),
        personalized=consents.is_granted(db.session, account.id, "personalized_recommendations"),
    )


@bp.route("/why/<service_code>")
@login_required
def why(service_code: str):
    account = _me()
    enterprise = None
    if request.args.get("enterprise"):  # a recommendation on an enterprise page
        try:
            enterprise, _membership = enterprise_feature.get_for_member(
                db.session, account, request.args["enterprise"][:18]
            )
        except ServiceError:
            abort(404)
    explanation = reasons.explain_recommendation(
        db.session, account, service_code[:60], local_today(), enterprise=enterprise
    )
    if explanation is None:
        abort(404)
    return render_template("privacy/why.html", ex=explanation)


@bp.route("/access-log")
@login_required
def access_log():
    rows = privacy.access_log(db.session, current_user.id)
    return render_template("privacy/access_log.html", rows=rows, access_what=ACCESS_WHAT)


@bp.route("/export")
@login_required
def export():
    account = _me()
    response = Response(privacy.export_json(db.session, account), mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{privacy.export_filename()}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/delete", methods=["GET", "POST"])
@login_required
def delete():
    errors: dict[str, str] = {}
    status = 422
    if request.method == "POST":
        if request.form.get("confirm") != "yes":
            errors = {"confirm": _("Tick the box to confirm that you want to delete everything.")}
        else:
            account = _me()
            try:
                deletion.delete_account(
                    db.session,
                    account,
                    request.form.get("password", "")[:256],
                    address=request.remote_addr or "",
                )
                db.session.commit()
            except ServiceError as exc:
                db.session.rollback()
                errors = service_error_dict(exc)
                status = exc.status if exc.status == 429 else 422
            else:
                logout_user()
                session.clear()
                flash(_("Your account and your personal data have been deleted."))
                return redirect(url_for("main.home"))
    return render_template("privacy/delete.html", errors=errors), (status if errors else 200)
