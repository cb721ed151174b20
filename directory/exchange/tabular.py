"""The HSDS 3.0 tabular form as we exchange it: every table, its CSV file and its fields.

Our own definition, written from the standard (the app never reads the official files; a test
compares this with the official `datapackage.json`, so the two cannot drift apart). Every HSDS
table is here, so an export names all of them (header-only where we have nothing) and an
import recognises all of them. `held` says what our model keeps: the import stores held
fields and reports the rest as skipped, and the round-trip test compares exactly those.
"""

from __future__ import annotations

import csv
import json
import math
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from directory.forms import is_email

HSDS_VERSION = "3.0.0"
DESCRIPTOR = "datapackage.json"

UUID_TEXT = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TIME_TEXT = re.compile(r"^\d{2}:\d{2}(:\d{2})?$")
URI_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*$", re.I)


class TabularError(Exception):
    """A file of a data package that cannot be read as HSDS: where, and what is wrong."""

    def __init__(self, where: str, problem: str) -> None:
        self.where, self.problem = where, problem
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class Field:
    """One column: its Frictionless type, format and constraints, and whether we keep it."""

    name: str
    type: str = "string"  # string, number, date, time or datetime
    format: str | None = None  # uuid, uri or email
    required: bool = False
    unique: bool = False
    enum: tuple[str, ...] = ()
    references: str | None = None  # the table whose id this column names (a foreign key)
    held: bool = True

    def descriptor(self) -> dict[str, Any]:
        described: dict[str, Any] = {"name": self.name, "type": self.type}
        if self.format:
            described["format"] = self.format
        constraints: dict[str, Any] = {"required": self.required, "unique": self.unique}
        if self.enum:
            constraints["enum"] = list(self.enum)
        described["constraints"] = constraints
        return described

    def parse(self, raw: Any) -> Any:
        """A CSV cell's text or a JSON value, checked against this field: a UUID, a date, a
        time, a datetime, a float or a string (as given: spaces are part of a text); None
        when empty. Raises ValueError saying what is wrong."""
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if self.required:
                raise ValueError("is required")
            return None
        if isinstance(raw, bool | dict | list):
            raise ValueError(f"must be a {self.type}, not {type(raw).__name__}")
        text = raw.strip() if isinstance(raw, str) else str(raw)
        if self.type == "number":
            return _number(raw)
        if self.type == "date":
            return _date(text)
        if self.type == "time":
            if not TIME_TEXT.match(text):
                raise ValueError(f"'{text}' is not a time (HH:MM:SS)")
            return _checked(time.fromisoformat, text, "a time (HH:MM:SS)")
        if self.type == "datetime":
            return _checked(datetime.fromisoformat, text, "a date and time (ISO 8601)")
        value = raw if isinstance(raw, str) else text
        if self.format == "uuid":
            if not UUID_TEXT.match(text):
                raise ValueError(f"'{text}' is not a UUID")
            return uuid.UUID(text)
        if self.format == "email" and not is_email(text):
            raise ValueError(f"'{text}' is not an email address")
        if self.format == "uri" and not _is_uri(text):
            raise ValueError(f"'{text}' is not a URI with a scheme (https://...)")
        if self.enum and value not in self.enum:
            raise ValueError(f"'{value}' is not one of {', '.join(self.enum)}")
        return value


def _number(raw: Any) -> float:
    try:
        number = float(raw)
    except ValueError:
        raise ValueError(f"'{raw}' is not a number") from None
    if not math.isfinite(number):
        raise ValueError(f"'{raw}' is not a number")
    return number


def _date(text: str) -> date:
    if not DATE_TEXT.match(text):
        raise ValueError(f"'{text}' is not a date (YYYY-MM-DD)")
    return _checked(date.fromisoformat, text, "a date (YYYY-MM-DD)")


def _checked(parse, text: str, what: str) -> Any:
    try:
        return parse(text)
    except ValueError:
        raise ValueError(f"'{text}' is not {what}") from None


