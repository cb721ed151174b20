"""Our OpenAPI 3.1 document: exactly what the API serves, built from the same definitions
the responses are built from (the HSDS tables of `tabular`, the extra fields of `profile`,
the parameter rules of `params`), so the two cannot drift apart. Objects allow no property
they do not list: a field the API starts sending without saying so fails the fuzzing test.
"""

from __future__ import annotations

from typing import Any

from directory.exchange import params, profile
from directory.exchange.tabular import HSDS_VERSION, TABLES_BY_NAME, Field
from directory.i18n import SUPPORTED_LOCALES

API_VERSION = "1.0.0"
Schema = dict[str, Any]


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _array(name: str) -> Schema:
    return {"type": "array", "items": _ref(name)}


def _field(field: Field) -> Schema:
    """One column as JSON: numbers, and strings (ids, dates and times among them). Web and
    email addresses carry no format: we pass on what organisations typed."""
    if field.type == "number":
        schema: Schema = {"type": "number"}
    elif field.type == "date":
        schema = {"type": "string", "format": "date"}
    elif field.type == "datetime":
        schema = {"type": "string", "format": "date-time"}
    elif field.format == "uuid":
        schema = {"type": "string", "format": "uuid"}
    else:
        schema = {"type": "string"}
    if field.enum:
        schema["enum"] = list(field.enum)
    return schema


