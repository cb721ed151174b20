"""HSDS location, address and service_at_location."""

from __future__ import annotations

import enum
import uuid

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.models.base import Base, UUIDPrimaryKey, enum_column
from directory.models.place import Neighbourhood


class LocationType(enum.StrEnum):
    PHYSICAL = "physical"
    POSTAL = "postal"
    VIRTUAL = "virtual"


class Location(UUIDPrimaryKey, Base):
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
    accessibility: Mapped[str | None] = mapped_column(Text)

    organization: Mapped[Organization | None] = relationship(  # noqa: F821
        back_populates="locations"
    )
    addresses: Mapped[list[Address]] = relationship(cascade="all, delete-orphan")
    neighbourhood: Mapped[Neighbourhood | None] = relationship()


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