def _is_uri(text: str) -> bool:
    parts = urlsplit(text)
    return (
        bool(URI_SCHEME.match(parts.scheme))
        and bool(parts.netloc or parts.path)
        and (not any(c.isspace() for c in text))
    )


@dataclass(frozen=True)
class Table:
    name: str
    path: str
    description: str
    fields: tuple[Field, ...]
    held: bool = True
    # A foreign key HSDS leaves undeclared (it names a row of its own table, or of any
    # table): checked on import like the others, absent from the descriptor like HSDS has it.
    undeclared: frozenset[str] = frozenset()

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(field.name for field in self.fields)

    def field(self, name: str) -> Field:
        for field in self.fields:
            if field.name == name:
                return field
        raise KeyError(f"{self.name} has no field {name}")

    @property
    def references(self) -> tuple[Field, ...]:
        return tuple(field for field in self.fields if field.references)

    def descriptor(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "fields": [field.descriptor() for field in self.fields],
            "primaryKey": "id",
        }
        foreign_keys = [
            {"fields": field.name, "reference": {"resource": field.references, "fields": "id"}}
            for field in self.references
            if field.name not in self.undeclared
        ]
        if foreign_keys:
            schema["foreignKeys"] = foreign_keys
        return {
            "name": self.name,
            "path": self.path,
            "description": self.description,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "profile": "tabular-data-resource",
            "schema": schema,
        }


def _id() -> Field:
    return Field("id", format="uuid", required=True, unique=True)


def _ref(name: str, table: str, required: bool = False, unique: bool = False) -> Field:
    return Field(name, format="uuid", required=required, unique=unique, references=table)


def _text(name: str, required: bool = False, held: bool = True, **more: Any) -> Field:
    return Field(name, required=required, held=held, **more)


LOCATION_TYPES = ("physical", "postal", "virtual")
SERVICE_STATUSES = ("active", "inactive", "defunct", "temporarily closed")
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

