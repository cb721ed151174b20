"""The data model: HSDS 3.0 entities under their HSDS names, and what Brussels adds beside them.

Importing this package registers every table on `Base.metadata` (Alembic reads it from here).
"""

from directory.models.account import (
    Account,
    AccountSession,
    Membership,
    Role,
    SingleUseToken,
    TokenPurpose,
)
from directory.models.base import Base, Provenance
from directory.models.contact import Contact, Phone
from directory.models.language import Language, LanguageCode, language_display_name
from directory.models.location import Address, Location, LocationType, ServiceAtLocation
from directory.models.moderation import (
    ChangeRequest,
    Claim,
    ErrorReport,
    ListingChange,
    ReportStatus,
    RequestStatus,
)
from directory.models.organization import (
    INFORMAL_KINDS,
    Line,
    Organization,
    OrganizationIdentifier,
    OrganizationKind,
    OrganizationText,
)
from directory.models.place import LocalName, Municipality, Neighbourhood, Postcode
from directory.models.referral import (
    ContactChannel,
    DeclineReason,
    Referral,
    ReferralAccess,
    ReferralEvent,
    ReferralStatus,
    Urgency,
)
from directory.models.schedule import Closure, Schedule
from directory.models.search_outbox import SearchOutbox, ZeroResultSearch
from directory.models.seed_record import SeedRecord
from directory.models.service import Service, ServiceArea, ServiceStatus, ServiceText
from directory.models.signal import (
    Observation,
    PersonAware,
    Signal,
    SignalAccess,
    SignalArea,
    SignalEvent,
    SignalRoute,
    SignalStatus,
)
from directory.models.taxonomy import Attribute, Taxonomy, TaxonomyTerm, TaxonomyTermLabel

__all__ = [
    "ChangeRequest",
    "Claim",
    "ErrorReport",
    "ListingChange",
    "ReportStatus",
    "RequestStatus",
    "INFORMAL_KINDS",
    "Account",
    "AccountSession",
    "Address",
    "Attribute",
    "Base",
    "Closure",
    "Contact",
    "ContactChannel",
    "DeclineReason",
    "Language",
    "LanguageCode",
    "Line",
    "LocalName",
    "Location",
    "LocationType",
    "Membership",
    "Municipality",
    "Neighbourhood",
    "Organization",
    "OrganizationIdentifier",
    "OrganizationKind",
    "OrganizationText",
    "Phone",
    "Postcode",
    "Provenance",
    "Referral",
    "ReferralAccess",
    "ReferralEvent",
    "ReferralStatus",
    "Role",
    "Schedule",
    "SearchOutbox",
    "SeedRecord",
    "Observation",
    "PersonAware",
    "Signal",
    "SignalAccess",
    "SignalArea",
    "SignalEvent",
    "SignalRoute",
    "SignalStatus",
    "Service",
    "ServiceArea",
    "ServiceAtLocation",
    "ServiceStatus",
    "ServiceText",
    "SingleUseToken",
    "Taxonomy",
    "TaxonomyTerm",
    "TaxonomyTermLabel",
    "TokenPurpose",
    "Urgency",
    "ZeroResultSearch",
    "language_display_name",
]
