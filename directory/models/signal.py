"""A signal of concern: a neighbour, a pharmacist or a home carer tells an info point that
someone seems isolated, and the info point follows it up.

This is special-category personal data about someone who did not ask for anything. Only the
fields below are kept: what was noticed, the neighbourhood or postcode, the person's
language and whether they know; never their name or address. The signaller may leave a way
to reach them, erased as soon as the signal is closed. Every view and change is written to
`SignalAccess`; a signal left without a step for `SIGNAL_IDLE_DAYS` is closed as idle, and
closed signals are deleted after `SIGNAL_KEEP_DAYS` (`directory.signals.retention`). Which
status may follow which lives in `directory.signals.states`, where a signal goes in
`directory.signals.routing`.
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.models.base import Base, UUIDPrimaryKey, enum_column, utcnow


class SignalStatus(enum.StrEnum):
    NEW = "new"  # nobody has taken it up yet
    TAKEN_UP = "taken_up"  # an info-point worker follows it up
    CONTACTED = "contacted"  # the info point reached the person
    HANDED_OVER = "handed_over"  # turned into a referral, with the person's consent
    CLOSED = "closed"  # with an outcome
    UNREACHABLE = "unreachable"  # the info point could not reach the person
    IDLE = "idle"  # closed by `flask signals purge`: no step for SIGNAL_IDLE_DAYS


class Observation(enum.StrEnum):
    """What the signaller noticed, as ticks (beside their own words)."""

    LIVES_ALONE = "lives_alone"
    SEEMS_LONELY = "seems_lonely"
    NO_LONGER_GOES_OUT = "no_longer_goes_out"
    PAPERS_OR_MONEY = "papers_or_money"
    HEALTH = "health"


class PersonAware(enum.StrEnum):
    """Whether the person knows that someone signals them."""

    YES = "yes"
    NO = "no"
    NOT_SURE = "not_sure"


class Signal(UUIDPrimaryKey, Base):
    __tablename__ = "signal"

    # A double click or a resubmission of the public form carries the same key.
    submission_key: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[SignalStatus] = mapped_column(
        enum_column(SignalStatus, "status"), default=SignalStatus.NEW
    )

    # What was noticed, where, and about whom: no name, no address.
    observations: Mapped[list[str]] = mapped_column(JSON, default=list)
    text: Mapped[str | None] = mapped_column(Text)  # at most 1,000 characters
    neighbourhood_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("neighbourhood.id"))
    postcode_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("postcode.id"))
    person_language: Mapped[str | None] = mapped_column(String(12))  # None: not known
    person_aware: Mapped[PersonAware] = mapped_column(enum_column(PersonAware, "person_aware"))

    # The signaller: only what they chose to leave (erased when the signal is closed), and
    # the language they wrote in.
    signaller_email: Mapped[str | None] = mapped_column(String(254))
    signaller_phone: Mapped[str | None] = mapped_column(String(40))
    locale: Mapped[str] = mapped_column(String(12))

    # Who follows it up.
    taken_by_organization_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organization.id", ondelete="SET NULL"), index=True
    )
    taken_by_account_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL")
    )
    # The referral it became (the referral keeps its own consent and retention).
    referral_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("referral.id", ondelete="SET NULL")
    )
    outcome: Mapped[str | None] = mapped_column(Text)

    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # Set by each step on the app's clock (retention is measured against it): the last step.
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    taken_up_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None] = mapped_column(index=True)
    escalated_at: Mapped[datetime | None]  # coordinators were told nobody took it up
    signaller_told_at: Mapped[datetime | None]  # the one email to the signaller went out
    # Whoever has it was told it will be closed as idle (counts only if after the last step).
    idle_reminded_at: Mapped[datetime | None]

    routes: Mapped[list[SignalRoute]] = relationship(
        back_populates="signal", cascade="all, delete-orphan"
    )
    events: Mapped[list[SignalEvent]] = relationship(
        back_populates="signal", cascade="all, delete-orphan", order_by="SignalEvent.created_at"
    )
    neighbourhood: Mapped[Neighbourhood | None] = relationship()  # noqa: F821
    postcode: Mapped[Postcode | None] = relationship()  # noqa: F821
    taken_by_organization: Mapped[Organization | None] = relationship()  # noqa: F821
    taken_by_account: Mapped[Account | None] = relationship()  # noqa: F821

    __table_args__ = (
        CheckConstraint("neighbourhood_id IS NOT NULL OR postcode_id IS NOT NULL", name="place"),
    )


class SignalRoute(Base):
    """An info point a new signal was sent to (none: the coordinators have it)."""

    __tablename__ = "signal_route"

    signal_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("signal.id", ondelete="CASCADE"), primary_key=True
    )
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    signal: Mapped[Signal] = relationship(back_populates="routes")
    organization: Mapped[Organization] = relationship()  # noqa: F821


class SignalEvent(UUIDPrimaryKey, Base):
    """One step of a signal's history: a change of status, or a coordinator forwarding it
    to an info point (`forwarded_to_id`). Only those following it up see it."""

    __tablename__ = "signal_event"

    signal_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("signal.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[SignalStatus | None] = mapped_column(
        enum_column(SignalStatus, "from_status")
    )
    to_status: Mapped[SignalStatus] = mapped_column(enum_column(SignalStatus, "to_status"))
    actor_account_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL")
    )
    forwarded_to_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organization.id", ondelete="SET NULL")
    )
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    signal: Mapped[Signal] = relationship(back_populates="events")
    actor: Mapped[Account | None] = relationship()  # noqa: F821
    forwarded_to: Mapped[Organization | None] = relationship()  # noqa: F821


class SignalAccess(UUIDPrimaryKey, Base):
    """Who saw or changed which signal, when: kept after the signal is deleted (so no
    foreign key), and holding nothing about the person or the signaller."""

    __tablename__ = "signal_access"

    signal_id: Mapped[uuid.UUID] = mapped_column(index=True)
    account_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    session_id: Mapped[uuid.UUID | None]
    action: Mapped[str] = mapped_column(String(40))  # view, list, status:taken_up, forward...
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class SignalArea(UUIDPrimaryKey, Base):
    """A place an organisation takes signals for: a whole municipality or one neighbourhood.
    Signals go to the info points whose places hold theirs (`directory.signals.routing`)."""

    __tablename__ = "signal_area"

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    municipality_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("municipality.id"))
    neighbourhood_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("neighbourhood.id"))

    municipality: Mapped[Municipality | None] = relationship()  # noqa: F821
    neighbourhood: Mapped[Neighbourhood | None] = relationship()  # noqa: F821

    __table_args__ = (
        CheckConstraint(
            "(municipality_id IS NULL) <> (neighbourhood_id IS NULL)", name="one_place"
        ),
    )
