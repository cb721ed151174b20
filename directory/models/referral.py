"""A warm handover: an info point refers a client, with their consent, to an organisation,
which answers and follows up until there is an outcome.

This is special-category personal data. Only the fields below are kept; the client is named
by a first name or initials; a referral is never deleted by a user (only by the retention
rules or a client's request for erasure); every view and change is written to
`ReferralAccess`. Which status may follow which lives in `directory.referrals.states`.
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.models.base import Base, UUIDPrimaryKey, enum_column, utcnow


class ReferralStatus(enum.StrEnum):
    REQUESTED = "requested"
    RECEIVED = "received"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"
    CONSENT_WITHDRAWN = "consent_withdrawn"


class ContactChannel(enum.StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    THROUGH_REFERRER = "through_referrer"  # only through the info point


class Urgency(enum.StrEnum):
    ROUTINE = "routine"
    SOON = "soon"  # within the week
    URGENT = "urgent"  # today or tomorrow


class DeclineReason(enum.StrEnum):
    NO_CAPACITY = "no_capacity"
    NOT_ELIGIBLE = "not_eligible"
    LANGUAGE = "language"
    COULD_NOT_CONTACT = "could_not_contact"
    OTHER = "other"


class Referral(UUIDPrimaryKey, Base):
    __tablename__ = "referral"

    # Referrals made in one handover (one client, two doors at once) share this id.
    handover_id: Mapped[uuid.UUID] = mapped_column(index=True)
    # A double click or a resubmission carries the same key and creates nothing new.
    submission_key: Mapped[str] = mapped_column(String(64))
    sender_organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organization.id"), index=True
    )
    sender_account_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL")
    )
    receiving_organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organization.id"), index=True
    )
    service_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("service.id", ondelete="SET NULL")
    )
    status: Mapped[ReferralStatus] = mapped_column(
        enum_column(ReferralStatus, "status"), default=ReferralStatus.REQUESTED
    )

    # The client: no more than is needed to make contact.
    client_name: Mapped[str] = mapped_column(String(80))  # first name or initials
    contact_channel: Mapped[ContactChannel] = mapped_column(
        enum_column(ContactChannel, "contact_channel")
    )
    client_phone: Mapped[str | None] = mapped_column(String(40))
    client_email: Mapped[str | None] = mapped_column(String(254))
    reachable_when: Mapped[str | None] = mapped_column(String(200))
    client_languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    need_terms: Mapped[list[str]] = mapped_column(JSON, default=list)  # kind-of-help codes
    need_text: Mapped[str | None] = mapped_column(Text)  # at most 1,000 characters
    urgency: Mapped[Urgency] = mapped_column(enum_column(Urgency, "urgency"))

    # What the client agreed to, as it was put to them.
    consent_version: Mapped[str] = mapped_column(String(20))
    consent_locale: Mapped[str] = mapped_column(String(12))
    consent_text: Mapped[str] = mapped_column(Text)
    consent_shares_contact: Mapped[bool]  # the organisation may contact the client directly
    consent_shares_need: Mapped[bool]  # the organisation may read the need as written
    consented_at: Mapped[datetime]

    decline_reason: Mapped[DeclineReason | None] = mapped_column(
        enum_column(DeclineReason, "decline_reason")
    )
    outcome: Mapped[str | None] = mapped_column(Text)

    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # Set by each step on the app's clock (not on update: anonymising is not a step, and a
    # wall-clock default would ignore the clock that retention is measured against).
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]  # first acknowledgement, acceptance or refusal
    closed_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]  # the sender was told there is no answer yet
    anonymised_at: Mapped[datetime | None]

    events: Mapped[list[ReferralEvent]] = relationship(
        back_populates="referral",
        cascade="all, delete-orphan",
        order_by="ReferralEvent.created_at",
    )
    sender_organization: Mapped[Organization] = relationship(  # noqa: F821
        foreign_keys=[sender_organization_id]
    )
    receiving_organization: Mapped[Organization] = relationship(  # noqa: F821
        foreign_keys=[receiving_organization_id]
    )
    sender_account: Mapped[Account | None] = relationship()  # noqa: F821
    service: Mapped[Service | None] = relationship()  # noqa: F821

    __table_args__ = (
        # One referral per submitted form and receiver; named here because the generated name
        # would pass PostgreSQL's 63-character limit.
        UniqueConstraint(
            "submission_key",
            "sender_organization_id",
            "receiving_organization_id",
            name="uq_referral_submission",
        ),
    )


class ReferralEvent(UUIDPrimaryKey, Base):
    """One step of a referral's history: a change of status or a note. Both sides see it."""

    __tablename__ = "referral_event"

    referral_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("referral.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[ReferralStatus | None] = mapped_column(
        enum_column(ReferralStatus, "from_status")
    )
    to_status: Mapped[ReferralStatus] = mapped_column(enum_column(ReferralStatus, "to_status"))
    actor_account_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL")
    )
    # Which side acted: the sending info point or the receiving organisation.
    actor_organization_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organization.id", ondelete="SET NULL")
    )
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    referral: Mapped[Referral] = relationship(back_populates="events")
    actor: Mapped[Account | None] = relationship()  # noqa: F821


class ReferralAccess(UUIDPrimaryKey, Base):
    """Who saw or changed which referral, when: kept after the referral itself is deleted
    (so no foreign key), and holding no personal data of the client."""

    __tablename__ = "referral_access"

    referral_id: Mapped[uuid.UUID] = mapped_column(index=True)
    account_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    # A guest with a single-use link has no account: the session says which link.
    session_id: Mapped[uuid.UUID | None]
    action: Mapped[str] = mapped_column(String(40))  # view, create, status:accepted, export...
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