def _object(table: str | None, nested: Schema | None = None, always: tuple = ()) -> Schema:
    """A table's row as the API sends it (empty fields left out), with the profile's fields
    for that table and the `nested` properties (always present, as `always` ones are)."""
    properties: Schema = {}
    required: list[str] = []
    if table is not None:
        for field in TABLES_BY_NAME[table].fields:
            properties[field.name] = _field(field)
            if field.required:
                required.append(field.name)
        properties.update(profile.extra_properties(table))
    properties.update(nested or {})
    required += [*(nested or {}), *always]
    return {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def _schemas() -> dict[str, Schema]:
    location_item = _object("location", always=("confidential",))
    location_arrays = {
        "addresses": _array("Address"),
        "phones": _array("Phone"),
        "contacts": _array("Contact"),
        "accessibility": _array("Accessibility"),
        "schedules": _array("Schedule"),
    }
    service_item_nested = {"organization": _ref("OrganizationItem")}
    service_arrays = {
        "phones": _array("Phone"),
        "schedules": _array("Schedule"),
        "service_areas": _array("ServiceArea"),
        "service_at_locations": _array("ServiceAtLocationNested"),
        "languages": _array("Language"),
        "contacts": _array("Contact"),
        "attributes": _array("Attribute"),
    }
    sal_nested = {"schedules": _array("Schedule"), "location": _ref("Location")}
    schemas = {
        "Phone": _object("phone"),
        "Contact": _object("contact", {"phones": _array("Phone")}),
        "Schedule": _object("schedule"),
        "ServiceArea": _object("service_area"),
        "Language": _object("language"),
        "Address": _object("address"),
        "Accessibility": _object("accessibility"),
        "OrganizationIdentifier": _object("organization_identifier"),
        "Taxonomy": _object("taxonomy"),
        "TaxonomyTerm": _object("taxonomy_term"),
        "Attribute": _object("attribute", {"taxonomy_term": _ref("TaxonomyTerm")}),
        "LocationItem": location_item,
        "Location": _object("location", location_arrays, always=("confidential",)),
        "OrganizationItem": _object("organization"),
        "ServiceFields": _object("service"),
        "ServiceItem": _object("service", service_item_nested),
        "Service": _object("service", {**service_item_nested, **service_arrays}),
        "Organization": _object(
            "organization",
            {
                "contacts": _array("Contact"),
                "phones": _array("Phone"),
                "locations": _array("Location"),
                "organization_identifiers": _array("OrganizationIdentifier"),
                "services": _array("ServiceFields"),
            },
        ),
        "ServiceAtLocationNested": _object("service_at_location", sal_nested),
        "ServiceAtLocation": _object(
            "service_at_location", {**sal_nested, "service": _ref("ServiceItem")}
        ),
        "ServiceAtLocationItem": _object(
            "service_at_location",
            {"service": _ref("ServiceItem"), "location": _ref("LocationItem")},
        ),
        "Error": {
            "type": "object",
            "properties": {
                "error": {"type": "string"},
                "message": {"type": "string"},
                "parameter": {"type": "string"},
            },
            "required": ["error", "message"],
            "additionalProperties": False,
        },
    }
    for name in ("ServiceItem", "OrganizationItem", "ServiceAtLocationItem"):
        schemas[f"{name}Page"] = _page_of(name)
    schemas["TaxonomyPage"] = _page_of("Taxonomy")
    schemas["TaxonomyTermPage"] = _page_of("TaxonomyTerm")
    return schemas


def _page_of(item: str) -> Schema:
    """HSDS's pagination fields around a page of `item`s."""
    counts = {"type": "integer", "minimum": 0}
    flags = {"type": "boolean"}
    properties = {
        "total_items": counts,
        "total_pages": counts,
        "page_number": {"type": "integer", "minimum": 1},
        "size": counts,
        "first_page": flags,
        "last_page": flags,
        "empty": flags,
        "contents": _array(item),
    }
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _query(name: str, schema: Schema, description: str) -> Schema:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


def _parameters() -> dict[str, Schema]:
    uuid = {"type": "string", "format": "uuid", "pattern": params.UUID_PATTERN}
    return {
        "search": _query(
            "search",
            {"type": "string"},
            "Free text. Services: read by our search engine as the search page reads it "
            "(kinds of help, places and words in any of our languages), best match first, "
            "at most the 1,000 best. Organisations, taxonomies and terms: a plain match of "
            f"names and labels. Text beyond {params.MAX_SEARCH_CHARS} characters is ignored.",
        ),
        "page": _query(
            "page",
            {"type": "integer", "minimum": 1, "maximum": params.MAX_PAGE},
            "The page wanted (from 1).",
        ),
        "per_page": _query(
            "per_page",
            {"type": "integer", "minimum": 1, "maximum": params.MAX_PER_PAGE},
            f"Records per page ({params.DEFAULT_PER_PAGE} unless given).",
        ),
        "lang": _query(
            "lang",
            {"type": "string", "enum": list(SUPPORTED_LOCALES)},
            "The language of the texts (else Accept-Language, else each listing's original). "
            "A text missing in it comes in the listing's original language.",
        ),
        "accept_language": {
            "name": "Accept-Language",
            "in": "header",
            "required": False,
            "schema": {"type": "string"},
            "description": "The language of the texts when `lang` is not given.",
        },
        "taxonomy_term_id": _query(
            "taxonomy_term_id",
            uuid,
            "Services tagged with this term (a life domain: any of its kinds of help).",
        ),
        "taxonomy_id": _query("taxonomy_id", uuid, "Services tagged with a term of this taxonomy."),
        "organization_id": _query("organization_id", uuid, "Services of this organisation."),
        "modified_after": _query(
            "modified_after",
            {
                "anyOf": [
                    {"type": "string", "format": "date-time"},
                    {"type": "string", "format": "date"},
                ]
            },
            "Services changed at or after this time (UTC when it names no offset).",
        ),
        "postcode": _query(
            "postcode",
            {"type": "string", "pattern": params.POSTCODE_PATTERN},
            "Services whose area holds this postcode: the whole region, its municipality, "
            "or a neighbourhood of it.",
        ),
        "id": {
            "name": "id",
            "in": "path",
            "required": True,
            "schema": uuid,
            "description": "The record's id.",
        },
    }


def _json(schema: Schema, description: str, media_type: str = "application/json") -> Schema:
    return {"description": description, "content": {media_type: {"schema": schema}}}


NOT_MODIFIED = {
    "description": "The copy the client holds (If-None-Match, If-Modified-Since) is current."
}


def _operation(
    summary: str,
    schema: Schema,
    parameters: tuple[str, ...] = (),
    errors: tuple[int, ...] = (),
    media_type: str = "application/json",
) -> Schema:
    error_texts = {
        400: "A parameter is not as described here (the error names it).",
        404: "Nothing is published under this id (or name).",
        503: "Search is being rebuilt: try again shortly.",
    }
    responses: Schema = {"200": _json(schema, summary, media_type), "304": NOT_MODIFIED}
    for status in errors:
        responses[str(status)] = _json(_ref("Error"), error_texts[status])
    return {
        "get": {
            "summary": summary,
            "parameters": [{"$ref": f"#/components/parameters/{name}"} for name in parameters],
            "responses": responses,
        }
    }


SERVICE_FILTERS = (
    "search",
    "page",
    "per_page",
    "lang",
    "accept_language",
    "taxonomy_term_id",
    "taxonomy_id",
    "organization_id",
    "modified_after",
    "postcode",
)
TEXT_LIST = ("search", "page", "per_page", "lang", "accept_language")
ONE = ("id", "lang", "accept_language")


def _paths() -> dict[str, Schema]:
    root = {
        "type": "object",
        "properties": {
            "version": {"type": "string"},
            "profile": {"type": "string", "format": "uri"},
            "openapi_url": {"type": "string", "format": "uri"},
        },
        "required": ["version", "profile", "openapi_url"],
        "additionalProperties": False,
    }
    profile_index = {
        "type": "object",
        "properties": {
            "profile": {"type": "string", "format": "uri"},
            "hsds_version": {"type": "string"},
            "description": {"type": "string"},
            "patches": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "schema": {"type": "string"},
                        "url": {"type": "string", "format": "uri"},
                    },
                    "required": ["schema", "url"],
                    "additionalProperties": False,
                },
            },
        },
        "required": ["profile", "hsds_version", "description", "patches"],
        "additionalProperties": False,
    }
    patch = _operation(
        "A JSON Merge Patch (RFC 7386) of our profile against an HSDS schema.",
        {"type": "object"},
        errors=(404,),
        media_type="application/merge-patch+json",
    )
    patch["get"]["parameters"] = [
        {
            "name": "schema",
            "in": "path",
            "required": True,
            "schema": {"type": "string", "enum": list(profile.PATCHES)},
            "description": "The HSDS schema the patch applies to.",
        }
    ]
    return {
        "/": _operation("This API and its relation to HSDS.", root),
        "/services": _operation(
            "Active services, each with its organisation.",
            _ref("ServiceItemPage"),
            SERVICE_FILTERS,
            (400, 503),
        ),
        "/services/{id}": _operation(
            "A service with everything about it, whatever its status.",
            _ref("Service"),
            ONE,
            (400, 404),
        ),
        "/organizations": _operation(
            "Organisations.", _ref("OrganizationItemPage"), TEXT_LIST, (400,)
        ),
        "/organizations/{id}": _operation(
            "An organisation with its locations, contacts and services.",
            _ref("Organization"),
            ONE,
            (400, 404),
        ),
        "/service_at_locations": _operation(
            "Where the active services are offered.",
            _ref("ServiceAtLocationItemPage"),
            SERVICE_FILTERS,
            (400, 503),
        ),
        "/service_at_locations/{id}": _operation(
            "Where a service is offered, as its list gives it, whatever the service's status.",
            _ref("ServiceAtLocationItem"),
            ONE,
            (400, 404),
        ),
        "/taxonomies": _operation("Taxonomies.", _ref("TaxonomyPage"), TEXT_LIST, (400,)),
        "/taxonomies/{id}": _operation("A taxonomy.", _ref("Taxonomy"), ONE, (400, 404)),
        "/taxonomy_terms": _operation(
            "Terms of the taxonomies (our life domains and kinds of help).",
            _ref("TaxonomyTermPage"),
            TEXT_LIST,
            (400,),
        ),
        "/taxonomy_terms/{id}": _operation(
            "A term of a taxonomy.", _ref("TaxonomyTerm"), ONE, (400, 404)
        ),
        "/openapi.json": _operation("This document.", {"type": "object"}),
        "/profile/": _operation("Our HSDS profile and its patches.", profile_index),
        "/profile/{schema}.json": patch,
    }


def document(server_url: str) -> Schema:
    """The OpenAPI document, for the API served at `server_url`."""
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "Nabij: the social map of Brussels (HSDS read API)",
            "version": API_VERSION,
            "summary": f"Open Referral HSDS {HSDS_VERSION}, with our profile.",
            "description": (
                "Public, read-only help offered in Brussels: formal and informal services, "
                "their organisations, locations and kinds of help, in nine languages. "
                "Confidential addresses, relay persons and informal groups' join links are "
                "never published."
            ),
        },
        "servers": [{"url": server_url.rstrip("/")}],
        "paths": _paths(),
        "components": {"schemas": _schemas(), "parameters": _parameters()},
    }
