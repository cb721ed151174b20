"""Writing records: each created, or updated when its id exists, table by table, through the
normal session (so the search outbox records every service that changed); flushed, never
committed."""

from __future__ import annotations

import unicodedata
import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from directory.exchange.documents import REGION_NAME_FR, REGION_NAME_NL, REGION_NIS_CODE
from directory.exchange.importing.checking import Record, Records
from directory.exchange.importing.linking import language_code, our_taxonomies
from directory.exchange.importing.mapping import (
    ACCESSIBILITY,
    CONVERT,
    MODELS,
    ORDER,
    PARENTS,
    PLAIN,
    TEXTS,
)
from directory.exchange.importing.report import ImportFailed, ImportReport, Problem
from directory.exchange.tabular import TABLES_BY_NAME
from directory.feedback.operations import line_for
from directory.labels import FEATURE_LABELS
from directory.models import (
    Language,
    Location,
    Municipality,
    Neighbourhood,
    Organization,
    OrganizationKind,
    Postcode,
    Provenance,
    Service,
    ServiceArea,
    TaxonomyTerm,
    TaxonomyTermLabel,
)

# An imported organisation's kind until someone who knows it says more: neither public nor
# informal, so it claims no public mandate and asks for no relay.
IMPORTED_KIND = OrganizationKind.ASSOCIATION


def _folded(name: str | None) -> str:
    """A place name as people may write it: case, accents, hyphens and apostrophes aside."""
    if not name:
        return ""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace("-", " ").replace("'", " ").split())


# A service area named so means the whole region (as one naming no place does): our
# export's names for it, and the seed's.
REGION_NAMES = frozenset(
    _folded(name)
    for name in (
        REGION_NAME_FR,
        REGION_NAME_NL,
        f"{REGION_NAME_FR} / {REGION_NAME_NL}",
        "Brussels-Capital Region",
    )
)


