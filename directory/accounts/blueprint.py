"""Account pages under /<lang>/account: signing in and out, single-use links, one's own
account, and the coordinators' list of people. Handlers commit once; every page is
`no-store`."""

from __future__ import annotations

import uuid
from datetime import timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import (
    session as browser,
)
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from directory import clock, mail, ratelimit, responses
from directory.accounts import forms, operations, passwords, second_factor, sessions, tokens
from directory.accounts.permissions import role_required, safe_next, sign_in_required
from directory.accounts.sessions import current_account, current_session
from directory.extensions import db
from directory.i18n import current_language
from directory.models import Account, Role, TokenPurpose
from directory.rendering.template_globals import text_of

bp = Blueprint("accounts", __name__)

SECOND_FACTOR_WITHIN = timedelta(minutes=10)  # after the password, to give the code
SECOND_FACTOR_LIMIT = "10/hour"  # per account: guessing six digits takes far more
RESET_LIMIT = "5/hour"  # per email address
# Per network address: an info point's office, or every user behind a proxy without
# TRUSTED_PROXIES, shares one; high enough not to lock colleagues out.
RESET_ADDRESS_LIMIT = "50/hour"


responses.never_stored(bp)


def _after_sign_in(target: str | None) -> Response:
    return redirect(safe_next(target) or url_for("accounts.home"))


def _form_page(template: str, status: int = 200, **context):
    """A form page: 400 when what was sent did not pass."""
    return render_template(template, **context), status


# Signing in and out -----------------------------------------------------------------------


def _begin_signed_in(account: Account) -> None:
    """A full session for `account`. The emails we send them follow the language they use."""
    account.last_sign_in_at = clock.utc_now()
    account.locale = current_language()
    sessions.begin(account)


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    form = forms.SignInForm()
    if request.method == "GET":
        if current_account() is not None:
            return _after_sign_in(request.args.get("next"))
        form.next.data = safe_next(request.args.get("next")) or ""
        return _form_page("accounts/sign_in.html", form=form)
    if not form.validate():
        return _form_page("accounts/sign_in.html", 400, form=form)

    email = operations.normalise_email(form.email.data)
    config = current_app.config
    address = request.remote_addr or ""
    if not (
        ratelimit.allow("sign-in-address", address, config["SIGN_IN_LIMIT_PER_IP"], True)
        and ratelimit.allow("sign-in-email", email, config["SIGN_IN_LIMIT_PER_EMAIL"], True)
    ):
        return _form_page("accounts/sign_in.html", 429, form=form, too_many=True)

    session = db.session()
    account = operations.authenticate(session, email, form.password.data)
    if account is None:
        return _form_page("accounts/sign_in.html", 400, form=form, refused=True)
    if account.totp_secret:
        sessions.begin(account, awaiting_second_factor=True)
        session.commit()
        return redirect(url_for("accounts.second_factor_step", next=safe_next(form.next.data)))
    _begin_signed_in(account)
    session.commit()
    return _after_sign_in(form.next.data)


@bp.route("/sign-in/code", methods=["GET", "POST"])
def second_factor_step():
    pending = current_session()
    if pending is None or pending.account is None or not pending.awaiting_second_factor:
        return redirect(url_for("accounts.sign_in"))
    session = db.session()
    if clock.utc_now() - clock.as_utc(pending.created_at) > SECOND_FACTOR_WITHIN:
        sessions.end()
        session.commit()
        flash(_("That took too long. Please sign in again."))
        return redirect(url_for("accounts.sign_in"))

    form = forms.SecondFactorForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next")) or ""
        return _form_page("accounts/second_factor.html", form=form)
    if not form.validate():
        return _form_page("accounts/second_factor.html", 400, form=form)
    account = pending.account
    if not ratelimit.allow("second-factor", str(account.id), SECOND_FACTOR_LIMIT, True):
        return _form_page("accounts/second_factor.html", 429, form=form, too_many=True)
    if not second_factor.accept(session, account, form.code.data):
        return _form_page("accounts/second_factor.html", 400, form=form, refused=True)
    _begin_signed_in(account)
    session.commit()
    return _after_sign_in(form.next.data)


@bp.post("/sign-out")
def sign_out():
    sessions.end()
    db.session().commit()
    flash(_("You have signed out."))
    return redirect(url_for("accounts.sign_in"))


# Single-use links --------------------------------------------------------------------------


