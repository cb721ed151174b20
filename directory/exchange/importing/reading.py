"""Reading a JSON file or a CSV data package into rows of HSDS tables, before any check.

A JSON document nests records (a service holds its phones, names its organization); each
nested record becomes a row of its own table, linked to its parent as the nesting says."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from directory.exchange import profile, tabular
from directory.exchange.importing.report import ImportFailed, ImportReport, Problem
from directory.exchange.tabular import TABLES_BY_NAME, TabularError

# A nested key of an HSDS document: the table of what it holds, and whether it is a list.
NESTED: dict[str, tuple[str, bool]] = {
    "phones": ("phone", True),
    "schedules": ("schedule", True),
    "service_areas": ("service_area", True),
    "service_at_locations": ("service_at_location", True),
    "languages": ("language", True),
    "funding": ("funding", True),
    "cost_options": ("cost_option", True),
    "programs": ("program", True),
    "required_documents": ("required_document", True),
    "contacts": ("contact", True),
    "attributes": ("attribute", True),
    "metadata": ("metadata", True),
    "locations": ("location", True),
    "organization_identifiers": ("organization_identifier", True),
    "services": ("service", True),
    "addresses": ("address", True),
    "accessibility": ("accessibility", True),
    "organization": ("organization", False),
    "program": ("program", False),
    "location": ("location", False),
    "service": ("service", False),
    "taxonomy_term": ("taxonomy_term", False),
    "taxonomy_detail": ("taxonomy", False),
}


@dataclass
class Row:
    """One record as read, before any check: its table, where it is, its raw values (and
    our profile's fields, in a JSON document)."""

    table: str
    where: str
    source: str  # the file it came from, for the provenance note
    values: dict[str, Any]
    extras: dict[str, Any] = field(default_factory=dict)
    nested: bool = False  # in a JSON document, where one record may appear several times


def read_rows(path: Path, report: ImportReport) -> list[Row]:
    """Every row of the file or package at `path` in a table we hold; the others are
    counted in the report."""
    if path.is_dir() or path.name == tabular.DESCRIPTOR:
        return _package_rows(path, report)
    if path.suffix.lower() != ".json":
        problem = "is neither a JSON file nor a CSV data package (datapackage.json)"
        raise ImportFailed([Problem(str(path), problem)])
    rows = _json_rows(path)
    for row in rows:
        if not TABLES_BY_NAME[row.table].held:
            report.skipped_tables[row.table] += 1
    return [row for row in rows if TABLES_BY_NAME[row.table].held]


def _package_rows(path: Path, report: ImportReport) -> list[Row]:
    try:
        files = tabular.read_package(path)
    except TabularError as error:
        raise ImportFailed([Problem(error.where, error.problem)]) from None
    rows = []
    for package_file in files:
        table = TABLES_BY_NAME.get(package_file.name)
        if table is None or not table.held:
            label = package_file.name if table else f"{package_file.name} (not an HSDS table)"
            if package_file.rows:
                report.skipped_tables[label] += len(package_file.rows)
            continue
        rows += [
            Row(table.name, f"{package_file.file} row {number}", package_file.file, values)
            for number, values in package_file.rows
        ]
    return rows


def _json_rows(path: Path) -> list[Row]:
    try:
        data = tabular.read_json(path)
    except TabularError as error:
        raise ImportFailed([Problem(error.where, error.problem)]) from None
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        data = data["contents"]  # a page of the HSDS API
    documents = data if isinstance(data, list) else [data]
    rows: list[Row] = []
    problems: list[Problem] = []
    for number, document in enumerate(documents, start=1):
        where = f"{path} record {number}"
        if not isinstance(document, dict):
            problems.append(Problem(where, "is not an HSDS service or organization object"))
            continue
        _flatten(document, _document_table(document), where, str(path), rows, problems)
    if problems:
        raise ImportFailed(problems)
    return rows


def _document_table(document: dict[str, Any]) -> str:
    """Which HSDS document this is: a service must have a status, a service at a location
    names both (and has no name); anything else is read as an organization."""
    if "status" in document:
        return "service"
    if "name" not in document and {"service", "service_id"} & document.keys():
        return "service_at_location"
    return "organization"


def _flatten(
    data: Any, table: str, where: str, source: str, rows: list[Row], problems: list[Problem]
) -> Row | None:
    """One row for this object and one for each object nested in it, each nested one
    linked to its parent the way HSDS's nesting says (a phone in a service is its phone)."""
    if not isinstance(data, dict):
        problems.append(Problem(where, f"must be an HSDS {table} object"))
        return None
    columns, extras = set(TABLES_BY_NAME[table].columns), set(profile.extra_properties(table))
    for key in sorted(data.keys() - columns - extras - set(NESTED)):
        problems.append(Problem(where, f"unknown field '{key}' (not an HSDS {table} field)"))
    row = Row(
        table,
        where,
        source,
        values={key: value for key, value in data.items() if key in columns},
        extras={key: value for key, value in data.items() if key in extras},
        nested=True,
    )
    rows.append(row)
    for key in sorted(data.keys() & set(NESTED)):
        child_table, is_list = NESTED[key]
        nested = data[key]
        if nested is None:
            continue
        if is_list != isinstance(nested, list):
            problems.append(
                Problem(f"{where}, {key}", "must be a list" if is_list else "an object")
            )
            continue
        for position, item in enumerate(nested if is_list else [nested]):
            inner = f"{where}, {key}[{position}]" if is_list else f"{where}, {key}"
            child = _flatten(item, child_table, inner, source, rows, problems)
            if child is not None:
                _link_nested(row, child, owns_child=is_list, problems=problems)
    return row


def _link_nested(parent: Row, child: Row, owns_child: bool, problems: list[Problem]) -> None:
    """A list nested in a record belongs to it (its rows name the record); an object nested
    in a record is what the record names (a service's organization)."""
    if owns_child:
        if child.table == "attribute":
            _fill(child, "link_id", parent.values.get("id"), problems)
            _fill(child, "link_entity", parent.table, problems)
            return
        holder, column, value = child, f"{parent.table}_id", parent.values.get("id")
    else:
        holder, column, value = parent, f"{child.table}_id", child.values.get("id")
    if column in TABLES_BY_NAME[holder.table].columns:
        _fill(holder, column, value, problems)


def _fill(row: Row, column: str, value: Any, problems: list[Problem]) -> None:
    given = row.values.get(column)
    if given in (None, ""):
        row.values[column] = value
    elif value is not None and str(given).lower() != str(value).lower():
        problems.append(Problem(row.where, f"{column} is {given}, but it is nested in {value}"))
