"""Turning a signal into a referral: the info point that took it up met the person, who
agreed to be referred. The referral is made by the referrals' own code (`ReferralForm`,
`referrals.handover.create`, the versioned consent text), so the person's consent is
recorded there, and the referral follows its own loop and retention; the signal records
which referral it became and is closed."""

from __future__ import annotations

import uuid

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from wtforms.fields.choices import SelectChoice

from directory import clock
from directory.catalogue import queries as catalogue_queries
from directory.i18n import name_in, ui_languages
from directory.models import (
    ContactChannel,
    LanguageCode,
    Organization,
    Referral,
    Service,
    Signal,
    Urgency,
)
from directory.referrals import access as referral_access
from directory.referrals import consent
from directory.referrals import handover as referral_handover
from directory.referrals.forms import ReferralForm


def door_choices(session: Session, lang: str) -> list[SelectChoice]:
    labelled = [
        (f"{name_in(service.organization, lang)} \u2013 {name_in(service, lang)}", service)
        for service in referral_handover.receivable_services(session)
    ]
    return [SelectChoice("", _("Choose a service"))] + [
        SelectChoice(str(service.id), label) for label, service in sorted(labelled)
    ]


def door(session: Session, raw: str | None) -> Service | None:
    """The chosen service, if it exists and its organisation can receive a referral."""
    try:
        service_id = uuid.UUID(raw or "")
    except ValueError:
        return None
    service = session.scalar(
        select(Service)
        .where(Service.id == service_id)
        .options(
            selectinload(Service.texts),
            selectinload(Service.organization).selectinload(Organization.texts),
        )
    )
    if service is None or not referral_handover.can_receive(session, service.organization):
        return None
    return service


def referral_form_choices(form: ReferralForm, session: Session, signal: Signal, lang: str) -> None:
    """The referral form's choices, for a hand-over: on behalf of the info point that took
    the signal up, to one organisation (a second door is a referral of its own)."""
    info_point = session.get(Organization, signal.taken_by_organization_id)
    form.on_behalf_of.choices = [SelectChoice(str(info_point.id), name_in(info_point, lang))]
    form.second_service.choices = [SelectChoice("", _("No second organisation"))]
    form.client_languages.choices = [
        SelectChoice(code.code, code.display_name(lang))
        for code in session.scalars(select(LanguageCode).order_by(LanguageCode.position))
    ]
    form.need_terms.choices = [
        SelectChoice(term.code, f"{domain.label(lang)}: {term.label(lang)}")
        for domain in catalogue_queries.kinds_of_help(session)
        for term in domain.children
    ]
    form.consent_locale.choices = [SelectChoice(ui.code, ui.native_name) for ui in ui_languages()]


def consent_texts(service: Service, lang: str) -> list[tuple[object, str]]:
    """The consent text in every interface language, naming the receiving organisation."""
    names = [name_in(service.organization, lang)]
    return [(ui, consent.consent_text(ui.code, names)) for ui in ui_languages()]


def referral_request(
    form: ReferralForm, signal: Signal, service: Service
) -> referral_handover.Handover:
    """What the referrals' `create` needs, from the validated form (the same fields and
    consent as the referral form of the referrals feature)."""
    channel = ContactChannel(form.contact_channel.data)
    consent_locale = form.consent_locale.data
    now = clock.utc_now()

    def typed(field) -> str | None:
        return (field.data or "").strip() or None

    return referral_handover.Handover(
        sender_organization_id=signal.taken_by_organization_id,
        targets=(referral_handover.Target(service.organization_id, service.id),),
        submission_key=form.submission_key.data,
        client_name=form.client_name.data.strip(),
        contact_channel=channel,
        client_phone=typed(form.client_phone) if channel is ContactChannel.PHONE else None,
        client_email=typed(form.client_email) if channel is ContactChannel.EMAIL else None,
        reachable_when=typed(form.reachable_when),
        client_languages=list(form.client_languages.data),
        need_terms=list(form.need_terms.data),
        need_text=typed(form.need_text),
        urgency=Urgency(form.urgency.data),
        consent_version=consent.CONSENT_VERSION,
        consent_locale=consent_locale,
        consent_text=consent.consent_text(
            consent_locale, [name_in(service.organization, consent_locale)]
        ),
        consent_shares_contact=bool(form.consent_shares_contact.data),
        consent_shares_need=bool(form.consent_shares_need.data),
        consented_at=now,
    )


def make_referral(
    session: Session,
    referral_actor: referral_access.Actor,
    form: ReferralForm,
    signal: Signal,
    service: Service,
) -> list[Referral]:
    """The referral, created by the referrals' own code (or the one an earlier submission
    of the same form created); empty when nothing could be saved."""
    return referral_handover.create(
        session, referral_actor, referral_request(form, signal, service)
    )
