"""`flask accounts invite` (how the first coordinator gets in), `flask accounts list` and
`flask accounts organizations` (the ids `invite --organization` takes)."""

from __future__ import annotations

import uuid

import click
from flask import current_app
from flask.cli import AppGroup

from directory import mail
from directory.accounts import operations
from directory.extensions import db
from directory.forms import is_email
from directory.i18n import SUPPORTED_LOCALES, pick_text
from directory.models import Organization, Role

group = AppGroup("accounts", help="People who sign in: invite and list them.")


@group.command("invite")
@click.argument("email")
@click.option("--name", required=True, help="The person's name, as others will see it.")
@click.option("--role", required=True, type=click.Choice([role.value for role in Role]))
@click.option(
    "--organization",
    "organizations",
    multiple=True,
    type=click.UUID,
    help="An organisation (by id: see `flask accounts organizations`) the person acts for; "
    "repeat for several.",
)
@click.option("--locale", default="nl", type=click.Choice(SUPPORTED_LOCALES), show_default=True)
def invite(email: str, name: str, role: str, organizations: tuple[uuid.UUID, ...], locale: str):
    """Create an account for EMAIL, email the invitation and print its link (valid 7 days)."""
    if not is_email(email) or len(email) > 254:
        raise click.BadParameter("not an email address", param_hint="EMAIL")
    # The invitation is emailed once the account is committed, like from the invite page.
    with mail.in_a_command(), db.transaction() as session:
        if operations.find_by_email(session, email) is not None:
            raise click.ClickException(f"There is already an account for {email}.")
        for organization_id in organizations:
            if session.get(Organization, organization_id) is None:
                raise click.ClickException(f"No organisation has the id {organization_id}.")
        account, raw = operations.invite(
            session,
            email=email,
            display_name=name,
            role=Role(role),
            organization_ids=organizations,
            locale=locale,
        )
        mail.send_after_commit(operations.invitation_message(account, raw))
        link = mail.public_link("accounts.invitation_link", token=raw, lang_code=locale)
    click.echo(f"Invitation for {account.email} ({account.role.value}), valid 7 days:")
    click.echo(link)
    if host := current_app.config.get("MAIL_SMTP_HOST"):
        click.echo(f"Emailed through {host}.")
    else:
        click.echo(f"The email is in {current_app.config['MAIL_OUTBOX_DIR']}/.")


@group.command("list")
def list_accounts() -> None:
    """Every account: email, role, state, organisations."""
    session = db.session()
    for account in operations.all_accounts(session):
        state = "active" if account.is_active else "deactivated"
        if account.password_hash is None:
            state += ", invitation not accepted"
        organizations = ",".join(str(m.organization_id) for m in account.memberships)
        click.echo(
            f"{account.email}\t{account.display_name}\t{account.role.value}\t{state}"
            f"\t{organizations}"
        )


@group.command("organizations")
@click.argument("words", nargs=-1)
def list_organizations(words: tuple[str, ...]) -> None:
    """The organisations people may act for, with their ids, by name; WORDS keep those whose
    name (in any language) holds every word."""
    wanted = [word.casefold() for word in words]
    rows = []
    for organization in operations.selectable_organizations(db.session()):
        names = " ".join(text.name for text in organization.texts.values()).casefold()
        if all(word in names for word in wanted):
            shown = pick_text(organization.texts, "nl")
            rows.append((shown.text.name if shown else "", organization.id))
    for name, organization_id in sorted(rows, key=lambda row: row[0].casefold()):
        click.echo(f"{organization_id}\t{name}")
