"""The data model: HSDS 3.0 entities under their HSDS names, and what Brussels adds beside them.

Importing this package registers every table on `Base.metadata` (Alembic reads it from here).
"""

from directory.models.base import Base, Provenance
from directory.models.contact import Contact, Phone
from directory.models.language import Language, LanguageCode, language_display_name
from directory.models.location import Address, Location, LocationType, ServiceAtLocation
from directory.models.organization import (
    INFORMAL_KINDS,
    Line,
    Organization,
    OrganizationIdentifier,
    OrganizationKind,
    OrganizationText,
)
from directory.models.place import LocalName, Municipality, Neighbourhood, Postcode
from directory.models.schedule import Closure, Schedule
from directory.models.search_outbox import SearchOutbox, ZeroResultSearch
from directory.models.seed_record import SeedRecord
from directory.models.service import Service, ServiceArea, ServiceStatus, ServiceText
from directory.models.taxonomy import Attribute, Taxonomy, TaxonomyTerm, TaxonomyTermLabel

__all__ = [
    "INFORMAL_KINDS",
    "Address",
    "Attribute",
    "Base",
    "Closure",
    "Contact",
    "Language",
    "LanguageCode",
    "Line",
    "LocalName",
    "Location",
    "LocationType",
    "Municipality",
    "Neighbourhood",
    "Organization",
    "OrganizationIdentifier",
    "OrganizationKind",
    "OrganizationText",
    "Phone",
    "Postcode",
    "Provenance",
    "Schedule",
    "SearchOutbox",
    "SeedRecord",
    "Service",
    "ServiceArea",
    "ServiceAtLocation",
    "ServiceStatus",
    "ServiceText",
    "Taxonomy",
    "TaxonomyTerm",
    "TaxonomyTermLabel",
    "ZeroResultSearch",
    "language_display_name",
]
