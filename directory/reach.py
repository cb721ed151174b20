"""How to get in touch with a listing: its own contact details, or its relay.

An informal listing often has no phone or address of its own; people reach it through a relay
person or organisation. This is the one place that decides what a page shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from directory.models import Address, Contact, Organization, Phone, Service


@dataclass
class WaysToReach:
    phones: list[Phone] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    website: str | None = None
    addresses: list[Address] = field(default_factory=list)
    relay_contacts: list[Contact] = field(default_factory=list)
    relay_organization: Organization | None = None

    @property
    def is_relayed(self) -> bool:
        return bool(self.relay_contacts or self.relay_organization)

    @property
    def is_empty(self) -> bool:
        direct = self.phones or self.emails or self.website or self.addresses
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
    locations = (
        [sal.location for sal in service.service_at_locations]
        if service and service.service_at_locations
        else organization.locations
    )
    ways.addresses = [address for location in locations for address in location.addresses]
    ways.relay_organization = organization.relay_organization
    return ways
