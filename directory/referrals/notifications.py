"""Emails about referrals. They never carry personal data: the subject and body say that a
referral (named by a short opaque reference) needs attention and link to it behind a
sign-in, or, for an organisation without accounts, to a single-use expiring link.
Messages go out after the transaction commits (`directory.mail`)."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from directory import mail
from directory.accounts import tokens
from directory.i18n import SUPPORTED_LOCALES
from directory.models import Account, Referral, Role, TokenPurpose
from directory.referrals import access
from directory.referrals.states import Side

LINK_LIFETIME = timedelta(days=7)
# An organisation's own address gets both official languages.
ORGANIZATION_EMAIL_LOCALES = ("nl", "fr")


def reference(referral: Referral) -> str:
    """A short opaque reference people can quote on the phone."""
    return referral.id.hex[:8].upper()


def new_referral(session: Session, referral: Referral) -> None:
    _tell_receivers(session, referral, "new")


def status_changed(session: Session, referral: Referral, by: Side) -> None:
    if by is Side.RECEIVER:
        _tell_senders(session, referral, "news")
    else:
        _tell_receivers(session, referral, "news")


def note_added(session: Session, referral: Referral, by: Side) -> None:
    status_changed(session, referral, by)


def no_answer_yet(session: Session, referral: Referral) -> None:
    """The response target passed: remind the sender, and the receivers once more."""
    _tell_senders(session, referral, "no_answer")
    _tell_receivers(session, referral, "overdue")


def _subject_and_intro(kind: str, ref: str) -> tuple[str, str]:
    if kind == "new":
        return (
            _("Nabij: a new referral for your organisation (%(ref)s)", ref=ref),
            _(
                "An info point has referred a client to your organisation (reference %(ref)s).",
                ref=ref,
            ),
        )
    if kind == "no_answer":
        return (
            _("Nabij: no answer yet to referral %(ref)s", ref=ref),
            _(
                "The organisation has not yet acknowledged referral %(ref)s within two "
                "working days. You may want to follow it up.",
                ref=ref,
            ),
        )
    if kind == "overdue":
        return (
            _("Nabij: referral %(ref)s is waiting for your answer", ref=ref),
            _(
                "Referral %(ref)s has been waiting for an acknowledgement for more than two "
                "working days.",
                ref=ref,
            ),
        )
    return (
        _("Nabij: news on referral %(ref)s", ref=ref),
        _("There is news on referral %(ref)s.", ref=ref),
    )


def _message(kind: str, referral: Referral, locale: str, to: str, link: str, signed_in: bool):
    with force_locale(locale):
        subject, intro = _subject_and_intro(kind, reference(referral))
        if signed_in:
            action = _("Sign in to Nabij to read it and answer:")
        else:
            action = _(
                "Open this link to read it and answer. It works once and expires in seven days:"
            )
        footer = _("This message contains no personal data on purpose.")
        return subject, f"{intro}\n\n{action}\n{link}\n\n{footer}\n"


def _send_to_accounts(kind: str, referral: Referral, accounts: list[Account]) -> None:
    for account in accounts:
        locale = account.locale if account.locale in SUPPORTED_LOCALES else "nl"
        link = mail.public_link("referrals.detail", lang_code=locale, referral_id=referral.id)
        subject, body = _message(kind, referral, locale, account.email, link, signed_in=True)
        mail.send_after_commit(mail.Message(account.email, subject, body))


def _tell_receivers(session: Session, referral: Referral, kind: str) -> None:
    members = access.accounts_for(
        session, referral.receiving_organization_id, Role.ORGANIZATION_MEMBER
    )
    if members:
        _send_to_accounts(kind, referral, members)
        return
    address = referral.receiving_organization.email
    if not address:
        return
    raw = tokens.issue(
        session, TokenPurpose.REFERRAL_ANSWER, referral_id=referral.id, lifetime=LINK_LIFETIME
    )
    parts, subject = [], None
    for locale in ORGANIZATION_EMAIL_LOCALES:
        link = mail.public_link("referrals.open_link", lang_code=locale, token=raw)
        this_subject, body = _message(kind, referral, locale, address, link, signed_in=False)
        subject = f"{subject} / {this_subject}" if subject else this_subject
        parts.append(body)
    mail.send_after_commit(mail.Message(address, subject, "\n---\n\n".join(parts)))


def _tell_senders(session: Session, referral: Referral, kind: str) -> None:
    sender = referral.sender_account
    if sender is not None and sender.is_active:
        _send_to_accounts(kind, referral, [sender])
        return
    # The worker who sent it has left: the info point's other workers follow up.
    _send_to_accounts(
        kind,
        referral,
        access.accounts_for(session, referral.sender_organization_id, Role.INFO_POINT_WORKER),
    )
