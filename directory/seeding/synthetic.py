"""A synthetic catalogue for scale work: N services with a realistic spread over kinds of
organisation, kinds of help, neighbourhoods, languages, opening hours and multilingual texts.

Every synthetic record has provenance `synthetic`: it never mixes with the real seed, and
a new run replaces the previous synthetic catalogue. Rows are written with bulk inserts so
that 50,000 services load in seconds.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from directory.models import (
    Attribute,
    Closure,
    Language,
    Line,
    Municipality,
    Neighbourhood,
    Organization,
    OrganizationKind,
    OrganizationText,
    Provenance,
    Schedule,
    Service,
    ServiceArea,
    ServiceText,
    TaxonomyTerm,
    TaxonomyTermLabel,
)

KIND_WEIGHTS = {
    OrganizationKind.ASSOCIATION: 30,
    OrganizationKind.RECOGNISED_SERVICE: 20,
    OrganizationKind.PUBLIC_SERVICE: 10,
    OrganizationKind.NEIGHBOUR_HELP_NETWORK: 15,
    OrganizationKind.NEIGHBOURHOOD_COMMITTEE: 10,
    OrganizationKind.SELF_ORGANISATION: 10,
    OrganizationKind.ONLINE_GROUP: 5,
}
LINE_BY_KIND = {
    OrganizationKind.PUBLIC_SERVICE: (Line.FIRST, Line.SPECIALISED),
    OrganizationKind.RECOGNISED_SERVICE: (Line.FIRST, Line.SPECIALISED),
    OrganizationKind.ASSOCIATION: (Line.ZERO, Line.FIRST),
}
NAME_WORDS = {
    "nl": {
        OrganizationKind.ASSOCIATION: "Vzw",
        OrganizationKind.RECOGNISED_SERVICE: "Dienstencentrum",
        OrganizationKind.PUBLIC_SERVICE: "Gemeentelijke dienst",
        OrganizationKind.NEIGHBOUR_HELP_NETWORK: "Burenhulp",
        OrganizationKind.NEIGHBOURHOOD_COMMITTEE: "Buurthuis",
        OrganizationKind.SELF_ORGANISATION: "Gemeenschap",
        OrganizationKind.ONLINE_GROUP: "Online groep",
    },
    "fr": {
        OrganizationKind.ASSOCIATION: "Asbl",
        OrganizationKind.RECOGNISED_SERVICE: "Centre de services",
        OrganizationKind.PUBLIC_SERVICE: "Service communal",
        OrganizationKind.NEIGHBOUR_HELP_NETWORK: "Entraide",
        OrganizationKind.NEIGHBOURHOOD_COMMITTEE: "Maison de quartier",
        OrganizationKind.SELF_ORGANISATION: "Communauté",
        OrganizationKind.ONLINE_GROUP: "Groupe en ligne",
    },
    "en": {
        OrganizationKind.ASSOCIATION: "Association",
        OrganizationKind.RECOGNISED_SERVICE: "Service centre",
        OrganizationKind.PUBLIC_SERVICE: "Municipal service",
        OrganizationKind.NEIGHBOUR_HELP_NETWORK: "Neighbour help",
        OrganizationKind.NEIGHBOURHOOD_COMMITTEE: "Neighbourhood house",
        OrganizationKind.SELF_ORGANISATION: "Community",
        OrganizationKind.ONLINE_GROUP: "Online group",
    },
}
SURNAMES = (
    "De Smet",
    "Benali",
    "Yilmaz",
    "Kowalski",
    "Popescu",
    "Dubois",
    "Peeters",
    "El Amrani",
    "Janssens",
    "Mbala",
    "Ferreira",
    "García",
    "Nowak",
    "Lambert",
)
TEXT_TEMPLATES = {
    "nl": ("{term} in {place}.", "Wij bieden {term_lower} voor bewoners van {place}. {detail}"),
    "fr": ("{term} à {place}.", "Nous proposons {term_lower} aux habitants de {place}. {detail}"),
    "en": ("{term} in {place}.", "We offer {term_lower} to people living in {place}. {detail}"),
}
OTHER_LANGUAGES = ("en", "ar", "tr", "es", "pt", "pl", "ro", "it", "de", "ru", "zgh", "ln")
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Made:
    organizations: int
    services: int


def remove_synthetic_catalogue(session: Session) -> None:
    synthetic_services = select(Service.id).where(Service.provenance == Provenance.SYNTHETIC)
    session.execute(
        delete(Attribute)
        .where(Attribute.link_entity == "service", Attribute.link_id.in_(synthetic_services))
        .execution_options(synchronize_session=False)
    )
    for model in (ServiceText, Language, ServiceArea, Schedule, Closure):
        session.execute(
            delete(model)
            .where(model.service_id.in_(synthetic_services))
            .execution_options(synchronize_session=False)
        )
    session.execute(
        delete(Service)
        .where(Service.provenance == Provenance.SYNTHETIC)
        .execution_options(synchronize_session=False)
    )
    synthetic_organizations = select(Organization.id).where(
        Organization.provenance == Provenance.SYNTHETIC
    )
    session.execute(
        delete(OrganizationText)
        .where(OrganizationText.organization_id.in_(synthetic_organizations))
        .execution_options(synchronize_session=False)
    )
    session.execute(
        delete(Organization)
        .where(Organization.provenance == Provenance.SYNTHETIC)
        .execution_options(synchronize_session=False)
    )


def make_synthetic_catalogue(session: Session, services: int, random_seed: int = 2026) -> Made:
    """Replace the synthetic catalogue with `services` services (reference data must exist)."""
    remove_synthetic_catalogue(session)
    if services == 0:
        return Made(0, 0)
    return _Generator(session, random.Random(random_seed)).make(services)


class _Generator:
    def __init__(self, session: Session, rng: random.Random) -> None:
        self.rng = rng
        self.neighbourhoods = session.execute(
            select(
                Neighbourhood.id,
                Neighbourhood.name_nl,
                Neighbourhood.name_fr,
                Neighbourhood.municipality_id,
            )
        ).all()
        self.municipalities = session.execute(
            select(Municipality.id, Municipality.name_nl, Municipality.name_fr)
        ).all()
        terms = session.execute(
            select(
                TaxonomyTerm.id,
                TaxonomyTermLabel.locale,
                TaxonomyTermLabel.label,
                TaxonomyTermLabel.description,
            )
            .join(TaxonomyTermLabel, TaxonomyTermLabel.term_id == TaxonomyTerm.id)
            .where(TaxonomyTerm.parent_id.is_not(None))
        ).all()
        if not self.neighbourhoods or not terms:
            raise RuntimeError("load the reference data (flask seed) before a synthetic catalogue")
        self.term_labels: dict[uuid.UUID, dict[str, tuple[str, str]]] = {}
        for term_id, locale, label, description in terms:
            self.term_labels.setdefault(term_id, {})[locale] = (label, description or "")
        self.term_ids = sorted(self.term_labels)
        # A few kinds of help are far more common than others, as in a real catalogue.
        self.term_weights = [1 / (rank + 1) ** 0.8 for rank in range(len(self.term_ids))]
        self.rng.shuffle(self.term_weights)
        self.session = session
        self.rows: dict[type, list[dict]] = {}

    def _add(self, model: type, **row: object) -> None:
        self.rows.setdefault(model, []).append(row)

    def make(self, count: int) -> Made:
        now = datetime.now(UTC)
        made_services = organizations = 0
        while made_services < count:
            organizations += 1
            kind = self.rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
            home = self.rng.choice(self.neighbourhoods)
            organization_id = uuid.uuid4()
            original = self.rng.choices(("nl", "fr", "en"), weights=(45, 50, 5))[0]
            self._add(
                Organization,
                id=organization_id,
                kind=kind,
                line=self.rng.choice(LINE_BY_KIND.get(kind, (Line.ZERO,))),
                provenance=Provenance.SYNTHETIC,
                provenance_note="synthetic",
                created_at=now,
                last_modified=now,
            )
            surname = self.rng.choice(SURNAMES)
            for locale in self._locales(original):
                place = home.name_nl if locale == "nl" else home.name_fr
                self._add(
                    OrganizationText,
                    id=uuid.uuid4(),
                    organization_id=organization_id,
                    locale=locale,
                    name=f"{NAME_WORDS[locale][kind]} {place} {surname}",
                    summary=None,
                    description=None,
                    is_original=locale == original,
                    is_machine_translated=locale != original and self.rng.random() < 0.3,
                )
            for _ in range(min(self.rng.randint(1, 5), count - made_services)):
                self._service(organization_id, home, original, now)
                made_services += 1
        for model, rows in self.rows.items():
            for start in range(0, len(rows), 5000):
                self.session.execute(insert(model), rows[start : start + 5000])
        return Made(organizations, made_services)

    def _locales(self, original: str) -> list[str]:
        locales = [original]
        official = "fr" if original == "nl" else "nl"
        if self.rng.random() < 0.6:
            locales.append(official)
        if original != "en" and self.rng.random() < 0.2:
            locales.append("en")
        return locales

    def _service(self, organization_id, home, original: str, now: datetime) -> None:
        rng = self.rng
        service_id = uuid.uuid4()
        terms = list(
            dict.fromkeys(
                rng.choices(self.term_ids, weights=self.term_weights, k=rng.randint(1, 3))
            )
        )
        self._add(
            Service,
            id=service_id,
            organization_id=organization_id,
            status="active",
            is_free=rng.choices((True, False, None), (60, 15, 25))[0],
            provenance=Provenance.SYNTHETIC,
            provenance_note="synthetic",
            created_at=now,
            last_modified=now,
        )
        for term_id in terms:
            self._add(
                Attribute,
                id=uuid.uuid4(),
                link_id=service_id,
                link_entity="service",
                link_type="kind_of_help",
                taxonomy_term_id=term_id,
            )
        places = self._area(service_id, home)
        for locale in self._locales(original):
            label, description = (
                self.term_labels[terms[0]].get(locale) or self.term_labels[terms[0]]["en"]
            )
            place = places if isinstance(places, str) else places[0 if locale == "nl" else 1]
            summary, body = TEXT_TEMPLATES[locale]
            self._add(
                ServiceText,
                id=uuid.uuid4(),
                service_id=service_id,
                locale=locale,
                name=label,
                summary=summary.format(term=label, place=place),
                description=body.format(term_lower=label.lower(), place=place, detail=description),
                is_original=locale == original,
                is_machine_translated=locale != original and rng.random() < 0.3,
            )
        for code in self._languages(original):
            self._add(Language, id=uuid.uuid4(), service_id=service_id, code=code)
        if rng.random() < 0.7:
            self._schedules(service_id)
        if rng.random() < 0.1:
            start = date.today() + timedelta(days=rng.randint(-10, 60))
            self._add(
                Closure,
                id=uuid.uuid4(),
                service_id=service_id,
                starts_on=start,
                ends_on=start + timedelta(days=rng.randint(0, 14)),
                reason=None,
            )

    def _area(self, service_id, home):
        """Where the service serves; returns the place names (nl, fr) to write about."""
        roll = self.rng.random()
        if roll < 0.6:
            self._add(ServiceArea, id=uuid.uuid4(), service_id=service_id, neighbourhood_id=home.id)
            return home.name_nl, home.name_fr
        if roll < 0.85:
            municipality = next(m for m in self.municipalities if m.id == home.municipality_id)
            self._add(
                ServiceArea, id=uuid.uuid4(), service_id=service_id, municipality_id=municipality.id
            )
            return municipality.name_nl, municipality.name_fr
        if roll < 0.95:
            chosen = {home, *self.rng.sample(self.neighbourhoods, self.rng.randint(1, 3))}
            for neighbourhood in chosen:
                self._add(
                    ServiceArea,
                    id=uuid.uuid4(),
                    service_id=service_id,
                    neighbourhood_id=neighbourhood.id,
                )
            return home.name_nl, home.name_fr
        self._add(
            ServiceArea, id=uuid.uuid4(), service_id=service_id, name="Brussels-Capital Region"
        )
        return "Brussel", "Bruxelles"

    def _languages(self, original: str) -> list[str]:
        spoken = {original}
        if self.rng.random() < 0.7:
            spoken.add("fr" if original == "nl" else "nl")
        for _ in range(self.rng.choices((0, 1, 2, 3), (40, 35, 18, 7))[0]):
            spoken.add(self.rng.choice(OTHER_LANGUAGES))
        return sorted(spoken)

    def _schedules(self, service_id) -> None:
        days = sorted(
            self.rng.sample(range(7), self.rng.choices((1, 2, 3, 5), (15, 20, 25, 40))[0])
        )
        byday = ",".join(WEEKDAYS[d] for d in days)
        if self.rng.random() < 0.5:
            periods = [(time(9), time(12, 30)), (time(13, 30), time(17))]
        else:
            start = self.rng.randint(8, 14)
            periods = [(time(start), time(start + self.rng.randint(2, 5)))]
        for opens, closes in periods:
            self._add(
                Schedule,
                id=uuid.uuid4(),
                service_id=service_id,
                freq="WEEKLY",
                byday=byday,
                opens_at=opens,
                closes_at=closes,
            )
