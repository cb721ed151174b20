"""Translated names of the model's enumerations, for pages and forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from directory.models import Line, OrganizationKind, Provenance, Role

KIND_LABELS = {
    OrganizationKind.PUBLIC_SERVICE: _l("Public service"),
    OrganizationKind.RECOGNISED_SERVICE: _l("Recognised care or welfare service"),
    OrganizationKind.ASSOCIATION: _l("Association"),
    OrganizationKind.NEIGHBOUR_HELP_NETWORK: _l("Neighbour-help network"),
    OrganizationKind.NEIGHBOURHOOD_COMMITTEE: _l("Neighbourhood committee or house"),
    OrganizationKind.SELF_ORGANISATION: _l("Self-organisation or community"),
    OrganizationKind.ONLINE_GROUP: _l("Online group"),
}

ROLE_LABELS = {
    Role.INFO_POINT_WORKER: _l("Info-point worker"),
    Role.ORGANIZATION_MEMBER: _l("Organisation member"),
    Role.COORDINATOR: _l("Coordinator"),
}

# The accessibility features of a location (`models.location.ACCESSIBILITY_FEATURES`).
FEATURE_LABELS = {
    "step_free": _l("Step-free entrance"),
    "lift": _l("Lift"),
    "accessible_toilet": _l("Accessible toilet"),
    "hearing_loop": _l("Hearing loop"),
}

LINE_LABELS = {
    Line.ZERO: _l("Open to everyone, no question needed"),
    Line.FIRST: _l("First-line help: a professional takes up your question"),
    Line.SPECIALISED: _l("Specialised help"),
}

# Where a listing's facts come from, and only that: whether and when someone checked them
# is said once, by the "Is this still right?" section (templates/macros.html, verification).
PROVENANCE_LABELS = {
    Provenance.SOURCE_DOCUMENTS: _l("Written by the Nabij team from public documents."),
    Provenance.ORGANIZATION: _l("Entered by the organisation itself."),
    Provenance.COORDINATOR: _l("Entered by a Nabij coordinator."),
    Provenance.SYNTHETIC: _l("Test data: this listing does not exist."),
    Provenance.IMPORTED: _l("Taken over from another social map's open data."),
}

FILTER_LABELS = {
    "place": _l("Where"),
    "lang": _l("Language"),
    "help": _l("Kind of help"),
    "kind": _l("Kind of organisation"),
    "formality": _l("Formal or informal"),
    "line": _l("Kind of access"),
    "free": _l("Free of charge"),
    "open": _l("Opening hours"),
}

OPEN_NOW_LABEL = _l("Open now")

FORMALITY_LABELS = {
    "formal": _l("Professional services"),
    "informal": _l("Neighbours and groups"),
}

REGION_LABEL = _l("the whole Brussels region")
MUNICIPALITY_LABEL = _l("Municipality")
NEIGHBOURHOOD_LABEL = _l("Neighbourhood")
