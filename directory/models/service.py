"""HSDS service, its texts per language, where it serves (service_area) and its kinds of help."""

from __future__ import annotations

import enum
import uuid

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint, and_, event
from sqlalchemy.orm import Mapped, foreign, mapped_column, relationship
from sqlalchemy.orm.collections import attribute_keyed_dict

from directory.models.base import (
    Base,
    ListingRecord,
    LocalizedText,
    UUIDPrimaryKey,
    enum_column,
)
from directory.models.contact import Contact, Phone
from directory.models.language import Language
from directory.models.location import ServiceAtLocation
from directory.models.organization import Organization
from directory.models.place import Municipality, Neighbourhood
from directory.models.schedule import Closure, Schedule
from directory.models.taxonomy import Attribute, TaxonomyTerm


class ServiceStatus(enum.StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"
    DEFUNCT = "defunct"
    TEMPORARILY_CLOSED = "temporarily closed"


class Service(UUIDPrimaryKey, ListingRecord, Base):
    __tablename__ = "service"

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[ServiceStatus] = mapped_column(
        enum_column(ServiceStatus, "status"), default=ServiceStatus.ACTIVE
    )
    url: Mapped[str | None]
    email: Mapped[str | None]
    interpretation_services: Mapped[str | None] = mapped_column(Text)
    application_process: Mapped[str | None] = mapped_column(Text)
    fees_description: Mapped[str | None] = mapped_column(Text)
    eligibility_description: Mapped[str | None] = mapped_column(Text)
    minimum_age: Mapped[int | None]
    maximum_age: Mapped[int | None]
    # Not HSDS (which has cost_option): "free of charge" is a filter people ask for.
    # None means the listing does not say.
    is_free: Mapped[bool | None]

    organization: Mapped[Organization] = relationship(back_populates="services")
    texts: Mapped[dict[str, ServiceText]] = relationship(
        collection_class=attribute_keyed_dict("locale"),
        cascade="all, delete-orphan",
        back_populates="service",
    )
    languages: Mapped[list[Language]] = relationship(
        cascade="all, delete-orphan", order_by=Language.code
    )
    areas: Mapped[list[ServiceArea]] = relationship(cascade="all, delete-orphan")
    schedules: Mapped[list[Schedule]] = relationship(
        cascade="all, delete-orphan",
        order_by=(Schedule.byday, Schedule.opens_at),
        primaryjoin="and_(Schedule.service_id == Service.id,"
        " Schedule.service_at_location_id.is_(None))",
    )
    closures: Mapped[list[Closure]] = relationship(
        cascade="all, delete-orphan", order_by=Closure.starts_on
    )
    attributes: Mapped[list[Attribute]] = relationship(
        primaryjoin=lambda: and_(
            foreign(Attribute.link_id) == Service.id, Attribute.link_entity == "service"
        ),
        cascade="all, delete-orphan",
    )
    contacts: Mapped[list[Contact]] = relationship(cascade="all, delete-orphan")
    phones: Mapped[list[Phone]] = relationship(cascade="all, delete-orphan")
    service_at_locations: Mapped[list[ServiceAtLocation]] = relationship(
        cascade="all, delete-orphan", back_populates="service"
    )

    @property
    def help_terms(self) -> list[TaxonomyTerm]:
        return [attribute.taxonomy_term for attribute in self.attributes]

    def tag(self, term: TaxonomyTerm) -> None:
        """Tag this service with a kind of help."""
        self.attributes.append(
            Attribute(link_entity="service", taxonomy_term=term, link_type="kind_of_help")
        )


class ServiceText(UUIDPrimaryKey, LocalizedText, Base):
    __tablename__ = "service_text"
    __table_args__ = (UniqueConstraint("service_id", "locale"),)

    service_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"))
    service: Mapped[Service] = relationship(back_populates="texts")


class ServiceArea(UUIDPrimaryKey, Base):
    """HSDS service_area, expressed in Brussels places.

    A row names a neighbourhood or a municipality; a row naming neither means the whole region.
    """

    __tablename__ = "service_area"
    __table_args__ = (
        CheckConstraint("municipality_id IS NULL OR neighbourhood_id IS NULL", name="one_place"),
    )

    service_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str | None]
    description: Mapped[str | None] = mapped_column(Text)
    extent: Mapped[str | None] = mapped_column(Text)
    extent_type: Mapped[str | None] = mapped_column(String(40))
    uri: Mapped[str | None]
    municipality_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("municipality.id"))
    neighbourhood_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("neighbourhood.id"))

    municipality: Mapped[Municipality | None] = relationship()
    neighbourhood: Mapped[Neighbourhood | None] = relationship()

    @property
    def is_whole_region(self) -> bool:
        return self.municipality_id is None and self.neighbourhood_id is None


@event.listens_for(Service.attributes, "append")
def _link_attribute(service: Service, attribute: Attribute, _initiator) -> None:
    """An attribute names its service as soon as it is attached (HSDS links by id, not by a
    foreign key): what a flush records about the service can read it before the INSERT."""
    if service.id is None:
        service.id = uuid.uuid4()
    attribute.link_id = service.id
