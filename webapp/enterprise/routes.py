"""The enterprise page: stage, timeline, duties, services, permits, members; a switcher."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lifecycle.identifiers import legal_form
from webapp import page
from webapp.core.clock import local_today
from webapp.core.db import db
from webapp.core.model_base import utcnow
from webapp.core.navigation import register_nav
from webapp.core.service_errors import NotFound, ServiceError
from webapp.enterprise import members as members_service

bp = Blueprint("enterprise", __name__, url_prefix="/enterprises")

register_nav("enterprise.index", lambda: _("My enterprise"), order=12, roles=("business",))


def _me():
    return db.session.merge(current_user._get_current_object())


@bp.route("/")
@login_required
def index():
    choices = page.enterprise_choices(db.session, _me())
    if not choices:
        return redirect(url_for("settings.enterprises"))
    code = request.args.get("code")
    if code:
        return redirect(url_for("enterprise.show", credit_code=code))
    return redirect(url_for("enterprise.show", credit_code=choices[0].credit_code))


@bp.route("/<credit_code>")
@login_required
def show(credit_code: str):
    account = _me()
    try:
        data = page.build_enterprise_page(db.session, account, credit_code, local_today())
    except NotFound:
        abort(404)
    db.session.commit()
    return render_template(
        "enterprise/page.html",
        page=data,
        timeline=page.timeline_view(data["timeline"], past=6, future=8),
        choices=page.enterprise_choices(db.session, account),
        url_endpoints=current_app.view_functions,
        legal_form=legal_form(credit_code),
    )


# ------------------------------------------------------------ members and invitations


def _fail(exc: ServiceError, credit_code: str):
    db.session.rollback()
    if exc.status in (403, 404):
        abort(exc.status)
    flash(exc.message, "error")
    return redirect(url_for("enterprise.members", credit_code=credit_code))


@bp.route("/<credit_code>/members")
@login_required
def members(credit_code: str):
    account = _me()
    try:
        enterprise, me = members_service.require(db.session, account, credit_code, "read")
        rows = members_service.members(db.session, account, credit_code)
        invites = (
            members_service.invitations(db.session, account, credit_code)
            if members_service.can(me, "invite")
            else []
        )
    except ServiceError as exc:
        abort(exc.status)
    now = utcnow()
    return render_template(
        "enterprise/members.html",
        enterprise=enterprise,
        me=me,
        members=[members_service.member_dict(m, a, account) for m, a in rows],
        invitations=[members_service.invitation_dict(i, now) for i in invites],
        grantable=members_service.GRANTABLE[me.role],
        can=members_service.can,
        new_code=session.pop("new_invitation_code", None),
    )


@bp.route("/<credit_code>/invitations", methods=["POST"])
@login_required
def invite(credit_code: str):
    try:
        new = members_service.invite(
            db.session,
            _me(),
            credit_code,
            request.form.get("role", ""),
            request.form.get("note", "")[:100],
        )
        db.session.commit()
    except ServiceError as exc:
        return _fail(exc, credit_code)
    # Shown once on the next page; only its hash is stored.
    session["new_invitation_code"] = new.code
    flash(_("The invitation is created. Give the code to the person you invite."))
    return redirect(url_for("enterprise.members", credit_code=credit_code))


@bp.route("/<credit_code>/invitations/<int:invitation_id>/revoke", methods=["POST"])
@login_required
def revoke_invitation(credit_code: str, invitation_id: int):
    try:
        members_service.revoke(db.session, _me(), credit_code, invitation_id)
        db.session.commit()
    except ServiceError as exc:
        return _fail(exc, credit_code)
    flash(_("The invitation is revoked."))
    return redirect(url_for("enterprise.members", credit_code=credit_code))


@bp.route("/<credit_code>/members/<int:membership_id>/role", methods=["POST"])
@login_required
def change_role(credit_code: str, membership_id: int):
    try:
        members_service.change_role(
            db.session, _me(), credit_code, membership_id, request.form.get("role", "")
        )
        db.session.commit()
    except ServiceError as exc:
        return _fail(exc, credit_code)
    flash(_("The role is changed."))
    return redirect(url_for("enterprise.members", credit_code=credit_code))


@bp.route("/<credit_code>/members/<int:membership_id>/remove", methods=["POST"])
@login_required
def remove_member(credit_code: str, membership_id: int):
    account = _me()
    try:
        members_service.remove(db.session, account, credit_code, membership_id)
        db.session.commit()
    except ServiceError as exc:
        return _fail(exc, credit_code)
    flash(_("The member is removed."))
    try:
        members_service.require(db.session, account, credit_code, "read")
    except ServiceError:
        return redirect(url_for("settings.enterprises"))
    return redirect(url_for("enterprise.members", credit_code=credit_code))


@bp.route("/invitations/accept", methods=["GET", "POST"])
@login_required
def accept_invitation():
    code = (request.values.get("code") or "").strip()[:100]
    error = None
    if request.method == "POST":
        try:
            membership = members_service.accept(db.session, _me(), code)
            credit_code = membership.enterprise.credit_code
            db.session.commit()
        except ServiceError as exc:
            db.session.rollback()
            error = exc.message
        else:
            flash(_("You are now a member of the enterprise."))
            return redirect(url_for("enterprise.show", credit_code=credit_code))
    return render_template("enterprise/accept.html", code=code, error=error), (
        422 if error else 200
    )