class Writer:
    """Writes every record in ORDER, flushing table by table (a row's references exist
    before it), and counts what it created, updated and left unchanged. `_<table>` writes
    a table by hand; the others are stored column for column (`_plain`)."""

    def __init__(
        self, session: Session, records: Records, report: ImportReport, locale: str | None
    ) -> None:
        self.session, self.records, self.report, self.locale = session, records, report, locale
        self.states: dict[tuple[str, uuid.UUID], str] = {}
        self.ours = our_taxonomies(session)
        self.places = _place_names(session)

    def run(self) -> None:
        for name in ORDER:
            if name == "accessibility":
                self._accessibility()
            else:
                write = getattr(self, f"_{name}", self._plain)
                for record in self.records[name].values():
                    self.states[(name, record.id)] = write(record)
            self._flush(name)
            if name in ("organization", "taxonomy_term"):
                self._parents(name)
            if name == "address":
                self._municipalities()
        for (name, _), state in self.states.items():
            self.report.counts[name][state] += 1

    def _flush(self, name: str) -> None:
        try:
            self.session.flush()
        except IntegrityError as error:
            problem = f"the database refused these rows: {error.orig}"
            raise ImportFailed([Problem(TABLES_BY_NAME[name].path, problem)]) from None

    # Any row: stored column for column.

    def _plain(self, record: Record, **extra: Any) -> str:
        model = MODELS[record.table]
        values = {**self._values(record), **extra}
        instance = self.session.get(model, record.id)
        if instance is None:
            self.session.add(model(id=record.id, **values))
            return "created"
        return "updated" if _assign(instance, values) else "unchanged"

    def _values(self, record: Record) -> dict[str, Any]:
        return {
            attribute: _converted(column, record.values[column])
            for column, attribute in PLAIN[record.table].items()
            if column in record.values
        }

    # Listings: provenance, texts, defaults for what HSDS does not say.

    def _organization(self, record: Record) -> str:
        defaults = {"kind": IMPORTED_KIND, "line": line_for(IMPORTED_KIND)}
        return self._listing(record, Organization, defaults)

    def _service(self, record: Record) -> str:
        return self._listing(record, Service, {})

    def _listing(self, record: Record, model: type, defaults: dict[str, Any]) -> str:
        note = f"Imported from {record.source}"
        listing = self.session.get(model, record.id)
        created = listing is None
        if created:
            listing = model(
                id=record.id, provenance=Provenance.IMPORTED, provenance_note=note, **defaults
            )
            self.session.add(listing)
        changed = _assign(listing, self._values(record))
        locale = record.extras.get("text_language") or self.locale
        changed |= _put_text(listing.texts, TEXTS[record.table], locale, record)
        if created:
            return "created"
        if not changed:
            return "unchanged"
        listing.provenance, listing.provenance_note = Provenance.IMPORTED, note
        return "updated"

    def _parents(self, name: str) -> None:
        """Links within a table once every row exists: a parent (or an informal group's
        relay organisation) may come after the row naming it."""
        for record in self.records[name].values():
            links = {**record.values, **record.extras}
            columns = PARENTS[name] & links.keys()
            row = self.session.get(MODELS[name], record.id)
            if not columns or self._is_ours(row):
                continue
            changed = _assign(row, {column: links[column] for column in columns})
            if changed and self.states[(name, record.id)] == "unchanged":
                self.states[(name, record.id)] = "updated"
        self._flush(name)

    # Kinds of help: never ours; labels in the term's own language.

    def _is_ours(self, row: object) -> bool:
        return isinstance(row, TaxonomyTerm) and row.taxonomy_id in self.ours

    def _taxonomy(self, record: Record) -> str:
        return "unchanged" if record.id in self.ours else self._plain(record)

    def _taxonomy_term(self, record: Record) -> str:
        values = record.values
        term = self.session.get(TaxonomyTerm, record.id)
        if self._is_ours(term):
            return "unchanged"  # as `flask seed` loads it
        attributes = {
            **self._values(record),
            "taxonomy_id": values["taxonomy_id"],
            "code": values.get("code") or str(record.id),
        }
        created = term is None
        if created:
            term = TaxonomyTerm(id=record.id, **attributes)
            self.session.add(term)
        changed = _assign(term, attributes)
        locale = language_code(values.get("language")) or self.locale
        label = term.labels.get(locale)
        if label is None:
            label = term.labels[locale] = TaxonomyTermLabel(locale=locale, label=values["name"])
        changed |= _assign(label, {"label": values["name"], "description": values["description"]})
        return "created" if created else "updated" if changed else "unchanged"

    # Where: locations (confidential ones keep what an export leaves out), accessibility,
    # Brussels places from postcodes, service areas.

    def _location(self, record: Record) -> str:
        location = self.session.get(Location, record.id)
        values = self._values(record)
        if location is not None and location.is_confidential:
            values = {key: value for key, value in values.items() if value is not None}
        if record.extras.get("confidential"):
            values["is_confidential"] = True
        if (place := record.extras.get("brussels_place")) is not None:
            values.update(self._place_ids(place, record))
        if location is None:
            self.session.add(Location(id=record.id, **values))
            return "created"
        return "updated" if _assign(location, values) else "unchanged"

    def _place_ids(self, place: tuple[str, int | None], record: Record) -> dict[str, Any]:
        nis_code, number = place
        municipality = self.session.scalar(
            select(Municipality).where(Municipality.nis_code == nis_code)
        )
        neighbourhood = (
            self.session.scalar(select(Neighbourhood).where(Neighbourhood.number == number))
            if number is not None
            else None
        )
        if municipality is None and nis_code != REGION_NIS_CODE:
            self.report.notes.append(
                f"{record.where}: NIS code {nis_code} is no municipality we know"
            )
        return {
            "municipality_id": municipality.id if municipality else None,
            "neighbourhood_id": neighbourhood.id if neighbourhood else None,
        }

    def _accessibility(self) -> None:
        """A location's accessibility rows become its words and features: rows our export
        made from a feature set it again; any other row's words are kept together."""
        by_location: dict[uuid.UUID, list[Record]] = defaultdict(list)
        for record in self.records["accessibility"].values():
            by_location[record.values["location_id"]].append(record)
        for location_id, group in by_location.items():
            location = self.session.get(Location, location_id)
            before = tuple(getattr(location, name) for name in ACCESSIBILITY)
            words = []
            for record in group:
                feature = _exported_feature(location_id, record.id)
                if feature is not None:
                    setattr(location, feature, True)
                elif record.values.get("description"):
                    words.append(record.values["description"])
            if words:
                location.accessibility = "\n".join(words)
            after = tuple(getattr(location, name) for name in ACCESSIBILITY)
            state = "unchanged" if after == before else "updated" if any(before) else "created"
            for record in group:
                self.states[("accessibility", record.id)] = state

    def _municipalities(self) -> None:
        """An address with a Brussels postcode places its location in that postcode's
        municipality (a neighbourhood needs more than a postcode: it stays, unless it lies
        in another municipality). Our profile's place, when given, says more."""
        located = {
            record.values["location_id"]
            for record in self.records["address"].values()
            if "brussels_place" not in self._location_extras(record.values["location_id"])
        }
        for location_id in sorted(located):
            location = self.session.get(Location, location_id)
            self.session.expire(location, ["addresses"])
            address = location.address
            postcode = None
            if address is not None and address.country.upper() == "BE":
                postcode = self.session.scalar(
                    select(Postcode).where(Postcode.code == address.postal_code.strip())
                )
            municipality_id = postcode.municipality_id if postcode else None
            if location.municipality_id != municipality_id:
                location.municipality_id = municipality_id
                neighbourhood = location.neighbourhood
                if neighbourhood and neighbourhood.municipality_id != municipality_id:
                    location.neighbourhood_id = None
        self._flush("location")

    def _location_extras(self, location_id: uuid.UUID) -> dict[str, Any]:
        record = self.records["location"].get(location_id)
        return record.extras if record else {}

    def _service_area(self, record: Record) -> str:
        """A Brussels place from our profile, else from the area's name; an area naming no
        place we know reads as the whole region, and the report says so. An area already
        in that place keeps its own name (our export names it after the place)."""
        name = record.values.get("name")
        if (place := record.extras.get("brussels_place")) is not None:
            places = self._place_ids(place, record)
            if places["neighbourhood_id"] is not None:  # an area names one place
                places["municipality_id"] = None
        else:
            kind, place_id = self.places.get(_folded(name), (None, None))
            places = {
                "municipality_id": place_id if kind == "municipality" else None,
                "neighbourhood_id": place_id if kind == "neighbourhood" else None,
            }
            if kind is None and _folded(name) not in REGION_NAMES:
                self.report.notes.append(
                    f"{record.where}: the area '{name}' names no Brussels municipality or "
                    "neighbourhood we know: it reads as the whole region"
                )
        area = self.session.get(ServiceArea, record.id)
        if area is not None and places == {
            "municipality_id": area.municipality_id,
            "neighbourhood_id": area.neighbourhood_id,
        }:
            record.values.pop("name", None)
        return self._plain(record, **places)

    def _language(self, record: Record) -> str:
        service_id, code = record.values.get("service_id"), record.values["code"]
        if service_id is not None:
            self.session.flush()  # the languages written before this one count too
            other = self.session.scalar(
                select(Language.id).where(
                    Language.service_id == service_id,
                    Language.code == code,
                    Language.id != record.id,
                )
            )
            if other is not None:
                self.report.notes.append(
                    f"{record.where}: not kept: the service already has language '{code}'"
                )
                return "unchanged"
        return self._plain(record)

    def _schedule(self, record: Record) -> str:
        if record.values.get("freq") is None:
            record.values["freq"] = "WEEKLY"  # HSDS's own reading of a schedule without one
        return self._plain(record)


