"""How to get in touch with a listing: its own contact details, or its relay.

An informal listing often has no phone or address of its own; people reach it through a relay
person or organisation. This is the one place that decides what a page shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from directory.models import (
    Address,
    Contact,
    Location,
    Municipality,
    Organization,
    Phone,
    Schedule,
    Service,
)
from directory.models.location import ACCESSIBILITY_FEATURES


@dataclass(frozen=True)
class Place:
    """A location as the public sees it. A confidential location has no `address` here and no
    directions: only its municipality and its phone, email or website."""

    location: Location
    address: Address | None
    municipality: Municipality | None
    hours: list[Schedule]

    @property
    def is_confidential(self) -> bool:
        return self.location.is_confidential

    @property
    def directions(self) -> str | None:
        return None if self.is_confidential else self.location.description

    @property
    def transportation(self) -> str | None:
        return None if self.is_confidential else self.location.transportation

    @property
    def features(self) -> list[str]:
        """The accessibility features the place has (codes; labels are the template's)."""
        return [name for name in ACCESSIBILITY_FEATURES if getattr(self.location, name)]

    @property
    def phones(self) -> list[Phone]:
        return self.location.phones

    @property
    def emails(self) -> list[str]:
        return [c.email for c in self.location.contacts if c.email and not c.is_relay]

    @property
    def one_line(self) -> str | None:
        """ "Rue Haute 1, 1000 Bruxelles", as on an envelope and in a map app's search."""
        if self.address is None:
            return None
        return f"{self.address.address_1}, {self.address.postal_code} {self.address.city}"

    @property
    def map_uri(self) -> str | None:
        """A geo: URI (RFC 5870): the phone opens the address in its own map app."""
        if self.one_line is None:
            return None
        return "geo:0,0?q=" + quote(f"{self.one_line}, Belgium")

    @property
    def web_map_url(self) -> str | None:
        """The same search on OpenStreetMap, for a computer or a phone without a map app."""
        if self.one_line is None:
            return None
        return "https://www.openstreetmap.org/search?" + urlencode(
            {"query": f"{self.one_line}, Belgium"}
        )


def place_of(location: Location, hours: list[Schedule] | None = None) -> Place:
    return Place(
        location=location,
        address=location.public_address,
        municipality=location.municipality,
        hours=hours if hours else location.schedules,
    )


@dataclass
class WaysToReach:
    phones: list[Phone] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    website: str | None = None
    places: list[Place] = field(default_factory=list)
    relay_contacts: list[Contact] = field(default_factory=list)
    relay_organization: Organization | None = None

    @property
    def is_relayed(self) -> bool:
        return bool(self.relay_contacts or self.relay_organization)

    @property
    def is_empty(self) -> bool:
        direct = self.phones or self.emails or self.website or self.places
        return not direct and not self.is_relayed


def ways_to_reach(organization: Organization, service: Service | None = None) -> WaysToReach:
    """The service's own details first, then its organisation's, then the relay."""
    ways = WaysToReach()
    contacts = [*(service.contacts if service else []), *organization.contacts]
    ways.phones = [*(service.phones if service else []), *organization.phones]
    for contact in contacts:
        if contact.is_relay:
            ways.relay_contacts.append(contact)
            continue
        ways.phones.extend(contact.phones)
        if contact.email:
            ways.emails.append(contact.email)
    ways.emails.extend(e for e in (service.email if service else None, organization.email) if e)
    ways.website = (service.url if service else None) or organization.website
    if service and service.service_at_locations:
        ways.places = [
            place_of(sal.location, sal.schedules) for sal in service.service_at_locations
        ]
    else:
        ways.places = [place_of(location) for location in organization.locations]
    ways.relay_organization = organization.relay_organization
    return ways