@bp.route("/forgot-password", methods=["GET", "POST"])
def forgot_password():
    form = forms.ForgotPasswordForm()
    if request.method == "GET":
        return _form_page("accounts/forgot_password.html", form=form)
    if not form.validate():
        return _form_page("accounts/forgot_password.html", 400, form=form)
    email = operations.normalise_email(form.email.data)
    # Over the limit, nothing is sent, and the page still says the same.
    if ratelimit.allow("reset-address", request.remote_addr or "", RESET_ADDRESS_LIMIT) and (
        ratelimit.allow("reset-email", email, RESET_LIMIT)
    ):
        operations.request_reset(db.session(), email)
        db.session().commit()
    return render_template("accounts/forgot_password_sent.html")


def _stash_link(key: str, purpose: TokenPurpose, token: str, then: str) -> Response | tuple:
    """A link's token goes into the browser's signed session and the page continues at an
    address without it (so it leaks through no Referer, history or log). It is used only
    when the form behind it is sent: a mail scanner opening the link uses nothing."""
    if tokens.peek(db.session(), purpose, token) is None:
        return render_template("accounts/link_invalid.html"), 410
    browser[key] = token
    return redirect(url_for(then))


@bp.get("/reset/<token>")
def reset_link(token: str):
    return _stash_link("reset_token", TokenPurpose.PASSWORD_RESET, token, "accounts.reset_password")


@bp.route("/reset", methods=["GET", "POST"])
def reset_password():
    raw = browser.get("reset_token")
    session = db.session()
    if not isinstance(raw, str) or tokens.peek(session, TokenPurpose.PASSWORD_RESET, raw) is None:
        browser.pop("reset_token", None)
        return render_template("accounts/link_invalid.html"), 410
    form = forms.NewPasswordForm()
    if request.method == "GET":
        return _form_page("accounts/reset_password.html", form=form)
    if not form.validate():
        return _form_page("accounts/reset_password.html", 400, form=form)
    account = operations.reset_password(session, raw, form.password.data)
    browser.pop("reset_token", None)
    if account is None:
        return render_template("accounts/link_invalid.html"), 410
    sessions.end()
    session.commit()
    flash(_("Your new password is set. Please sign in with it."))
    return redirect(url_for("accounts.sign_in"))


@bp.get("/invitation/<token>")
def invitation_link(token: str):
    return _stash_link(
        "invitation_token", TokenPurpose.INVITATION, token, "accounts.accept_invitation"
    )


@bp.route("/invitation", methods=["GET", "POST"])
def accept_invitation():
    raw = browser.get("invitation_token")
    session = db.session()
    token = tokens.peek(session, TokenPurpose.INVITATION, raw) if isinstance(raw, str) else None
    if token is None:
        browser.pop("invitation_token", None)
        return render_template("accounts/link_invalid.html"), 410
    invited = session.get(Account, token.account_id)
    form = forms.NewPasswordForm()
    if request.method == "GET":
        return _form_page("accounts/accept_invitation.html", form=form, invited=invited)
    if not form.validate():
        return _form_page("accounts/accept_invitation.html", 400, form=form, invited=invited)
    account = operations.accept_invitation(session, raw, form.password.data)
    browser.pop("invitation_token", None)
    if account is None:
        return render_template("accounts/link_invalid.html"), 410
    _begin_signed_in(account)
    session.commit()
    flash(_("Welcome to Nabij. Your password is set."))
    return redirect(url_for("accounts.home"))


# One's own account -------------------------------------------------------------------------


@bp.get("/")
@sign_in_required
def home():
    account = current_account()
    names = sorted(
        (text_of(m.organization).text.name for m in account.memberships if text_of(m.organization)),
        key=str.casefold,
    )
    return render_template("accounts/home.html", account=account, organization_names=names)


@bp.route("/password", methods=["GET", "POST"])
@sign_in_required
def change_password():
    form = forms.ChangePasswordForm()
    if request.method == "GET":
        return _form_page("accounts/change_password.html", form=form)
    if not form.validate():
        return _form_page("accounts/change_password.html", 400, form=form)
    account = current_account()
    session = db.session()
    if not passwords.check(account, form.current_password.data):
        form.current_password.errors.append(_("This is not your current password."))
        return _form_page("accounts/change_password.html", 400, form=form)
    operations.set_password(session, account, form.password.data)
    # Every other browser is signed out; this one goes on with a new session.
    sessions.begin(account)
    session.commit()
    flash(_("Your password has been changed. You are signed out everywhere else."))
    return redirect(url_for("accounts.home"))


