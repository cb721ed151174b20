"""Checking rows: every value against its HSDS field and against what our columns can keep;
the records keyed by id (a record nested twice in JSON documents merged)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import String

from directory.exchange import tabular
from directory.exchange.importing.mapping import MODELS, ORDER, PLAIN, TEXTS, WHOLE_NUMBERS
from directory.exchange.importing.reading import Row
from directory.exchange.importing.report import ImportFailed, ImportReport, Problem
from directory.exchange.tabular import TABLES_BY_NAME
from directory.i18n import SUPPORTED_LOCALES
from directory.models import ServiceText, TaxonomyTermLabel


@dataclass
class Record:
    """One checked record: its id, parsed values (only the columns given), our profile's
    fields and where it came from."""

    table: str
    id: uuid.UUID
    where: str
    source: str
    values: dict[str, Any]
    extras: dict[str, Any] = field(default_factory=dict)
    nested: bool = False


Records = dict[str, dict[uuid.UUID, Record]]


def check_rows(rows: Iterable[Row], report: ImportReport, locale: str | None) -> Records:
    """Every row checked and keyed by id (a record nested twice in JSON documents merged);
    raises ImportFailed listing every problem found."""
    records: Records = {name: {} for name in ORDER}
    problems: list[Problem] = []
    for row in rows:
        record = _check_row(row, report, problems)
        if record is None:
            continue
        known = records[row.table].get(record.id)
        if known is None:
            records[row.table][record.id] = record
        elif known.nested and record.nested:
            _merge(known, record, problems)
        else:
            problems.append(Problem(row.where, f"id {record.id} is already used by {known.where}"))
    for table_records in records.values():
        for record in table_records.values():
            _check_required(record, problems)
            if not locale and not _says_its_language(record):
                problems.append(
                    Problem(record.where, "the language of its texts is not said: give --language")
                )
    _check_unique_codes(records["taxonomy_term"], problems)
    if problems:
        raise ImportFailed(problems)
    return records


def _says_its_language(record: Record) -> bool:
    """Whether a record with texts says their language (our profile's text_language; a
    term's own language); records without texts need not."""
    if record.table in TEXTS:
        return bool(record.extras.get("text_language"))
    if record.table == "taxonomy_term":
        return bool(record.values.get("language"))
    return True


def _check_row(row: Row, report: ImportReport, problems: list[Problem]) -> Record | None:
    table = TABLES_BY_NAME[row.table]
    values: dict[str, Any] = {}
    for column, raw in row.values.items():
        hsds_field = table.field(column)
        try:
            value = hsds_field.parse(raw)
        except ValueError as error:
            problems.append(Problem(row.where, f"{column} {error}"))
            continue
        if not hsds_field.held and column != "id":
            if value is not None:
                report.skipped_fields[f"{table.name}.{column}"] += 1
            continue
        if (problem := _does_not_fit(row.table, column, value)) is not None:
            if hsds_field.required:
                problems.append(Problem(row.where, f"{column} {problem}"))
            else:
                report.notes.append(f"{row.where}: {column} not kept: it {problem}")
            continue
        values[column] = value
    extras = {}
    for key, raw in row.extras.items():
        try:
            extras[key] = _profile_value(key, raw)
        except ValueError as error:
            problems.append(Problem(row.where, f"{key} {error}"))
    identifier = values.get("id")
    if identifier is None:
        if "id" not in row.values:
            problems.append(Problem(row.where, "id is missing (HSDS requires it)"))
        return None
    return Record(row.table, identifier, row.where, row.source, values, extras, row.nested)


def _does_not_fit(table: str, column: str, value: Any) -> str | None:
    """Why our columns cannot keep `value` as it is, if they cannot."""
    if value is None:
        return None
    if column in WHOLE_NUMBERS and not float(value).is_integer():
        return f"'{value}' is not a whole number (we keep it as one)"
    limit = _length_limit(table, column)
    if limit is not None and isinstance(value, str) and len(value) > limit:
        return f"is {len(value)} characters long; we keep at most {limit}"
    return None


def _length_limit(table: str, column: str) -> int | None:
    if table in TEXTS and column in ("name", "description"):
        model, attribute = TEXTS[table], column
    elif table == "taxonomy_term" and column in ("name", "description"):
        model, attribute = TaxonomyTermLabel, "label" if column == "name" else "description"
    elif column in PLAIN.get(table, {}):
        model, attribute = MODELS[table], PLAIN[table][column]
    else:
        return None
    column_type = model.__table__.c[attribute].type
    return column_type.length if isinstance(column_type, String) else None


def _profile_value(key: str, raw: Any) -> Any:
    """One of our profile's fields (`exchange.profile`), checked; those that only describe
    (the original's language, the languages a text exists in, the time zone's name) are
    read and left."""
    if key == "text_language":
        if raw not in SUPPORTED_LOCALES:
            raise ValueError(
                f"'{raw}' is not one of our languages ({', '.join(SUPPORTED_LOCALES)})"
            )
        return raw
    if key in ("text_machine_translated", "confidential"):
        if not isinstance(raw, bool):
            raise ValueError("must be true or false")
        return raw
    if key == "summary":
        limit = ServiceText.__table__.c.summary.type.length
        if not isinstance(raw, str) or len(raw) > limit:
            raise ValueError(f"must be a text of at most {limit} characters")
        return raw
    if key == "relay_organization_id":
        return tabular.Field(key, format="uuid").parse(raw)
    if key == "brussels_place":
        if not isinstance(raw, dict) or not isinstance(raw.get("nis_code"), str):
            raise ValueError("must be an object with a nis_code")
        number = (raw.get("neighbourhood") or {}).get("number")
        if number is not None and not isinstance(number, int):
            raise ValueError("neighbourhood number must be a whole number")
        return (raw["nis_code"], number)
    return None


def _merge(known: Record, record: Record, problems: list[Problem]) -> None:
    """The same record nested twice (an organization in each of its services): the copies
    must agree; together they give every field either gives."""
    for mine, theirs in ((known.values, record.values), (known.extras, record.extras)):
        for column, value in theirs.items():
            if mine.get(column) is None:
                mine[column] = value
            elif value is not None and mine[column] != value:
                problems.append(
                    Problem(record.where, f"{column} differs from the same record at {known.where}")
                )


def _check_required(record: Record, problems: list[Problem]) -> None:
    for hsds_field in TABLES_BY_NAME[record.table].fields:
        if hsds_field.required and record.values.get(hsds_field.name) is None:
            problems.append(
                Problem(record.where, f"{hsds_field.name} is missing (HSDS requires it)")
            )


def _check_unique_codes(terms: dict[uuid.UUID, Record], problems: list[Problem]) -> None:
    seen: dict[str, Record] = {}
    for record in terms.values():
        code = record.values.get("code")
        if code is None:
            continue
        if code in seen:
            problems.append(Problem(record.where, f"code '{code}' is also {seen[code].where}'s"))
        seen[code] = record
