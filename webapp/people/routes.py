"""Settings: profile, household, enterprises, password, language."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_required, login_user

from webapp import accounts
from webapp import enterprise as enterprises
from webapp.core import clock
from webapp.core.db import db
from webapp.core.forms import commit, form_to_dict, service_error_dict, validate
from webapp.core.service_errors import ServiceError
from webapp.core.view_helpers import signed_in_account
from webapp.enterprise import INDUSTRIES, EnterpriseIn, PermitIn
from webapp.people import services as profiles
from webapp.people.household_schemas import DeathIn, HouseholdIn
from webapp.people.schemas import ProfileIn
from webapp.people.subjects import household_rows, linked_names

bp = Blueprint("settings", __name__, url_prefix="/settings")

PROFILE_FIELDS = [
    "full_name",
    "id_number",
    "birth_date",
    "gender",
    "region_code",
    "employment",
    "retirement_category",
    "marital_status",
]
PROFILE_NESTED = {
    "id_card": ["issued_on"],
    "driver_license": ["issued_on", "expires_on"],
    "passport": ["issued_on", "expires_on"],
}


def _member_enterprise(credit_code: str, permission: str = "edit"):
    """The enterprise if the signed-in user's role allows ``permission``; 404 for
    non-members, 403 for a weaker role."""
    try:
        enterprise, _membership = enterprises.require(
            db.session, signed_in_account(), credit_code, permission
        )
    except ServiceError as exc:
        abort(exc.status)
    return enterprise


@bp.route("/")
@login_required
def index():
    return render_template("settings/index.html")


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    account = signed_in_account()
    errors: dict[str, str] = {}
    status = 422
    if request.method == "POST":
        data = form_to_dict(request.form, PROFILE_FIELDS, PROFILE_NESTED)
        parsed, errors = validate(ProfileIn, data)
        if parsed is not None:
            try:
                profiles.replace_profile(
                    db.session, account, parsed, expected_version=_form_version()
                )
                db.session.commit()
            except ServiceError as exc:
                db.session.rollback()
                errors = service_error_dict(exc)
                status = 409 if exc.status == 409 else 422
            else:
                flash(_("Your profile is saved."))
                return redirect(url_for("settings.profile"))
        values = request.form
    else:
        values = flatten_profile(
            profiles.profile_dict(db.session.get(profiles.CitizenProfile, account.id))
        )
    return (
        render_template("settings/profile.html", values=values, errors=errors),
        status if errors else 200,
    )


def _form_version() -> int | None:
    """The version the form was built from (None: an old form without one)."""
    value = request.form.get("version", "")
    return int(value) if value.isdigit() and len(value) < 10 else None


def flatten_profile(d: dict) -> dict:
    out = {}
    for key, value in d.items():
        if isinstance(value, dict):
            computed = value.get("expiry_computed", False)
            for sub, subvalue in value.items():
                if sub == "expiry_computed" or (computed and sub == "expires_on"):
                    continue  # a computed expiry is not shown as if it had been entered
                out[f"{key}.{sub}"] = "" if subvalue is None else str(subvalue)
        elif value is not None:
            out[key] = str(value)
    return out


HOUSEHOLD_FIELDS = [
    "relation",
    "name",
    "birth_date",
    "gender",
    "id_card_issued_on",
    "guardian_consent",
]


def _household_data(form) -> dict:
    data = form_to_dict(form, HOUSEHOLD_FIELDS[:-1])
    data["guardian_consent"] = form.get("guardian_consent") == "on"
    return data


@bp.route("/household", methods=["GET", "POST"])
@login_required
def household():
    account = signed_in_account()
    errors: dict[str, str] = {}
    values: dict = {}
    if request.method == "POST":
        values = request.form
        _done, errors = commit(
            lambda parsed: profiles.add_member(db.session, account, parsed),
            _("%(name)s is added to your household.", name=request.form.get("name", "")[:100]),
            schema=HouseholdIn,
            data=_household_data(request.form),
        )
        if not errors:
            return redirect(url_for("settings.household"))
    members = household_rows(db.session, account)
    return (
        render_template(
            "settings/household.html",
            members=members,
            member_names=linked_names(db.session, members),
            values=values,
            errors=errors,
        ),
        422 if errors else 200,
    )


@bp.route("/household/<int:member_id>", methods=["GET", "POST"])
@login_required
def household_member(member_id: int):
    account = signed_in_account()
    try:
        member = profiles.get_member(db.session, account, member_id)
    except ServiceError:
        abort(404)
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = request.form
        _done, errors = commit(
            lambda parsed: profiles.update_member(db.session, account, member_id, parsed),
            _("Saved."),
            schema=HouseholdIn,
            data=_household_data(request.form),
        )
        if not errors:
            return redirect(url_for("settings.household"))
    else:
        values = {k: ("" if v is None else str(v)) for k, v in profiles.member_dict(member).items()}
        values["guardian_consent"] = "on" if member.guardian_consent_at else ""
    return (
        render_template("settings/member.html", member=member, values=values, errors=errors),
        422 if errors else 200,
    )


@bp.route("/household/<int:member_id>/death", methods=["POST"])
@login_required
def household_death(member_id: int):
    """Record a death (《户口登记条例》第八条); the member is kept for the family's history."""
    account = signed_in_account()
    try:
        member = profiles.get_member(db.session, account, member_id)
    except ServiceError:
        abort(404)
    data = form_to_dict(request.form, ["deceased_on"])
    parsed, errors = validate(DeathIn, data)
    if parsed is not None:
        try:
            profiles.record_death(
                db.session, account, member_id, parsed.deceased_on, clock.local_today()
            )
            db.session.commit()
        except ServiceError as exc:
            db.session.rollback()
            errors = service_error_dict(exc)
        else:
            flash(
                _(
                    "The death of %(name)s is recorded. We are sorry for your loss. "
                    "The steps that follow are listed below.",
                    name=member.name,
                )
            )
            return redirect(url_for("settings.household"))
    values = {k: ("" if v is None else str(v)) for k, v in profiles.member_dict(member).items()}
    values["guardian_consent"] = "on" if member.guardian_consent_at else ""
    values["deceased_on"] = data.get("deceased_on", "")
    return (
        render_template(
            "settings/member.html", member=member, values=values, errors={}, death_errors=errors
        ),
        422,
    )


