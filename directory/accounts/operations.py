"""What happens to an account: invited, accepting, signing in, resetting or changing its
password, deactivated and back. Each operation only flushes; the request or command commits.

Emails say that something can be done and give the link: no name, no role, nothing else.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from directory import clock, mail
from directory.accounts import passwords, sessions, tokens
from directory.models import Account, Membership, Organization, Provenance, Role, TokenPurpose


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(session: Session, email: str) -> Account | None:
    return session.scalars(
        select(Account).where(Account.email == normalise_email(email))
    ).one_or_none()


def all_accounts(session: Session) -> list[Account]:
    return list(
        session.scalars(
            select(Account)
            .options(
                selectinload(Account.memberships)
                .selectinload(Membership.organization)
                .selectinload(Organization.texts)
            )
            .order_by(Account.display_name, Account.email)
        )
    )


def selectable_organizations(session: Session) -> list[Organization]:
    """The organisations an account may act for: the catalogue's, never synthetic ones."""
    return list(
        session.scalars(
            select(Organization)
            .where(Organization.provenance != Provenance.SYNTHETIC)
            .options(selectinload(Organization.texts))
        )
    )


def invite(
    session: Session,
    *,
    email: str,
    display_name: str,
    role: Role,
    organization_ids: Iterable[uuid.UUID] = (),
    locale: str = "nl",
) -> tuple[Account, str]:
    """Create the account (no password yet) and return it with the raw invitation token."""
    now = clock.utc_now()
    account = Account(
        email=normalise_email(email),
        display_name=display_name.strip(),
        role=role,
        locale=locale,
        created_at=now,
        password_hash=None,
    )
    for organization_id in dict.fromkeys(organization_ids):
        account.memberships.append(Membership(organization_id=organization_id, created_at=now))
    session.add(account)
    session.flush()
    return account, invitation_token(session, account)


def invitation_token(session: Session, account: Account) -> str:
    """A fresh invitation link for `account`; earlier ones stop working."""
    tokens.void(session, account, TokenPurpose.INVITATION)
    return tokens.issue(
        session, TokenPurpose.INVITATION, account=account, lifetime=tokens.INVITATION_LIFETIME
    )


def accept_invitation(session: Session, raw: str, password: str) -> Account | None:
    """Use the invitation and set the first password; None when the link does not work."""
    token = tokens.redeem(session, TokenPurpose.INVITATION, raw)
    account = session.get(Account, token.account_id) if token and token.account_id else None
    if account is None or not account.is_active:
        return None
    set_password(session, account, password)
    return account


def authenticate(session: Session, email: str, password: str) -> Account | None:
    """The account these credentials open, or None (same time taken either way)."""
    account = find_by_email(session, email)
    if not passwords.check(account, password) or account is None or not account.can_sign_in:
        return None
    return account


def request_reset(session: Session, email: str) -> None:
    """Send a reset link if the address belongs to an account that can sign in; nothing
    otherwise (the page says the same in both cases)."""
    account = find_by_email(session, email)
    if account is None or not account.can_sign_in:
        return
    raw = tokens.issue(
        session, TokenPurpose.PASSWORD_RESET, account=account, lifetime=tokens.RESET_LIFETIME
    )
    mail.send_after_commit(reset_message(account, raw))


def reset_password(session: Session, raw: str, password: str) -> Account | None:
    token = tokens.redeem(session, TokenPurpose.PASSWORD_RESET, raw)
    account = session.get(Account, token.account_id) if token and token.account_id else None
    if account is None or not account.can_sign_in:
        return None
    set_password(session, account, password)
    return account


def set_password(session: Session, account: Account, password: str) -> None:
    """A new password ends every session of the account and every open reset link."""
    account.password_hash = passwords.hash_password(password)
    session.flush()
    sessions.end_all(session, account)
    tokens.void(session, account, TokenPurpose.PASSWORD_RESET)


def deactivate(session: Session, account: Account) -> None:
    """The account can no longer sign in, and every browser it is signed in on is out now."""
    account.is_active = False
    session.flush()
    sessions.end_all(session, account)


def reactivate(session: Session, account: Account) -> None:
    account.is_active = True
    session.flush()


def invitation_message(account: Account, raw: str) -> mail.Message:
    link = mail.public_link("accounts.invitation_link", token=raw, lang_code=account.locale)
    with force_locale(account.locale):
        subject = _("You are invited to Nabij")
        body = _(
            "You have been invited to work with Nabij, the social map of Brussels.\n\n"
            "Choose your password with this link within 7 days:\n%(link)s\n\n"
            "If you did not expect this message, you can ignore it.",
            link=link,
        )
    return mail.Message(account.email, subject, body)


def reset_message(account: Account, raw: str) -> mail.Message:
    link = mail.public_link("accounts.reset_link", token=raw, lang_code=account.locale)
    with force_locale(account.locale):
        subject = _("Choose a new password for Nabij")
        body = _(
            "Someone asked to choose a new password for your Nabij account.\n\n"
            "Choose it with this link within one hour; it works once:\n%(link)s\n\n"
            "If you did not ask for this, you can ignore this message: your password stays "
            "as it is.",
            link=link,
        )
    return mail.Message(account.email, subject, body)