TABLES: tuple[Table, ...] = (
    Table(
        "organization",
        "organizations.csv",
        "Organisations, formal and informal, that offer help.",
        (
            _id(),
            _text("name", required=True),
            _text("alternate_name"),
            _text("description", required=True),
            Field("email", format="email"),
            Field("website", format="uri"),
            _text("tax_status", held=False),
            _text("tax_id", held=False),
            Field("year_incorporated", type="number", held=False),
            _text("legal_status"),
            _text("logo", held=False),
            Field("uri", format="uri"),
            _ref("parent_organization_id", "organization"),
        ),
        undeclared=frozenset({"parent_organization_id"}),
    ),
    Table(
        "program",
        "programs.csv",
        "Programmes grouping services (not kept by Nabij).",
        (
            _id(),
            _ref("organization_id", "organization", required=True, unique=True),
            _text("name", required=True),
            _text("alternate_name"),
            _text("description", required=True),
        ),
        held=False,
    ),
    Table(
        "service",
        "services.csv",
        "What an organisation offers people.",
        (
            _id(),
            _ref("organization_id", "organization", required=True),
            Field("program_id", format="uuid", references="program", held=False),
            _text("name", required=True),
            _text("alternate_name", held=False),
            _text("description"),
            Field("url", format="uri"),
            Field("email", format="email"),
            _text("status", required=True, enum=SERVICE_STATUSES),
            _text("interpretation_services"),
            _text("application_process"),
            _text("fees_description"),
            _text("wait_time", held=False),
            _text("fees", held=False),
            _text("accreditations", held=False),
            _text("eligibility_description"),
            Field("minimum_age", type="number"),
            Field("maximum_age", type="number"),
            Field("assured_date", type="date"),
            # Our assurer is a name (who checked), not an email address.
            Field("assurer_email", format="email", held=False),
            _text("licenses", held=False),
            _text("alert", held=False),
            # Ours says when our record last changed (what the API's modified_after asks).
            Field("last_modified", type="datetime", held=False),
        ),
    ),
    Table(
        "attribute",
        "attributes.csv",
        "Links between a record and a taxonomy term (a service and its kinds of help).",
        (
            _id(),
            Field("link_id", format="uuid", required=True),
            _ref("taxonomy_term_id", "taxonomy_term", required=True),
            _text("link_type"),
            _text("link_entity", required=True),
            _text("value"),
        ),
    ),
    Table(
        "service_at_location",
        "service_at_location.csv",
        "Which service is offered at which location.",
        (
            _id(),
            _ref("service_id", "service", required=True),
            _ref("location_id", "location", required=True),
            _text("description"),
        ),
    ),
    Table(
        "location",
        "locations.csv",
        "Places people go to; a confidential one says only how to reach it.",
        (
            _id(),
            _text("location_type", required=True, enum=LOCATION_TYPES),
            Field("url", format="uri"),
            _ref("organization_id", "organization"),
            _text("name"),
            _text("alternate_name"),
            _text("description"),
            _text("transportation"),
            Field("latitude", type="number"),
            Field("longitude", type="number"),
            _text("external_identifier"),
            _text("external_identifier_type"),
        ),
    ),
    Table(
        "phone",
        "phones.csv",
        "Phone numbers of organisations, services, locations and contacts.",
        (
            _id(),
            _ref("location_id", "location"),
            _ref("service_id", "service"),
            _ref("organization_id", "organization"),
            _ref("contact_id", "contact"),
            _ref("service_at_location_id", "service_at_location"),
            _text("number", required=True),
            Field("extension", type="number"),
            _text("type"),
            _text("description"),
        ),
    ),
    Table(
        "contact",
        "contacts.csv",
        "People or desks to contact (never a relay person's own details).",
        (
            _id(),
            _ref("organization_id", "organization"),
            _ref("service_id", "service"),
            _ref("service_at_location_id", "service_at_location"),
            _ref("location_id", "location"),
            _text("name"),
            _text("title"),
            _text("department"),
            Field("email", format="email"),
        ),
    ),
    Table(
        "address",
        "addresses.csv",
        "Street and postal addresses of locations (none for a confidential location).",
        (
            _id(),
            _ref("location_id", "location"),
            _text("attention"),
            _text("address_1", required=True),
            _text("address_2"),
            _text("city", required=True),
            _text("region"),
            _text("state_province", required=True),
            _text("postal_code", required=True),
            _text("country", required=True),
            _text("address_type", required=True, enum=LOCATION_TYPES),
        ),
    ),
    Table(
        "schedule",
        "schedules.csv",
        "Opening hours, as iCalendar recurrences.",
        (
            _id(),
            _ref("service_id", "service"),
            _ref("location_id", "location"),
            _ref("service_at_location_id", "service_at_location"),
            Field("valid_from", type="date"),
            Field("valid_to", type="date"),
            Field("dtstart", type="date"),
            Field("timezone", type="number", held=False),
            Field("until", type="date"),
            Field("count", type="number", held=False),
            _text("wkst", enum=WEEKDAYS),
            _text("freq", enum=("WEEKLY", "MONTHLY")),
            Field("interval", type="number"),
            _text("byday"),
            _text("byweekno", held=False),
            _text("bymonthday", held=False),
            _text("byyearday", held=False),
            _text("description"),
            Field("opens_at", type="time"),
            Field("closes_at", type="time"),
            Field("schedule_link", format="uri"),
            _text("attending_type"),
            _text("notes"),
        ),
    ),
    Table(
        "funding",
        "funding.csv",
        "Sources of funding (not kept by Nabij).",
        (
            _id(),
            _ref("organization_id", "organization"),
            _ref("service_id", "service"),
            _text("source"),
        ),
        held=False,
    ),
    Table(
        "service_area",
        "service_areas.csv",
        "Where a service's people come from, in Brussels places.",
        (
            _id(),
            _ref("service_id", "service"),
            _text("name"),
            _text("description"),
            _text("extent"),
            _text("extent_type"),
            _text("uri"),
        ),
    ),
    Table(
        "required_document",
        "required_documents.csv",
        "Documents people must bring (not kept by Nabij).",
        (
            _id(),
            _ref("service_id", "service"),
            _text("document"),
            Field("uri", format="uri"),
        ),
        held=False,
    ),
    Table(
        "language",
        "languages.csv",
        "Languages a service, location or phone line is offered in.",
        (
            _id(),
            _ref("service_id", "service"),
            _ref("location_id", "location"),
            _ref("phone_id", "phone"),
            _text("name"),
            _text("code"),
            _text("note"),
        ),
    ),
    Table(
        "accessibility",
        "accessibility.csv",
        "How accessible a location is.",
        (
            # A location holds its accessibility in words and four features (step-free,
            # lift, accessible toilet, hearing loop); the rows' ids are made from it.
            Field("id", format="uuid", required=True, unique=True, held=False),
            _ref("location_id", "location"),
            _text("description"),
            _text("details", held=False),
            Field("url", format="uri", held=False),
        ),
    ),
    Table(
        "taxonomy_term",
        "taxonomy_terms.csv",
        "Terms of the taxonomies: our life domains and kinds of help, and imported ones.",
        (
            _id(),
            _text("code", unique=True),
            _text("name", required=True),
            _text("description", required=True),
            _ref("parent_id", "taxonomy_term"),
            _text("taxonomy"),
            _text("language"),
            _ref("taxonomy_id", "taxonomy"),
            Field("term_uri", format="uri"),
        ),
        undeclared=frozenset({"parent_id"}),
    ),
    Table(
        "metadata",
        "metadata.csv",
        "Change history (not exchanged: ours is per listing, behind sign-in).",
        (
            _id(),
            Field("resource_id", format="uuid", required=True),
            _text("resource_type", required=True),
            Field("last_action_date", type="date", required=True),
            _text("last_action_type", required=True),
            _text("field_name", required=True),
            _text("previous_value", required=True),
            _text("replacement_value", required=True),
            _text("updated_by", required=True),
        ),
        held=False,
    ),
    Table(
        "meta_table_description",
        "meta_table_descriptions.csv",
        "Descriptions of the tables themselves (not kept by Nabij).",
        (_id(), _text("name"), _text("language"), _text("character_set")),
        held=False,
    ),
    Table(
        "cost_option",
        "cost_options.csv",
        "Prices (not kept by Nabij: a service says whether it is free, and its fees in words).",
        (
            _id(),
            _ref("service_id", "service", required=True),
            Field("valid_from", type="date"),
            Field("valid_to", type="date"),
            _text("option"),
            _text("currency"),
            Field("amount", type="number"),
            _text("amount_description"),
        ),
        held=False,
    ),
    Table(
        "organization_identifier",
        "organization_identifiers.csv",
        "An organisation's ids elsewhere: the KBO/BCE number, ids in other social maps.",
        (
            _id(),
            _ref("organization_id", "organization", required=True),
            _text("identifier_scheme"),
            _text("identifier_type", required=True),
            _text("identifier", required=True),
        ),
    ),
    Table(
        "taxonomy",
        "taxonomies.csv",
        "The taxonomies the terms belong to.",
        (
            _id(),
            _text("name", required=True),
            _text("description", required=True),
            Field("uri", format="uri"),
            _text("version"),
        ),
    ),
)