@bp.route("/household/<int:member_id>/death/undo", methods=["POST"])
@login_required
def household_death_undo(member_id: int):
    account = signed_in_account()
    try:
        profiles.clear_death(db.session, account, member_id)
    except ServiceError:
        abort(404)
    db.session.commit()
    flash(_("The record of death is removed."))
    return redirect(url_for("settings.household_member", member_id=member_id))


@bp.route("/household/<int:member_id>/delete", methods=["POST"])
@login_required
def household_delete(member_id: int):
    account = signed_in_account()
    try:
        profiles.remove_member(db.session, account, member_id)
    except ServiceError:
        abort(404)
    db.session.commit()
    flash(_("Removed from your household."))
    return redirect(url_for("settings.household"))


ENTERPRISE_FIELDS = [
    "credit_code",
    "name",
    "established_on",
    "industry",
    "size",
    "region_code",
    "taxpayer_period",
    "role",
]


@bp.route("/enterprises", endpoint="enterprises", methods=["GET", "POST"])
@login_required
def enterprises_view():
    account = signed_in_account()
    errors: dict[str, str] = {}
    values: dict = {}
    if request.method == "POST":
        values = request.form
        _done, errors = commit(
            lambda parsed: enterprises.claim(db.session, account, parsed),
            _(
                "Your claim is filed. You become a member once a reviewer verifies "
                "it or when you accept an invitation from the enterprise."
            ),
            schema=EnterpriseIn,
            data=form_to_dict(request.form, ENTERPRISE_FIELDS),
            commit_on=enterprises.ClaimMismatch,
        )
        if not errors:
            return redirect(url_for("settings.enterprises"))
    return (
        render_template(
            "settings/enterprises.html",
            memberships=enterprises.memberships(db.session, account),
            claims=enterprises.own_claims(db.session, account),
            can=enterprises.can,
            industries=INDUSTRIES,
            values=values,
            errors=errors,
        ),
        422 if errors else 200,
    )


@bp.route("/enterprises/<credit_code>/permits", methods=["POST"])
@login_required
def add_permit(credit_code: str):
    enterprise = _member_enterprise(credit_code)
    commit(
        lambda parsed: enterprises.add_permit(db.session, enterprise, parsed),
        _("The permit is saved."),
        schema=PermitIn,
        data=form_to_dict(request.form, ["kind", "number", "issued_on", "expires_on"]),
        flash_errors=True,
    )
    return redirect(url_for("settings.enterprises"))


@bp.route("/enterprises/<credit_code>/tax-period", methods=["POST"])
@login_required
def enterprise_tax_period(credit_code: str):
    """Change the taxpayer period (monthly/quarterly); the tax duties follow at once."""
    enterprise = _member_enterprise(credit_code)
    data = enterprises.enterprise_dict(enterprise)
    data = {k: v for k, v in data.items() if k in ENTERPRISE_FIELDS and v is not None}
    data["taxpayer_period"] = request.form.get("taxpayer_period", "")
    commit(
        lambda parsed: enterprises.update(db.session, enterprise, parsed),
        _("The tax declaration period is saved."),
        schema=EnterpriseIn,
        data=data,
        flash_errors=True,
    )
    return redirect(url_for("settings.enterprises"))


@bp.route("/enterprises/<credit_code>/permits/<int:permit_id>/delete", methods=["POST"])
@login_required
def delete_permit(credit_code: str, permit_id: int):
    enterprise = _member_enterprise(credit_code)
    try:
        enterprises.remove_permit(db.session, enterprise, permit_id)
    except ServiceError:
        abort(404)
    db.session.commit()
    flash(_("The permit is removed."))
    return redirect(url_for("settings.enterprises"))


@bp.route("/enterprises/claims/<int:claim_id>/withdraw", methods=["POST"])
@login_required
def withdraw_claim(claim_id: int):
    try:
        enterprises.withdraw(db.session, signed_in_account(), claim_id)
    except ServiceError as exc:
        db.session.rollback()
        abort(exc.status)
    db.session.commit()
    flash(_("The claim is withdrawn."))
    return redirect(url_for("settings.enterprises"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    errors: dict[str, str] = {}
    status = 422
    if request.method == "POST":
        account = signed_in_account()
        try:
            accounts.change_password(
                db.session,
                account,
                request.form.get("current_password", "")[:256],
                request.form.get("new_password", "")[:256],
                address=request.remote_addr or "",
            )
            db.session.commit()
        except ServiceError as exc:
            db.session.rollback()
            errors = service_error_dict(exc)
            status = exc.status if exc.status == 429 else 422
        else:
            # Every other session and token is now invalid; keep this one going.
            session.clear()
            login_user(account)
            flash(_("Your password is changed. Other sessions have been logged out."))
            return redirect(url_for("settings.index"))
    return render_template("settings/password.html", errors=errors), (status if errors else 200)


from webapp.people import token_routes  # noqa: E402,F401  (registers /settings/tokens)