@bp.route("/two-factor", methods=["GET", "POST"])
@sign_in_required
def enable_second_factor():
    account = current_account()
    if account.totp_secret:
        return redirect(url_for("accounts.home"))
    form = forms.EnableSecondFactorForm()
    if request.method == "GET":
        form.secret.data = second_factor.new_secret()
        return _enrolment_page(form, account)
    if not form.validate():
        if form.secret.errors:
            form.secret.data = second_factor.new_secret()
        return _enrolment_page(form, account, 400)
    if not second_factor.verify(form.secret.data, form.code.data):
        form.code.errors.append(_("This code is not right. Check your app and try again."))
        return _enrolment_page(form, account, 400)
    account.totp_secret = form.secret.data
    db.session().commit()
    flash(_("The second step is on. You will be asked for a code each time you sign in."))
    return redirect(url_for("accounts.home"))


def _enrolment_page(form: forms.EnableSecondFactorForm, account: Account, status: int = 200):
    secret = form.secret.data
    return _form_page(
        "accounts/enable_second_factor.html",
        status,
        form=form,
        secret_groups=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        qr_svg=second_factor.qr_svg(secret, account.email),
    )


@bp.route("/two-factor/off", methods=["GET", "POST"])
@sign_in_required
def disable_second_factor():
    account = current_account()
    if not account.totp_secret:
        return redirect(url_for("accounts.home"))
    form = forms.DisableSecondFactorForm()
    if request.method == "GET":
        return _form_page("accounts/disable_second_factor.html", form=form)
    if not form.validate():
        return _form_page("accounts/disable_second_factor.html", 400, form=form)
    if not passwords.check(account, form.current_password.data):
        form.current_password.errors.append(_("This is not your current password."))
        return _form_page("accounts/disable_second_factor.html", 400, form=form)
    account.totp_secret = None
    db.session().commit()
    flash(_("The second step is off."))
    return redirect(url_for("accounts.home"))


# Coordinators: the people who use Nabij ----------------------------------------------------


@bp.get("/people")
@role_required(Role.COORDINATOR)
def people():
    return render_template("accounts/people.html", accounts=operations.all_accounts(db.session()))


def _organization_choices() -> list[tuple[str, str]]:
    choices = []
    for organization in operations.selectable_organizations(db.session()):
        picked = text_of(organization)
        choices.append((str(organization.id), picked.text.name if picked else str(organization.id)))
    return sorted(choices, key=lambda choice: choice[1].casefold())


@bp.route("/people/invite", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def invite():
    form = forms.InviteForm()
    form.organizations.choices = _organization_choices()
    if request.method == "GET":
        form.locale.data = current_language()
        return _form_page("accounts/invite.html", form=form)
    if not form.validate():
        return _form_page("accounts/invite.html", 400, form=form)
    session = db.session()
    if operations.find_by_email(session, form.email.data) is not None:
        form.email.errors.append(_("There is already an account with this email address."))
        return _form_page("accounts/invite.html", 400, form=form)
    account, raw = operations.invite(
        session,
        email=form.email.data,
        display_name=form.display_name.data,
        role=Role(form.role.data),
        organization_ids=form.organization_ids(),
        locale=form.locale.data,
    )
    mail.send_after_commit(operations.invitation_message(account, raw))
    session.commit()
    flash(_("The invitation has been sent."))
    return redirect(url_for("accounts.people"))


def _other_account(account_id: uuid.UUID) -> Account:
    account = db.session().get(Account, account_id)
    if account is None:
        abort(404)
    if account.id == current_account().id:
        abort(403)  # a coordinator never locks themselves out
    return account


@bp.post("/people/<uuid:account_id>/deactivate")
@role_required(Role.COORDINATOR)
def deactivate(account_id: uuid.UUID):
    operations.deactivate(db.session(), _other_account(account_id))
    db.session().commit()
    flash(_("The account is deactivated. It was signed out everywhere."))
    return redirect(url_for("accounts.people"))


@bp.post("/people/<uuid:account_id>/reactivate")
@role_required(Role.COORDINATOR)
def reactivate(account_id: uuid.UUID):
    operations.reactivate(db.session(), _other_account(account_id))
    db.session().commit()
    flash(_("The account is active again."))
    return redirect(url_for("accounts.people"))


@bp.post("/people/<uuid:account_id>/invite-again")
@role_required(Role.COORDINATOR)
def invite_again(account_id: uuid.UUID):
    account = _other_account(account_id)
    if account.password_hash is not None:
        abort(409)
    session = db.session()
    mail.send_after_commit(
        operations.invitation_message(account, operations.invitation_token(session, account))
    )
    session.commit()
    flash(_("A new invitation has been sent."))
    return redirect(url_for("accounts.people"))
