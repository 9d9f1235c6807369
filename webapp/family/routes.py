"""The family pages at /family: links, invitations, mandates, family reminders, acting as."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from webapp import page as page_feature
from webapp import people
from webapp.accounts.models import Account
from webapp.core import clock
from webapp.core.db import db
from webapp.core.navigation import register_nav, register_settings
from webapp.core.service_errors import ServiceError
from webapp.core.view_helpers import signed_in_account
from webapp.family import in_person, links, mandates, shared
from webapp.family.models import SCOPES
from webapp.people.models import HouseholdMember

bp = Blueprint("family", __name__, url_prefix="/family")
register_nav("family.index", lambda: _("My family"), order=30, roles=("citizen",))
register_settings("family.index", lambda: _("My family"), order=30, roles=("citizen",))

# Widgets shown when acting as a member: those without forms that act on the viewer's account.
AS_WIDGETS = ("due_soon", "household", "bundles", "recent")
SCOPE_LABELS = {
    "view": _l("view my page, duties and entitlements"),
    "reminders": _l("receive my reminders"),
    "act": _l("act for me (mark done, snooze, reminder settings, profile)"),
}
# What a family member did for the account, as its activity shows it (由 李明 代为标记完成).
DONE_LABELS = {
    "family_done": _l("Marked a duty done for you"),
    "family_snooze": _l("Snoozed a duty for you"),
    "family_profile": _l("Filled in your profile for you"),
    "family_settings": _l("Changed your reminder settings for you"),
    "family_act": _l("Acted for you (family mandate)"),
}
STATUS_LABELS = {"active": _l("active"), "expired": _l("expired"), "revoked": _l("revoked")}


@bp.before_app_request
def _announce_in_person_mandates():
    """A mandate recorded at a counter is shown to the member on their next sign-in: their
    page carries a notice until they have seen it on /family."""
    if request.endpoint != "page.home" or not current_user.is_authenticated:
        return
    me = signed_in_account()
    # One query: the unseen mandates, and those recorded for this verified address.
    if in_person.unseen_or_attach(db.session, me):
        db.session.commit()
        flash(_("A mandate to act for you was recorded at a service counter: see My family."))


def _run(action, success: str):
    try:
        action()
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return False
    db.session.commit()
    flash(success, "info")
    return True


@bp.route("/")
@login_required
def index():
    me = signed_in_account()
    today = clock.local_today()
    if in_person.attach(db.session, me):
        db.session.commit()
    members = db.session.query(HouseholdMember).filter_by(account_id=me.id).all()
    states = {m.id: links.invitation_state(db.session, me, m.id) for m in members}
    new_token = request.args.get("invited")
    rows = mandates.on_account(db.session, me.id)
    unseen = mandates.unseen(db.session, me.id)
    if unseen:
        mandates.mark_seen(db.session, me.id)
        db.session.commit()
    family_links = links.links_for(db.session, me.id)
    others = {
        (x.linked_account_id if x.account_id == me.id else x.account_id) for x in family_links
    }
    return render_template(
        "family/index.html",
        members=members,
        member_names=people.linked_names(db.session, members),
        states=states,
        new_token=new_token,
        links=family_links,
        linked_people=[(a, links.person_name(db.session, a)) for a in sorted(others)],
        granted=[mandates.view_of(db.session, r, today) for r in rows if r.grantor_id == me.id],
        received=[mandates.view_of(db.session, r, today) for r in rows if r.grantee_id == me.id],
        unseen=[mandates.view_of(db.session, r, today) for r in unseen],
        to_confirm=[
            mandates.view_of(db.session, r, today) for r in in_person.to_confirm(db.session, me.id)
        ],
        reminders=shared.reminders_for(db.session, me, today, me.locale or "zh_Hans"),
        done_for_me=mandates.done_for(db.session, me.id),
        DONE_LABELS=DONE_LABELS,
        shares=set(shared.spouses_sharing(db.session, me.id)),
        scopes=SCOPES,
        SCOPE_LABELS=SCOPE_LABELS,
        STATUS_LABELS=STATUS_LABELS,
        me=me,
        name_of=lambda a: links.person_name(db.session, a),
        today=today,
    )


@bp.route("/household/<int:member_id>/invite", methods=["POST"])
@login_required
def invite(member_id: int):
    holder = {}

    def action():
        holder["state"] = links.invite(db.session, signed_in_account(), member_id)

    if _run(action, _("The invitation is ready: send the link or the code to your family member.")):
        return redirect(url_for("family.index", invited=holder["state"].token))
    return redirect(url_for("family.index"))


@bp.route("/household/<int:member_id>/unlink", methods=["POST"])
@login_required
def unlink(member_id: int):
    _run(lambda: links.unlink(db.session, signed_in_account(), member_id), _("The link has ended."))
    return redirect(url_for("family.index"))


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@login_required
def accept(token: str):
    if request.method == "POST":
        ok = _run(
            lambda: links.accept(db.session, signed_in_account(), token[:200]),
            _("Your account is now linked with your family member's household."),
        )
        if ok:
            return redirect(url_for("family.index"))
        return redirect(url_for("family.accept", token=token))
    return render_template("family/accept.html", token=token)


def _until() -> date | None:
    raw = request.form.get("valid_until", "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ServiceError(
            "invalid_date", _("Enter a date as YYYY-MM-DD."), "valid_until"
        ) from None


@bp.route("/mandates", methods=["POST"])
@login_required
def grant():
    def action():
        try:
            grantee = int(request.form.get("grantee", ""))
        except ValueError:
            raise ServiceError("invalid", _("Choose a linked family member.")) from None
        holder["granted"] = mandates.grant(
            db.session,
            signed_in_account(),
            grantee,
            request.form.getlist("scopes"),
            _until(),
            request.form.get("elder_mode") == "1",
        )

    holder: dict = {}
    try:
        action()
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("family.index"))
    db.session.commit()
    if holder["granted"].created:
        flash(_("The mandate is granted."), "info")
    else:
        flash(
            _(
                "%(name)s already had a mandate from you: it now allows what you chose.",
                name=links.person_name(db.session, holder["granted"].mandate.grantee_id),
            ),
            "info",
        )
    return redirect(url_for("family.index"))


@bp.route("/mandates/<int:mandate_id>/revoke", methods=["POST"])
@login_required
def revoke(mandate_id: int):
    _run(
        lambda: mandates.revoke(db.session, signed_in_account(), mandate_id),
        _("The mandate is revoked."),
    )
    return redirect(url_for("family.index"))


@bp.route("/mandates/<int:mandate_id>/confirm", methods=["POST"])
@login_required
def confirm(mandate_id: int):
    _run(
        lambda: in_person.confirm(db.session, signed_in_account(), mandate_id),
        _("The mandate is confirmed."),
    )
    return redirect(url_for("family.index"))


@bp.route("/reminders/<int:duty_id>/done", methods=["POST"])
@login_required
def reminder_done(duty_id: int):
    _run(
        lambda: shared.mark_done(db.session, signed_in_account(), duty_id),
        _("Marked done for the family."),
    )
    return redirect(url_for("family.index"))


@bp.route("/shares", methods=["POST"])
@login_required
def share():
    def action():
        try:
            spouse = int(request.form.get("spouse", ""))
        except ValueError:
            raise ServiceError("invalid", _("Choose a linked spouse.")) from None
        shared.set_share(db.session, signed_in_account(), spouse, request.form.get("share") == "1")

    _run(action, _("Your reminder choice is saved."))
    return redirect(url_for("family.index"))


@bp.route("/as/<int:account_id>")
@login_required
def act_as(account_id: int):
    """以 某人 的身份查看: the member's page, read-only, with whose page it is and who acts.
    A holder who may only act ('act' without 'view') sees the duties they act on and the act
    forms, not the rest of the page."""
    me = signed_in_account()
    viewing = mandates.active(db.session, me.id, account_id, "view")
    acting = mandates.active(db.session, me.id, account_id, "act")
    mandate = viewing or acting
    subject = db.session.get(Account, account_id) if mandate else None
    if subject is None:
        abort(404)
    mandates.record_use(db.session, mandate, "family_view", request.path)
    data = (
        page_feature.build_page(db.session, subject, clock.local_today(), record=False)
        if viewing
        else None
    )
    db.session.commit()
    if data is not None or mandate.elder_mode:
        theme = data["theme"] if data else "standard"
        g.page_theme = "elder" if mandate.elder_mode or theme == "elder" else theme
    shown = [w for w in data["widgets"] if w["visible"] and w["key"] in AS_WIDGETS] if data else []
    return render_template(
        "family/as.html",
        page=data,
        widgets=shown,
        parts=page_feature.widget_parts({**data, "widgets": shown}) if data else {},
        timeline=page_feature.timeline_view(data["timeline"]) if data else None,
        subject_name=links.person_name(db.session, subject.id),
        subject_id=subject.id,
        actor_name=links.person_name(db.session, me.id),
        mandate=mandate,
        can_act=acting is not None,
        act_duties=as_routes.open_duties(subject.id) if acting else [],
    )


from webapp.family import admin_routes, as_routes  # noqa: E402,F401  (routes on this blueprint)