TABLES_BY_NAME: dict[str, Table] = {table.name: table for table in TABLES}


def descriptor() -> dict[str, Any]:
    """Our datapackage.json: every HSDS table, in the standard's order."""
    return {
        "name": "nabij-hsds",
        "title": "Nabij, the social map of Brussels, in HSDS 3.0",
        "profile": "tabular-data-package",
        "version": HSDS_VERSION,
        "resources": [table.descriptor() for table in TABLES],
    }


def csv_cell(value: Any) -> str:
    """A value as HSDS writes it in a CSV cell (empty for nothing)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def write_table(directory: Path, table: Table, rows: Iterable[Mapping[str, Any]]) -> int:
    """Write one table's CSV file with the standard's header (and nothing else when there
    are no rows); fields a row lacks stay empty. Returns the number of rows written."""
    count = 0
    with (directory / table.path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(table.columns)
        for row in rows:
            writer.writerow([csv_cell(row.get(column)) for column in table.columns])
            count += 1
    return count


def write_descriptor(directory: Path) -> None:
    (directory / DESCRIPTOR).write_text(
        json.dumps(descriptor(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


@dataclass(frozen=True)
class PackageFile:
    """One resource of a data package as read: its name, its file and its rows, each with
    its row number (the header is row 1, as Frictionless counts)."""

    name: str
    file: str
    rows: list[tuple[int, dict[str, str]]]


def read_package(path: Path) -> list[PackageFile]:
    """Read a CSV data package (its directory, or its datapackage.json): every resource the
    descriptor names, in its order. Raises TabularError for a descriptor or a file that is
    not what HSDS says, naming the file, the row and the problem."""
    descriptor_path = path / DESCRIPTOR if path.is_dir() else path
    data = read_json(descriptor_path)
    resources = data.get("resources") if isinstance(data, dict) else None
    if not isinstance(resources, list):
        raise TabularError(str(descriptor_path), "has no list of resources")
    files, seen = [], set()
    for position, resource in enumerate(resources, start=1):
        where = f"{descriptor_path} resource {position}"
        if not isinstance(resource, dict) or not isinstance(resource.get("name"), str):
            raise TabularError(where, "is not a resource with a name")
        name = resource["name"]
        if name in seen:
            raise TabularError(where, f"names the resource '{name}' a second time")
        seen.add(name)
        file = descriptor_path.parent / _relative_path(where, resource.get("path"))
        files.append(PackageFile(name, str(file), _read_csv(file, TABLES_BY_NAME.get(name))))
    return files


def read_json(path: Path) -> Any:
    """A JSON file, or a TabularError saying why it cannot be read."""
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as error:
        raise TabularError(str(path), f"cannot be read ({error.strerror})") from None
    except UnicodeDecodeError:
        raise TabularError(str(path), "is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise TabularError(f"{path} line {error.lineno}", f"is not JSON: {error.msg}") from None


def _relative_path(where: str, path: Any) -> PurePosixPath:
    """A resource's file, which must lie inside the package: a descriptor may not make us
    read any other file of the machine, nor fetch one from the network."""
    if not isinstance(path, str) or not path:
        raise TabularError(where, "has no path (one CSV file)")
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts or ":" in path or "\\" in path:
        raise TabularError(where, f"path '{path}' is not a file inside the package")
    return relative


def _read_csv(path: Path, table: Table | None) -> list[tuple[int, dict[str, str]]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, strict=True)
            try:
                return _csv_rows(str(path), reader, table)
            except csv.Error as error:
                raise TabularError(
                    f"{path} row {reader.line_num}", f"is not CSV: {error}"
                ) from None
    except OSError as error:
        raise TabularError(str(path), f"cannot be read ({error.strerror})") from None
    except UnicodeDecodeError:
        raise TabularError(str(path), "is not UTF-8 text") from None


def _csv_rows(file: str, reader, table: Table | None) -> list[tuple[int, dict[str, str]]]:
    header = next(reader, None)
    if not header:
        raise TabularError(f"{file} row 1", "has no header")
    _check_header(f"{file} row 1", header, table)
    rows = []
    for number, cells in enumerate(reader, start=2):
        if not cells:
            continue
        if len(cells) != len(header):
            raise TabularError(
                f"{file} row {number}", f"has {len(cells)} cells; the header names {len(header)}"
            )
        rows.append((number, dict(zip(header, cells, strict=True))))
    return rows


def _check_header(where: str, header: list[str], table: Table | None) -> None:
    if len(set(header)) != len(header):
        raise TabularError(where, "names a column twice")
    if table is None:
        return
    for column in header:
        if column not in table.columns:
            raise TabularError(where, f"unknown column '{column}' (not an HSDS {table.name} field)")
    for field in table.fields:
        if field.required and field.name not in header:
            raise TabularError(where, f"column '{field.name}' is missing (HSDS requires it)")
