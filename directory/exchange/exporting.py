"""`flask hsds export DIR`: the published catalogue as HSDS 3.0 files, for other social maps.

Two forms of the same data, both built by `documents` (the one mapping from our model to
HSDS, which decides what never leaves Nabij):
- JSON documents as the API serves them: services.json, organizations.json,
  service_at_locations.json, taxonomies.json and taxonomy_terms.json, each a list;
- the tabular data package: datapackage.json (our `tabular` definition) and every CSV file
  it names, header-only where we hold nothing (programs, funding, ...).

Only published data is read (no synthetic listing); referrals and accounts are not reachable
from anything written here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from directory.exchange import documents, queries, tabular
from directory.models import Organization, Service, ServiceAtLocation, Taxonomy, TaxonomyTerm


@dataclass
class ExportReport:
    """How many records each file holds."""

    files: dict[str, int] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return sum(self.files.values())


@dataclass
class Catalogue:
    """Everything published, loaded at once."""

    services: list[Service]
    organizations: list[Organization]
    taxonomies: list[Taxonomy]

    @property
    def services_at_locations(self) -> list[ServiceAtLocation]:
        links = [link for service in self.services for link in service.service_at_locations]
        return sorted(links, key=lambda link: link.id)

    @property
    def terms(self) -> list[TaxonomyTerm]:
        return [term for taxonomy in self.taxonomies for term in _ordered(taxonomy.terms)]


def load_catalogue(session: Session) -> Catalogue:
    """The published services (with everything their documents show), their organisations
    and every taxonomy. Services first: their organisations then find them loaded."""
    services = session.scalars(
        select(Service)
        .join(Service.organization)
        .where(documents.published_service_clause(), documents.published_organization_clause())
        .order_by(Service.id)
        .options(*queries.SERVICE_DETAILS)
    ).all()
    organizations = session.scalars(
        select(Organization)
        .where(documents.published_organization_clause())
        .order_by(Organization.id)
        .options(*queries.ORGANIZATION_DETAILS)
    ).all()
    taxonomies = session.scalars(
        select(Taxonomy)
        .order_by(Taxonomy.name, Taxonomy.id)
        .options(
            selectinload(Taxonomy.terms).options(
                selectinload(TaxonomyTerm.labels), selectinload(TaxonomyTerm.taxonomy)
            )
        )
    ).all()
    return Catalogue(list(services), list(organizations), list(taxonomies))


def _ordered(terms: list[TaxonomyTerm]) -> list[TaxonomyTerm]:
    return sorted(terms, key=lambda term: (term.position, term.code, term.id))


def export(session: Session, directory: Path, locale: str | None) -> ExportReport:
    """Write the JSON documents and the data package into `directory` (made if needed;
    files of ours already there are replaced). `locale`: the language of the texts, or None
    for each listing's original."""
    directory.mkdir(parents=True, exist_ok=True)
    catalogue = load_catalogue(session)
    report = ExportReport()
    _write_documents(directory, catalogue, locale, report)
    _write_tables(directory, catalogue, locale, report)
    return report


def _write_documents(
    directory: Path, catalogue: Catalogue, locale: str | None, report: ExportReport
) -> None:
    lists: dict[str, list[dict[str, Any]]] = {
        "services.json": [documents.service_document(s, locale) for s in catalogue.services],
        "organizations.json": [
            documents.organization_document(o, locale) for o in catalogue.organizations
        ],
        "service_at_locations.json": [
            documents.service_at_location_document(link, locale)
            for link in catalogue.services_at_locations
        ],
        "taxonomies.json": [documents.taxonomy_document(t) for t in catalogue.taxonomies],
        "taxonomy_terms.json": [
            documents.taxonomy_term_document(term, locale) for term in catalogue.terms
        ],
    }
    for name, items in lists.items():
        text = json.dumps(items, ensure_ascii=False, indent=1)
        (directory / name).write_text(text + "\n", encoding="utf-8")
        report.files[name] = len(items)


def _write_tables(
    directory: Path, catalogue: Catalogue, locale: str | None, report: ExportReport
) -> None:
    rows = documents.catalogue_rows(catalogue.organizations, catalogue.taxonomies, locale)
    for table in tabular.TABLES:
        report.files[table.path] = tabular.write_table(directory, table, rows.get(table.name, []))
    tabular.write_descriptor(directory)
