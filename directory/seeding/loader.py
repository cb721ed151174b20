"""Writing the checked seed records into the database, idempotently.

Each record has a stable id (derived from its key) and a digest of its content, kept in
`seed_record`. A record whose digest is unchanged is skipped, so a second load changes
nothing. A listing that an organisation or coordinator has taken over is never overwritten.
Everything happens in the caller's transaction: the caller commits or rolls back.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.models import (
    Language,
    LanguageCode,
    LocalName,
    Municipality,
    Neighbourhood,
    Organization,
    OrganizationText,
    Postcode,
    Provenance,
    SeedRecord,
    Service,
    ServiceArea,
    ServiceText,
    Taxonomy,
    TaxonomyTerm,
    TaxonomyTermLabel,
)
from directory.models.taxonomy import KINDS_OF_HELP
from directory.seeding.records import (
    OrganizationRecord,
    Seeds,
    ServiceRecord,
    TextRecord,
    read_seeds,
)

M = TypeVar("M")

SEED_NAMESPACE = uuid.UUID("6f1c9a51-4d3e-4b8a-9e0f-2b7c1d5a3e90")
TAXONOMY_NAME = KINDS_OF_HELP


def seed_id(kind: str, key: object) -> uuid.UUID:
    """The stable id of a seed record: the same on every machine and every load."""
    return uuid.uuid5(SEED_NAMESPACE, f"{kind}:{key}")


@dataclass
class LoadReport:
    written: dict[str, int] = field(default_factory=dict)
    unchanged: int = 0
    kept: list[str] = field(default_factory=list)  # taken over by their organisation

    @property
    def total_written(self) -> int:
        return sum(self.written.values())


def load_seeds(session: Session, root: Path) -> LoadReport:
    """Read, check, then write every seed file under `root` (the caller commits)."""
    seeds = read_seeds(root)
    return _Loader(session).load(seeds)


def _digest(record: object) -> str:
    data = dataclasses.asdict(record) if dataclasses.is_dataclass(record) else record
    encoded = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()


class _Loader:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.report = LoadReport()
        self.links: list[tuple[Organization, OrganizationRecord]] = []
        self.digests = {(r.kind, r.key): r for r in session.scalars(select(SeedRecord)).all()}

    def _changed(self, kind: str, key: str, record: object) -> str | None:
        """The new digest if the record is new or changed, else None."""
        digest = _digest(record)
        known = self.digests.get((kind, key))
        if known is not None and known.digest == digest:
            self.report.unchanged += 1
            return None
        return digest

    def _remember(self, kind: str, key: str, digest: str) -> None:
        known = self.digests.get((kind, key))
        if known is None:
            known = SeedRecord(kind=kind, key=key, digest=digest)
            self.session.add(known)
            self.digests[(kind, key)] = known
        known.digest = digest
        self.report.written[kind] = self.report.written.get(kind, 0) + 1

    def _upsert(
        self, model: type[M], kind: str, key: object, record: object, apply: Callable[[M], None]
    ) -> bool:
        digest = self._changed(kind, str(key), record)
        if digest is None:
            return False
        identifier = seed_id(kind, key)
        instance = self.session.get(model, identifier)
        with self.session.no_autoflush:  # apply() looks rows up while this one is half-set
            if instance is None:
                instance = model(id=identifier)
                apply(instance)
                self.session.add(instance)
            else:
                apply(instance)
        self._remember(kind, str(key), digest)
        return True

    def load(self, seeds: Seeds) -> LoadReport:
        for position, code in enumerate(seeds.languages):
            self._upsert(
                LanguageCode,
                "language",
                code,
                {"code": code, "position": position},
                lambda row, c=code, p=position: _set(row, code=c, position=p),
            )
        self.session.flush()
        self._places(seeds)
        self._taxonomy(seeds)
        self._catalogue(seeds)
        self.session.flush()
        return self.report

    def _places(self, seeds: Seeds) -> None:
        for m in seeds.municipalities:
            self._upsert(
                Municipality,
                "municipality",
                m.nis_code,
                m,
                lambda row, m=m: _set(
                    row, nis_code=m.nis_code, name_fr=m.name_fr, name_nl=m.name_nl
                ),
            )
        self.session.flush()

        def municipality(nis: str) -> Municipality:
            return self.session.get(Municipality, seed_id("municipality", nis))

        for p in seeds.postcodes:
            self._upsert(
                Postcode,
                "postcode",
                p.code,
                p,
                lambda row, p=p: _set(
                    row,
                    code=p.code,
                    locality_fr=p.locality_fr,
                    locality_nl=p.locality_nl,
                    municipality=municipality(p.municipality),
                    other_municipalities=[municipality(c) for c in p.also_in],
                ),
            )
        changed_neighbourhoods = []
        for n in seeds.neighbourhoods:
            written = self._upsert(
                Neighbourhood,
                "neighbourhood",
                n.number,
                n,
                lambda row, n=n: _set(
                    row,
                    number=n.number,
                    name_fr=n.name_fr,
                    name_nl=n.name_nl,
                    municipality=municipality(n.municipality),
                    other_municipalities=[municipality(c) for c in n.also_in],
                ),
            )
            if written:
                changed_neighbourhoods.append(n)
        self.session.flush()
        for n in changed_neighbourhoods:  # once every neighbourhood exists
            self._neighbourhood(n.number).adjacent = [self._neighbourhood(x) for x in n.adjacent]
        for local in seeds.local_names:
            self._upsert(
                LocalName,
                "local_name",
                local.name_nl,
                local,
                lambda row, n=local: _set(
                    row,
                    name_nl=n.name_nl,
                    name_fr=n.name_fr,
                    neighbourhoods=[self._neighbourhood(x) for x in n.neighbourhoods],
                ),
            )

    def _neighbourhood(self, number: int) -> Neighbourhood:
        return self.session.get(Neighbourhood, seed_id("neighbourhood", number))

    def _taxonomy(self, seeds: Seeds) -> None:
        record = seeds.taxonomy
        head = {"name": record.name, "description": record.description, "version": record.version}
        self._upsert(Taxonomy, "taxonomy", record.name, head, lambda row: _set(row, **head))
        self.session.flush()
        taxonomy_id = seed_id("taxonomy", record.name)
        for term in record.terms:

            def apply(row: TaxonomyTerm, term=term) -> None:
                _set(
                    row,
                    code=term.code,
                    taxonomy_id=taxonomy_id,
                    position=term.position,
                    icon=term.icon,
                    parent_id=seed_id("term", term.parent) if term.parent else None,
                )
                # In place: a flush inserts before it deletes, and (term, locale) is unique.
                for locale in set(row.labels) - set(term.labels):
                    del row.labels[locale]
                for locale, (label, text) in term.labels.items():
                    entry = row.labels.get(locale) or TaxonomyTermLabel(locale=locale)
                    entry.label, entry.description = label, text
                    row.labels[locale] = entry

            self._upsert(TaxonomyTerm, "term", term.code, term, apply)
            self.session.flush()

    def _catalogue(self, seeds: Seeds) -> None:
        for record in seeds.organizations:
            existing = self.session.get(Organization, seed_id("organization", record.key))
            if existing is not None and existing.provenance is not Provenance.SOURCE_DOCUMENTS:
                self.report.kept.append(record.key)
                continue
            self._upsert(
                Organization,
                "organization",
                record.key,
                record,
                lambda row, r=record: self._organization(row, r),
            )
        # Parents and relays may come later in the files: link once every row exists.
        self.session.flush()
        for row, record in self.links:
            row.parent_organization_id = (
                seed_id("organization", record.parent) if record.parent else None
            )
            row.relay_organization_id = (
                seed_id("organization", record.relay) if record.relay else None
            )
        self.session.flush()

    def _organization(self, row: Organization, record: OrganizationRecord) -> None:
        _set(
            row,
            kind=record.kind,
            line=record.line,
            alternate_name=record.alternate_name,
            provenance=Provenance.SOURCE_DOCUMENTS,
            provenance_note="Public source documents: " + ", ".join(record.sources),
            assured_date=None,
            assurer=None,
        )
        self.links.append((row, record))
        _replace_texts(row.texts, OrganizationText, record.texts)
        wanted = {seed_id("service", s.key) for s in record.services}
        row.services = [s for s in row.services if s.id in wanted]
        by_id = {s.id: s for s in row.services}
        for service_record in record.services:
            identifier = seed_id("service", service_record.key)
            service = by_id.get(identifier)
            if service is None:
                service = Service(id=identifier)
                row.services.append(service)
            self._service(service, service_record, record)

    def _service(self, row: Service, record: ServiceRecord, owner: OrganizationRecord) -> None:
        _set(
            row,
            is_free=record.is_free,
            provenance=Provenance.SOURCE_DOCUMENTS,
            provenance_note="Public source documents: " + ", ".join(owner.sources),
            assured_date=None,
            assurer=None,
        )
        _replace_texts(row.texts, ServiceText, record.texts)
        kept = [language for language in row.languages if language.code in record.languages]
        known = {language.code for language in kept}
        row.languages = kept + [Language(code=c) for c in record.languages if c not in known]
        row.areas = _areas(record)
        row.attributes = []
        for code in record.help:
            row.tag(self.session.get(TaxonomyTerm, seed_id("term", code)))


def _areas(record: ServiceRecord) -> list[ServiceArea]:
    if record.area.region:
        return [ServiceArea(name="Brussels-Capital Region")]
    return [
        *(
            ServiceArea(neighbourhood_id=seed_id("neighbourhood", n))
            for n in record.area.neighbourhoods
        ),
        *(
            ServiceArea(municipality_id=seed_id("municipality", m))
            for m in record.area.municipalities
        ),
    ]


def _replace_texts(texts: dict, model: type, records: tuple[TextRecord, ...]) -> None:
    """Update texts in place (a locale is unique per listing, and a flush inserts before it
    deletes), drop the locales no longer given."""
    for locale in set(texts) - {text.locale for text in records}:
        del texts[locale]
    for text in records:
        row = texts.get(text.locale) or model(locale=text.locale)
        _set(
            row,
            name=text.name,
            summary=text.summary,
            description=text.description,
            is_original=text.is_original,
            is_machine_translated=False,
        )
        texts[text.locale] = row


def _set(row: object, **values: object) -> None:
    for name, value in values.items():
        setattr(row, name, value)
