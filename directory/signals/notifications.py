"""Emails about signals. None carries anything about the person: the info points and
coordinators read that behind sign-in, through a link naming a short opaque reference (only
for those who may still open it); the signaller gets at most one email, when an info point
takes their signal up, naming the info point and nothing else. Whoever has a signal left
without a step is told once that it will be closed as idle, and once when it was. Messages
go out after the transaction commits (`directory.mail`)."""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from directory import clock, mail
from directory.i18n import SUPPORTED_LOCALES, pick_text
from directory.models import Account, Organization, Signal
from directory.signals import access


def reference(signal: Signal) -> str:
    """A short opaque reference people can quote on the phone."""
    return signal.id.hex[:8].upper()


def _locale_of(account: Account) -> str:
    return account.locale if account.locale in SUPPORTED_LOCALES else "nl"


def _subject_and_intro(kind: str, ref: str, **days: int) -> tuple[str, str]:
    if kind == "new":
        return (
            _("Nabij: a new signal of concern for your info point (%(ref)s)", ref=ref),
            _(
                "Someone is worried about a person in a place your info point takes signals "
                "for (reference %(ref)s). Please take it up or leave it to a colleague.",
                ref=ref,
            ),
        )
    if kind == "unrouted":
        return (
            _("Nabij: a signal of concern no info point takes (%(ref)s)", ref=ref),
            _(
                "Someone is worried about a person in a place no info point takes signals "
                "for (reference %(ref)s). Please forward it to an info point.",
                ref=ref,
            ),
        )
    if kind == "forwarded":
        return (
            _("Nabij: a coordinator sent your info point a signal of concern (%(ref)s)", ref=ref),
            _(
                "A Nabij coordinator sent your info point a signal of concern (reference "
                "%(ref)s). Please take it up.",
                ref=ref,
            ),
        )
    if kind == "idle_soon":
        return (
            _("Nabij: signal %(ref)s will soon be closed", ref=ref),
            " ".join(
                [
                    ngettext(
                        "Signal of concern %(ref)s has had no step for %(num)d day.",
                        "Signal of concern %(ref)s has had no step for %(num)d days.",
                        days["idle"],
                        ref=ref,
                    ),
                    ngettext(
                        "If no step is recorded within %(num)d day, it will be closed and the "
                        "signaller's contact details erased. Please record the next step, or "
                        "close it yourself.",
                        "If no step is recorded within %(num)d days, it will be closed and the "
                        "signaller's contact details erased. Please record the next step, or "
                        "close it yourself.",
                        days["notice"],
                    ),
                ]
            ),
        )
    if kind == "idle_closed":
        return (
            _("Nabij: signal %(ref)s was closed for lack of steps", ref=ref),
            " ".join(
                [
                    ngettext(
                        "Signal of concern %(ref)s had no step for %(num)d day, so it was "
                        "closed and the signaller's contact details were erased.",
                        "Signal of concern %(ref)s had no step for %(num)d days, so it was "
                        "closed and the signaller's contact details were erased.",
                        days["idle"],
                        ref=ref,
                    ),
                    ngettext(
                        "It will be deleted %(num)d day from now.",
                        "It will be deleted %(num)d days from now.",
                        days["keep"],
                    ),
                ]
            ),
        )
    days = current_app.config["SIGNAL_ESCALATE_DAYS"]
    return (
        _("Nabij: nobody has taken up signal %(ref)s", ref=ref),
        _(
            "Nobody has taken up signal of concern %(ref)s for %(days)d days. Please forward "
            "it to an info point or follow it up.",
            ref=ref,
            days=days,
        ),
    )


def _tell(kind: str, signal: Signal, accounts: list[Account], **days: int) -> None:
    for account in accounts:
        locale = _locale_of(account)
        # A link only for those who may open it (a signal closed as idle that nobody took
        # up is seen by nobody any more).
        readable = access.actor_of(access.reader_for(account, None), signal) is not None
        with force_locale(locale):
            subject, intro = _subject_and_intro(kind, reference(signal), **days)
            action = _("Sign in to Nabij to read it:")
            footer = _("This message contains no personal data on purpose.")
        parts = [intro]
        if readable:
            link = mail.public_link("signals.detail", lang_code=locale, signal_id=signal.id)
            parts.append(f"{action}\n{link}")
        parts.append(footer)
        body = "\n\n".join(parts) + "\n"
        mail.send_after_commit(mail.Message(account.email, subject, body))


def new_signal(session: Session, signal: Signal) -> None:
    """Tell the info points it was sent to, or the coordinators when it went to nobody."""
    if not signal.routes:
        _tell("unrouted", signal, access.coordinators(session))
        return
    for route in signal.routes:
        _tell("new", signal, access.info_point_workers(session, route.organization_id))


def forwarded(session: Session, signal: Signal, organization: Organization) -> None:
    _tell("forwarded", signal, access.info_point_workers(session, organization.id))


def escalated(session: Session, signal: Signal) -> None:
    _tell("escalated", signal, access.coordinators(session))


def idle_soon(session: Session, signal: Signal, idle_days: int, notice_days: int) -> None:
    """Tell whoever has it that it had no step for `idle_days` and will be closed as idle
    in `notice_days` without one."""
    _tell("idle_soon", signal, access.holders(session, signal), idle=idle_days, notice=notice_days)


def closed_idle(session: Session, signal: Signal, idle_days: int) -> None:
    """Tell whoever had it that it was closed as idle and when it will be deleted."""
    keep = current_app.config["SIGNAL_KEEP_DAYS"]
    _tell("idle_closed", signal, access.holders(session, signal), idle=idle_days, keep=keep)


def taken_up(signal: Signal, organization: Organization) -> None:
    """The one email to the signaller, if they left an address and were not told yet."""
    if not signal.signaller_email or signal.signaller_told_at is not None:
        return
    signal.signaller_told_at = clock.utc_now()
    locale = signal.locale if signal.locale in SUPPORTED_LOCALES else "nl"
    picked = pick_text(organization.texts, locale)
    name = picked.text.name if picked else "?"
    with force_locale(locale):
        subject = _("Nabij: an info point has taken up your signal")
        body = "\n\n".join(
            [
                _("Thank you for telling us you were worried about someone."),
                _(
                    "An info point has taken up your signal: %(name)s. They may contact you "
                    "if they need to know more.",
                    name=name,
                ),
                _(
                    "This is the only message we send you about it, and it says nothing "
                    "about the person on purpose."
                ),
            ]
        )
    mail.send_after_commit(mail.Message(signal.signaller_email, subject, body + "\n"))
