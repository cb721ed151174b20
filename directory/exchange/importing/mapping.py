"""Where each HSDS table and field we hold goes in our model, and the order in which
records are linked and written (whatever a row names comes before it)."""

from __future__ import annotations

from typing import Any

from directory.exchange.tabular import TABLES_BY_NAME
from directory.labels import FEATURE_LABELS
from directory.models import (
    Address,
    Attribute,
    Contact,
    Language,
    Location,
    LocationType,
    Organization,
    OrganizationIdentifier,
    OrganizationText,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
    ServiceText,
    Taxonomy,
    TaxonomyTerm,
)

# The order records are linked and written in: whatever a row names comes before it.
ORDER = (
    "taxonomy",
    "taxonomy_term",
    "organization",
    "organization_identifier",
    "location",
    "address",
    "accessibility",
    "service",
    "service_area",
    "service_at_location",
    "contact",
    "phone",
    "schedule",
    "language",
    "attribute",
)

# Rows that mean something only through one of these links: without any, there is nothing
# to attach them to.
OWNERS: dict[str, tuple[str, ...]] = {
    "address": ("location_id",),
    "accessibility": ("location_id",),
    "service_area": ("service_id",),
    "language": ("service_id", "location_id", "phone_id"),
    "phone": (
        "location_id",
        "service_id",
        "organization_id",
        "contact_id",
        "service_at_location_id",
    ),
    "contact": ("organization_id", "service_id", "service_at_location_id", "location_id"),
    "schedule": ("service_id", "location_id", "service_at_location_id"),
}

# The model each held table is stored in (accessibility goes into its location).
MODELS: dict[str, type] = {
    "taxonomy": Taxonomy,
    "taxonomy_term": TaxonomyTerm,
    "organization": Organization,
    "organization_identifier": OrganizationIdentifier,
    "location": Location,
    "address": Address,
    "service": Service,
    "service_area": ServiceArea,
    "service_at_location": ServiceAtLocation,
    "contact": Contact,
    "phone": Phone,
    "schedule": Schedule,
    "language": Language,
    "attribute": Attribute,
}


def _columns(table: str, *by_hand: str) -> dict[str, str]:
    """HSDS column -> model attribute, for the held fields stored as they are."""
    return {
        f.name: f.name
        for f in TABLES_BY_NAME[table].fields
        if f.held and f.name != "id" and f.name not in by_hand
    }


# Per table, the HSDS columns stored as they are. The rest is stored by hand: texts per
# language, parents (after every row exists), taxonomy links, names we derive.
PLAIN: dict[str, dict[str, str]] = {
    "taxonomy": _columns("taxonomy"),
    "taxonomy_term": _columns(
        "taxonomy_term", "name", "description", "parent_id", "taxonomy", "language", "taxonomy_id"
    ),
    "organization": _columns("organization", "name", "description", "parent_organization_id"),
    "organization_identifier": _columns("organization_identifier"),
    "location": _columns("location"),
    "address": _columns("address"),
    "accessibility": {},
    "service": _columns("service", "name", "description"),
    "service_area": _columns("service_area"),
    "service_at_location": _columns("service_at_location"),
    "contact": _columns("contact"),
    "phone": _columns("phone"),
    "schedule": _columns("schedule"),
    "language": _columns("language", "name"),
    "attribute": _columns("attribute"),
}
TEXTS = {"organization": OrganizationText, "service": ServiceText}
# Values our columns keep as something other than the HSDS type.
CONVERT: dict[str, Any] = {
    "status": ServiceStatus,
    "location_type": LocationType,
    "minimum_age": int,
    "maximum_age": int,
    "extension": int,
    "interval": int,
}
# Links within one table (and an informal group's relay organisation): set once every row of
# the table exists, since a row may name one that comes after it.
PARENTS = {
    "organization": frozenset({"parent_organization_id", "relay_organization_id"}),
    "taxonomy_term": frozenset({"parent_id"}),
}
# HSDS numbers our columns keep as integers.
WHOLE_NUMBERS = frozenset({"minimum_age", "maximum_age", "extension", "interval"})
# What a location says of its accessibility: its words and its four features.
ACCESSIBILITY = ("accessibility", *FEATURE_LABELS)
