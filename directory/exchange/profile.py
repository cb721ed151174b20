"""Our HSDS profile: what Nabij adds to HSDS 3.0, as JSON Merge Patches (RFC 7386) against
the standard's JSON Schemas, one per schema it changes.

HSDS has no field for three things Nabij is made of, so the profile adds them (and nothing
HSDS can already say):
- texts per language: which language a listing's name and description are in, whether a
  machine translated them, the original's language, the languages they exist in (ask for
  one with `lang` or Accept-Language), and the one-sentence plain-language summary;
- Brussels places: the municipality (NIS code, French and Dutch names) and Wijkmonitoring
  neighbourhood of a service area or a location; a confidential location (a shelter) says
  only its municipality, and `confidential` says why it has no address;
- the relay organisation through which an informal group is reached;
- and schedules' time zone by name (HSDS's numeric offset cannot follow summer time).

`documents` fills these fields; `openapi` describes our responses with them; the tests
apply these patches to the official schemas and validate every response against the result.
"""

from __future__ import annotations

import copy
from typing import Any

_PLACE_NAMES = {
    "type": "object",
    "properties": {"name_fr": {"type": "string"}, "name_nl": {"type": "string"}},
    "required": ["name_fr", "name_nl"],
}

BRUSSELS_PLACE: dict[str, Any] = {
    "type": "object",
    "description": (
        "Where in the Brussels-Capital Region: the whole region, a municipality, or a "
        "neighbourhood of the Wijkmonitoring / Monitoring des Quartiers within its municipality. "
        "A confidential location gives its municipality only."
    ),
    "properties": {
        "level": {"type": "string", "enum": ["region", "municipality", "neighbourhood"]},
        "nis_code": {
            "type": "string",
            "description": "The NIS (Statbel) code of the municipality, or 04000 for the region.",
        },
        "municipality": {**_PLACE_NAMES, "description": "The municipality's official names."},
        "neighbourhood": {
            **_PLACE_NAMES,
            "description": "The Wijkmonitoring neighbourhood: its number and official names.",
            "properties": {**_PLACE_NAMES["properties"], "number": {"type": "integer"}},
            "required": ["number", "name_fr", "name_nl"],
        },
    },
    "required": ["level", "nis_code"],
}

LANGUAGE_CODE = {"type": "string", "description": "A BCP 47 language code (nl, fr, ar, ...)."}

TEXTS: dict[str, Any] = {
    "text_language": {
        **LANGUAGE_CODE,
        "description": "The language of name, description and summary as given: the one asked "
        "for (`lang` or Accept-Language) when the listing has it, else its original language.",
    },
    "text_machine_translated": {
        "type": "boolean",
        "description": "Whether a machine, not a person, translated name, description and summary.",
    },
    "text_original_language": {
        **LANGUAGE_CODE,
        "description": "The language the listing was written in.",
    },
    "text_languages": {
        "type": "array",
        "items": LANGUAGE_CODE,
        "description": "Every language the listing's texts exist in.",
    },
    "summary": {
        "type": "string",
        "description": "One plain-language sentence saying what it is, in `text_language`.",
    },
}

PATCHES: dict[str, dict[str, Any]] = {
    "organization": {
        "properties": {
            **TEXTS,
            "relay_organization_id": {
                "type": "string",
                "format": "uuid",
                "description": "An informal group without contact details of its own is "
                "reached through this organisation. A relay person's own name, email and "
                "phone are never published.",
            },
        }
    },
    "service": {"properties": dict(TEXTS)},
    "service_area": {"properties": {"brussels_place": BRUSSELS_PLACE}},
    "location": {
        "properties": {
            "brussels_place": BRUSSELS_PLACE,
            "confidential": {
                "type": "boolean",
                "description": "A confidential location (a shelter, a refuge) is published "
                "with its municipality and how to reach it only: no name, address, "
                "coordinates, directions or accessibility.",
            },
        }
    },
    "schedule": {
        "properties": {
            "timezone_name": {
                "type": "string",
                "description": "The IANA time zone of opens_at and closes_at (Europe/Brussels).",
            }
        }
    },
}


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386: `patch` applied to `target` (neither is changed)."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    merged = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = merge_patch(merged.get(key), value)
    return merged


def extra_properties(table: str) -> dict[str, Any]:
    """The properties the profile adds to a table's objects."""
    return PATCHES.get(table, {}).get("properties", {})