def _exported_feature(location_id: uuid.UUID, row_id: uuid.UUID) -> str | None:
    """The feature an accessibility row of our own export stands for (its id is made from
    the location and the feature, see `documents.accessibility_rows`), else None."""
    for feature in FEATURE_LABELS:
        if row_id == uuid.uuid5(location_id, f"accessibility:{feature}"):
            return feature
    return None


def _converted(column: str, value: Any) -> Any:
    convert = CONVERT.get(column)
    return convert(value) if convert is not None and value is not None else value


def _assign(row: object, values: dict[str, Any]) -> bool:
    """Set what differs; whether anything did."""
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def _put_text(texts: dict, model: type, locale: str, record: Record) -> bool:
    """The listing's name, description (and our profile's summary) in `locale`, as its
    original text. A text the listing already holds, in any language, is left as it is."""
    given = {key: record.values[key] for key in ("name", "description") if key in record.values}
    if "summary" in record.extras:
        given["summary"] = record.extras["summary"]
    if not given:
        return False
    for text in texts.values():
        if all(getattr(text, key) == value for key, value in given.items()):
            return False
    text = texts.get(locale)
    if text is None:
        text = texts[locale] = model(locale=locale, name=given.get("name", ""))
    # A machine's translation is never the original, unless there is nothing else.
    machine = bool(record.extras.get("text_machine_translated"))
    others = [other for other in texts.values() if other is not text]
    original = not machine or not any(other.is_original for other in others)
    _assign(text, {**given, "is_original": original, "is_machine_translated": machine})
    if original:
        for other in others:
            other.is_original = False
    return True


def _place_names(session: Session) -> dict[str, tuple[str, uuid.UUID]]:
    """Every name of a municipality or neighbourhood, folded, and what it names: the
    official ones, and those our export gives ("Marolles / Marollen (Bruxelles / Brussel)").
    A municipality's name wins over a neighbourhood's; a name two places of one kind share
    names neither."""
    names: dict[str, tuple[str, uuid.UUID] | None] = {}
    for kind, model in (("municipality", Municipality), ("neighbourhood", Neighbourhood)):
        taken = set(names)
        for place in session.scalars(select(model)):
            target = (kind, place.id)
            for name in _names_of(place):
                key = _folded(name)
                if key not in taken:
                    names[key] = target if names.get(key, target) == target else None
    return {key: value for key, value in names.items() if value is not None}


def _names_of(place: Municipality | Neighbourhood) -> set[str]:
    names = set()
    for locale in ("nl", "fr", ""):
        name = place.display_name(locale)
        names.add(name)
        if isinstance(place, Neighbourhood):
            names.add(f"{name} ({place.municipality.display_name(locale)})")
    return names
