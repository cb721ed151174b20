"""Linking records: every reference leads to a row of the package or of the database, or the
record does without it (see the package docstring for which may)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from pathlib import Path

from babel.core import get_global
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory import hours
from directory.exchange.importing.checking import Record, Records
from directory.exchange.importing.mapping import MODELS, ORDER, OWNERS
from directory.exchange.importing.report import ImportFailed, ImportReport, Problem
from directory.exchange.tabular import TABLES_BY_NAME
from directory.models import LanguageCode, SeedRecord, Taxonomy
from directory.seeding.loader import seed_id

# Taxonomies that imported terms name without describing get ids of their own from this.
TAXONOMY_NAMESPACE = uuid.UUID("3b0f2d8e-7c1a-4f4e-9a51-6d2c8e0b7f13")


class Linker:
    """Links every record in ORDER (so a record skipped here is gone before anything that
    names it is linked); raises ImportFailed listing every link that leads nowhere."""

    def __init__(self, session: Session, records: Records, report: ImportReport) -> None:
        self.session, self.records, self.report = session, records, report
        self.problems: list[Problem] = []
        self.stored = _stored_ids(session, records)
        self.ours = our_taxonomies(session)
        self.languages = set(session.scalars(select(LanguageCode.code)))

    def run(self) -> None:
        for name in ORDER:
            for record in list(self.records[name].values()):
                if (reason := self._cannot_hold(record)) is not None:
                    self._skip(record, reason)
                else:
                    self._link(record)
        if self.problems:
            raise ImportFailed(self.problems)

    def exists(self, table: str, identifier: uuid.UUID) -> bool:
        return identifier in self.records.get(table, {}) or identifier in self.stored[table]

    def _skip(self, record: Record, reason: str) -> None:
        del self.records[record.table][record.id]
        self.report.notes.append(f"{record.where}: not kept: {reason}")

    def _cannot_hold(self, record: Record) -> str | None:
        values = record.values
        if record.table == "schedule":
            return self._schedule_we_cannot_say(record)
        if record.table == "language":
            code = language_code(values.get("code"))
            if code not in self.languages:
                return f"language '{values.get('code')}' is not among the languages we list"
            values["code"] = code
        if record.table == "attribute" and values.get("link_entity") != "service":
            return f"it tags a '{values.get('link_entity')}'; we keep the kinds of help of services"
        return None

    def _schedule_we_cannot_say(self, record: Record) -> str | None:
        byday = record.values.get("byday")
        if byday is None:
            return "it names no weekday (byday), which our opening hours need"
        try:
            hours.parse_byday(byday)
        except hours.InvalidByDay as error:
            self.problems.append(
                Problem(record.where, f"byday '{error}' is not a weekday (MO, 1MO, -1FR)")
            )
            return None
        opens, closes = record.values.get("opens_at"), record.values.get("closes_at")
        if opens is not None and closes is not None and opens >= closes:
            return "it closes at or before it opens (overnight), which our opening hours cannot say"
        return None

    def _link(self, record: Record) -> None:
        if record.table == "taxonomy_term":
            self._taxonomy_of(record)
        if record.table == "attribute" and not self.exists("service", record.values["link_id"]):
            self._nowhere(record, "link_id")
            return
        broken = [
            f.name
            for f in TABLES_BY_NAME[record.table].references
            if f.held
            and f.name != "taxonomy_id"
            and record.values.get(f.name) is not None
            and not self.exists(f.references, record.values[f.name])
        ]
        if any(TABLES_BY_NAME[record.table].field(name).required for name in broken):
            self._nowhere(record, *broken)
            return
        left_out = {name: record.values.pop(name) for name in broken}
        relay = record.extras.get("relay_organization_id")
        if relay is not None and not self.exists("organization", relay):
            left_out["relay_organization_id"] = record.extras.pop("relay_organization_id")
        owners = OWNERS.get(record.table, ())
        if owners and not any(record.values.get(owner) for owner in owners):
            if left_out:
                record.values.update(left_out)
                self._nowhere(record, *left_out)
            else:
                self._skip(record, f"it belongs to nothing (no {' or '.join(owners)})")
            return
        for column, value in left_out.items():
            self.report.notes.append(
                f"{record.where}: {column} {value} is neither in the package nor in the "
                f"database: the {record.table} is kept without it"
            )

    def _nowhere(self, record: Record, *columns: str) -> None:
        for column in columns:
            value = record.values.get(column)
            self.problems.append(
                Problem(
                    record.where, f"{column} {value} is neither in the package nor in the database"
                )
            )

    def _taxonomy_of(self, record: Record) -> None:
        """A term belongs to a taxonomy: the one it names, made from its `taxonomy` name when
        nothing describes it. Our own taxonomies take no new terms."""
        values = record.values
        name = values.get("taxonomy") or f"Terms imported from {Path(record.source).name}"
        taxonomy_id = values.get("taxonomy_id") or uuid.uuid5(TAXONOMY_NAMESPACE, name)
        values["taxonomy_id"] = taxonomy_id
        if taxonomy_id in self.ours and record.id not in self.stored["taxonomy_term"]:
            self.problems.append(
                Problem(
                    record.where,
                    f"taxonomy {taxonomy_id} is Nabij's own (seeds/taxonomy.toml): "
                    "an import adds no terms to it",
                )
            )
        if self.exists("taxonomy", taxonomy_id) or self.session.get(Taxonomy, taxonomy_id):
            return
        self.records["taxonomy"][taxonomy_id] = Record(
            "taxonomy",
            taxonomy_id,
            record.where,
            record.source,
            {
                "id": taxonomy_id,
                "name": name,
                "description": f"Named by terms imported from {Path(record.source).name}.",
            },
        )
        self.report.notes.append(
            f"{record.where}: taxonomy {taxonomy_id} is not described in the package: "
            f"made from the term's taxonomy name '{name}'"
        )


def _stored_ids(session: Session, records: Records) -> dict[str, set[uuid.UUID]]:
    """The ids of the database that the package's records and references name."""
    wanted: dict[str, set[uuid.UUID]] = defaultdict(set)
    for name, table_records in records.items():
        wanted[name] |= set(table_records)
        for record in table_records.values():
            for hsds_field in TABLES_BY_NAME[name].references:
                if (value := record.values.get(hsds_field.name)) is not None:
                    wanted[hsds_field.references].add(value)
            if name == "attribute" and record.values.get("link_id"):
                wanted["service"].add(record.values["link_id"])
            if relay := record.extras.get("relay_organization_id"):
                wanted["organization"].add(relay)
    stored: dict[str, set[uuid.UUID]] = defaultdict(set)
    for name, ids in wanted.items():
        model = MODELS.get(name)
        if model is None:
            continue
        ordered = sorted(ids)
        for start in range(0, len(ordered), 500):
            chunk = ordered[start : start + 500]
            stored[name] |= set(session.scalars(select(model.id).where(model.id.in_(chunk))))
    return stored


def our_taxonomies(session: Session) -> set[uuid.UUID]:
    """The taxonomies `flask seed` loads: ours, which an import never changes."""
    keys = session.scalars(select(SeedRecord.key).where(SeedRecord.kind == "taxonomy"))
    return {seed_id("taxonomy", key) for key in keys}


def language_code(code: str | None) -> str | None:
    """An ISO 639 code in the form our list uses: "eng" and "en" are both English."""
    if code is None:
        return None
    code = code.strip()
    return get_global("language_aliases").get(code.lower(), code)
