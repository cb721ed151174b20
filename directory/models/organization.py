"""HSDS organization, its texts per language and its identifiers (KBO/BCE, other maps)."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.orm.collections import attribute_keyed_dict

from directory.models.base import (
    Base,
    ListingRecord,
    LocalizedText,
    UUIDPrimaryKey,
    enum_column,
)


class OrganizationKind(enum.StrEnum):
    PUBLIC_SERVICE = "public_service"
    RECOGNISED_SERVICE = "recognised_service"
    ASSOCIATION = "association"
    NEIGHBOUR_HELP_NETWORK = "neighbour_help_network"
    NEIGHBOURHOOD_COMMITTEE = "neighbourhood_committee"
    SELF_ORGANISATION = "self_organisation"
    ONLINE_GROUP = "online_group"

    @property
    def is_informal(self) -> bool:
        return self in INFORMAL_KINDS


INFORMAL_KINDS = frozenset(
    {
        OrganizationKind.NEIGHBOUR_HELP_NETWORK,
        OrganizationKind.NEIGHBOURHOOD_COMMITTEE,
        OrganizationKind.SELF_ORGANISATION,
        OrganizationKind.ONLINE_GROUP,
    }
)


# org-id.guide's scheme for the Crossroads Bank for Enterprises (KBO/BCE) number.
KBO_SCHEME = "BE-BCE_KBO"


class Line(enum.StrEnum):
    """Zero line: open to anyone, no question needed. First line: a professional takes up a
    question. Specialised: reached through a referral or a specific need."""

    ZERO = "zero"
    FIRST = "first"
    SPECIALISED = "specialised"


class Organization(UUIDPrimaryKey, ListingRecord, Base):
    __tablename__ = "organization"

    kind: Mapped[OrganizationKind] = mapped_column(enum_column(OrganizationKind, "kind"))
    line: Mapped[Line] = mapped_column(enum_column(Line, "line"))
    alternate_name: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str | None]
    website: Mapped[str | None]
    legal_status: Mapped[str | None]
    uri: Mapped[str | None]
    parent_organization_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organization.id"))
    # An informal listing may have no contact of its own: people reach it through another
    # organisation (the relay) or a relay person (a `Contact` with `is_relay`).
    relay_organization_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organization.id"))
    # An informal group's own way in (a chat group, a sign-up page): shown only to signed-in
    # info-point workers, who pass it on in person.
    join_link: Mapped[str | None] = mapped_column(String(500))
    # When the organisation was last asked "is this still right?" (or "still active?").
    verification_requested_at: Mapped[datetime | None]

    texts: Mapped[dict[str, OrganizationText]] = relationship(
        collection_class=attribute_keyed_dict("locale"),
        cascade="all, delete-orphan",
        back_populates="organization",
    )
    services: Mapped[list[Service]] = relationship(  # noqa: F821
        back_populates="organization", cascade="all, delete-orphan"
    )
    identifiers: Mapped[list[OrganizationIdentifier]] = relationship(cascade="all, delete-orphan")
    contacts: Mapped[list[Contact]] = relationship(cascade="all, delete-orphan")  # noqa: F821
    phones: Mapped[list[Phone]] = relationship(cascade="all, delete-orphan")  # noqa: F821
    locations: Mapped[list[Location]] = relationship(  # noqa: F821
        back_populates="organization", cascade="all, delete-orphan"
    )
    parent: Mapped[Organization | None] = relationship(
        remote_side="Organization.id",
        foreign_keys=[parent_organization_id],
        back_populates="children",
    )
    children: Mapped[list[Organization]] = relationship(
        foreign_keys=[parent_organization_id], back_populates="parent"
    )
    relay_organization: Mapped[Organization | None] = relationship(
        remote_side="Organization.id", foreign_keys=[relay_organization_id]
    )

    @property
    def is_informal(self) -> bool:
        return self.kind.is_informal

    @property
    def enterprise_number(self) -> str | None:
        """The KBO/BCE number, "0123.456.789", when the organisation gave it."""
        return next(
            (i.identifier for i in self.identifiers if i.identifier_scheme == KBO_SCHEME), None
        )


class OrganizationText(UUIDPrimaryKey, LocalizedText, Base):
    __tablename__ = "organization_text"
    __table_args__ = (UniqueConstraint("organization_id", "locale"),)

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE")
    )
    organization: Mapped[Organization] = relationship(back_populates="texts")


class OrganizationIdentifier(UUIDPrimaryKey, Base):
    """HSDS organization_identifier: the KBO/BCE enterprise number, ids in other social maps."""

    __tablename__ = "organization_identifier"

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE")
    )
    identifier_scheme: Mapped[str | None] = mapped_column(String(60))
    identifier_type: Mapped[str] = mapped_column(String(120))
    identifier: Mapped[str] = mapped_column(String(120))
