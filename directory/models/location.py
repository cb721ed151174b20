"""HSDS location, address and service_at_location."""

from __future__ import annotations

import enum
import uuid

from sqlalchemy import ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.models.base import Base, UUIDPrimaryKey, enum_column
from directory.models.place import Municipality, Neighbourhood

# What a place offers people with a disability, each a yes/not-said column of `Location`.
ACCESSIBILITY_FEATURES = ("step_free", "lift", "accessible_toilet", "hearing_loop")


class LocationType(enum.StrEnum):
    PHYSICAL = "physical"
    POSTAL = "postal"
    VIRTUAL = "virtual"


class Location(UUIDPrimaryKey, Base):
    """A place where people go (or write to). A confidential location (a shelter, a refuge)
    keeps its address among those who manage it: the public, the API and exports only learn
    its municipality and how to reach it."""

    __tablename__ = "location"

    organization_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    location_type: Mapped[LocationType] = mapped_column(enum_column(LocationType, "location_type"))
    url: Mapped[str | None]
    name: Mapped[str | None]
    alternate_name: Mapped[str | None]
    description: Mapped[str | None] = mapped_column(Text)
    transportation: Mapped[str | None] = mapped_column(Text)
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    external_identifier: Mapped[str | None]
    external_identifier_type: Mapped[str | None]
    # Not HSDS: the neighbourhood the location lies in, for search and for the map of gaps.
    neighbourhood_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("neighbourhood.id"))
    # Not HSDS: the municipality of its address's postcode; all that a confidential location
    # shows of where it is.
    municipality_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("municipality.id"))
    accessibility: Mapped[str | None] = mapped_column(Text)
    is_confidential: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Accessibility features: True present, False absent, None not said.
    step_free: Mapped[bool | None]
    lift: Mapped[bool | None]
    accessible_toilet: Mapped[bool | None]
    hearing_loop: Mapped[bool | None]

    organization: Mapped[Organization | None] = relationship(  # noqa: F821
        back_populates="locations"
    )
    addresses: Mapped[list[Address]] = relationship(cascade="all, delete-orphan")
    neighbourhood: Mapped[Neighbourhood | None] = relationship()
    municipality: Mapped[Municipality | None] = relationship()
    phones: Mapped[list[Phone]] = relationship(  # noqa: F821
        cascade="all, delete-orphan",
        primaryjoin="and_(Phone.location_id == Location.id, Phone.contact_id.is_(None))",
    )
    contacts: Mapped[list[Contact]] = relationship(cascade="all, delete-orphan")  # noqa: F821
    schedules: Mapped[list[Schedule]] = relationship(  # noqa: F821
        cascade="all, delete-orphan",
        primaryjoin="and_(Schedule.location_id == Location.id,"
        " Schedule.service_at_location_id.is_(None))",
    )

    @property
    def address(self) -> Address | None:
        """The street address (HSDS allows several; people go to the physical one)."""
        for address in self.addresses:
            if address.address_type == "physical":
                return address
        return self.addresses[0] if self.addresses else None

    @property
    def public_address(self) -> Address | None:
        """The address anyone may read: none for a confidential location."""
        return None if self.is_confidential else self.address


class Address(UUIDPrimaryKey, Base):
    __tablename__ = "address"

    location_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("location.id", ondelete="CASCADE"), index=True
    )
    attention: Mapped[str | None]
    address_1: Mapped[str]
    address_2: Mapped[str | None]
    city: Mapped[str] = mapped_column(String(120))
    region: Mapped[str | None] = mapped_column(String(120))
    state_province: Mapped[str] = mapped_column(String(120), default="Brussels-Capital Region")
    postal_code: Mapped[str] = mapped_column(String(10))
    country: Mapped[str] = mapped_column(String(2), default="BE")
    address_type: Mapped[str] = mapped_column(String(20), default="physical")


class ServiceAtLocation(UUIDPrimaryKey, Base):
    __tablename__ = "service_at_location"

    service_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    location_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("location.id", ondelete="CASCADE"), index=True
    )
    description: Mapped[str | None] = mapped_column(Text)

    service: Mapped[Service] = relationship(back_populates="service_at_locations")  # noqa: F821
    location: Mapped[Location] = relationship()
    # The hours the service keeps at this location (its own, not the service's general ones).
    schedules: Mapped[list[Schedule]] = relationship(  # noqa: F821
        cascade="all, delete-orphan",
        order_by="(Schedule.byday, Schedule.opens_at)",
        primaryjoin="Schedule.service_at_location_id == ServiceAtLocation.id",
    )
