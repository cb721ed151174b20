"""The seed files read and checked into plain records, before anything is written.

Every problem raises `SeedError` naming the file, the record and the problem, so a malformed
seed stops the load while the database is still untouched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from directory.models import Line, OrganizationKind
from directory.seeding.fields import Fields, SeedError, read_toml

REQUIRED_TEXT_LOCALES = ("nl", "fr")
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
NIS_PATTERN = re.compile(r"^210(0[1-9]|1[0-9])$")
SUMMARY_MAX = 160


@dataclass(frozen=True)
class MunicipalityRecord:
    nis_code: str
    name_fr: str
    name_nl: str


@dataclass(frozen=True)
class PostcodeRecord:
    code: str
    locality_fr: str
    locality_nl: str
    municipality: str
    also_in: tuple[str, ...]


@dataclass(frozen=True)
class NeighbourhoodRecord:
    number: int
    name_fr: str
    name_nl: str
    municipality: str
    also_in: tuple[str, ...]
    adjacent: tuple[int, ...]


@dataclass(frozen=True)
class LocalNameRecord:
    name_nl: str
    name_fr: str
    neighbourhoods: tuple[int, ...]


@dataclass(frozen=True)
class TermRecord:
    code: str
    parent: str | None  # the domain's code, for a kind of help
    position: int
    icon: str | None
    labels: dict[str, tuple[str, str | None]]  # locale -> (label, description)


@dataclass(frozen=True)
class TaxonomyRecord:
    name: str
    description: str
    version: str | None
    terms: tuple[TermRecord, ...]


@dataclass(frozen=True)
class TextRecord:
    locale: str
    name: str
    summary: str
    description: str
    is_original: bool


@dataclass(frozen=True)
class AreaRecord:
    region: bool
    neighbourhoods: tuple[int, ...]
    municipalities: tuple[str, ...]


@dataclass(frozen=True)
class ServiceRecord:
    key: str
    help: tuple[str, ...]
    languages: tuple[str, ...]
    is_free: bool | None
    area: AreaRecord
    texts: tuple[TextRecord, ...]


@dataclass(frozen=True)
class OrganizationRecord:
    key: str
    file: str
    kind: OrganizationKind
    line: Line
    original_locale: str
    alternate_name: str | None
    parent: str | None
    relay: str | None
    sources: tuple[str, ...]
    texts: tuple[TextRecord, ...]
    services: tuple[ServiceRecord, ...]


@dataclass
class Seeds:
    languages: list[str] = field(default_factory=list)
    municipalities: list[MunicipalityRecord] = field(default_factory=list)
    postcodes: list[PostcodeRecord] = field(default_factory=list)
    neighbourhoods: list[NeighbourhoodRecord] = field(default_factory=list)
    local_names: list[LocalNameRecord] = field(default_factory=list)
    taxonomy: TaxonomyRecord | None = None
    organizations: list[OrganizationRecord] = field(default_factory=list)


def read_seeds(root: Path) -> Seeds:
    """Read and check every seed file under `root`; raise `SeedError` on the first problem."""
    seeds = Seeds()
    seeds.languages = _languages(root / "languages.toml")
    seeds.municipalities = _municipalities(root / "places" / "municipalities.toml")
    nis_codes = {m.nis_code for m in seeds.municipalities}
    seeds.postcodes = _postcodes(root / "places" / "postcodes.toml", nis_codes)
    seeds.neighbourhoods, seeds.local_names = _neighbourhoods(
        root / "places" / "neighbourhoods.toml", nis_codes
    )
    seeds.taxonomy = _taxonomy(root / "taxonomy.toml")
    catalogue = sorted((root / "catalogue").glob("*.toml"))
    seeds.organizations = _organizations(catalogue, seeds)
    return seeds


def _records(path: Path, table: str) -> list[Any]:
    data = read_toml(path)
    records = data.get(table)
    if not isinstance(records, list) or not records:
        raise SeedError(path, "(whole file)", f"expected one or more [[{table}]] tables")
    return records


def _unique(path: Path, record: str, seen: set, value: object, what: str) -> None:
    if value in seen:
        raise SeedError(path, record, f"duplicate {what} {value!r}")
    seen.add(value)


def _languages(path: Path) -> list[str]:
    fields = Fields(path, "(whole file)", read_toml(path))
    codes = fields.texts("codes", required=True)
    fields.done()
    seen: set[str] = set()
    for code in codes:
        if not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", code):
            raise SeedError(path, f"language {code!r}", "not an ISO 639 / BCP 47 code")
        _unique(path, f"language {code!r}", seen, code, "language code")
    return codes


def _municipalities(path: Path) -> list[MunicipalityRecord]:
    result, seen = [], set()
    for index, raw in enumerate(_records(path, "municipality"), start=1):
        fields = Fields(path, f"municipality #{index}", raw)
        nis = fields.text("nis_code")
        if not NIS_PATTERN.match(nis):
            fields.fail(f"'nis_code' {nis!r} is not a Brussels NIS code (21001-21019)")
        _unique(path, f"municipality {nis}", seen, nis, "NIS code")
        result.append(MunicipalityRecord(nis, fields.text("name_fr"), fields.text("name_nl")))
        fields.done()
    return result


def _check_nis(fields: Fields, nis_codes: set[str], *codes: str) -> None:
    for code in codes:
        if code not in nis_codes:
            fields.fail(f"municipality {code!r} is not one of the 19 NIS codes")


def _postcodes(path: Path, nis_codes: set[str]) -> list[PostcodeRecord]:
    result, seen = [], set()
    for index, raw in enumerate(_records(path, "postcode"), start=1):
        fields = Fields(path, f"postcode #{index}", raw)
        code = fields.text("code")
        if not re.fullmatch(r"1\d{3}", code):
            fields.fail(f"'code' {code!r} is not a Brussels postcode")
        _unique(path, f"postcode {code}", seen, code, "postcode")
        record = PostcodeRecord(
            code,
            fields.text("locality_fr"),
            fields.text("locality_nl"),
            fields.text("municipality"),
            tuple(fields.texts("also_in")),
        )
        _check_nis(fields, nis_codes, record.municipality, *record.also_in)
        fields.done()
        result.append(record)
    return result


def _neighbourhoods(
    path: Path, nis_codes: set[str]
) -> tuple[list[NeighbourhoodRecord], list[LocalNameRecord]]:
    data = read_toml(path)
    neighbourhoods, seen = [], set()
    for index, raw in enumerate(data.get("neighbourhood") or [], start=1):
        fields = Fields(path, f"neighbourhood #{index}", raw)
        number = fields.integer("number")
        fields.record = f"neighbourhood {number}"
        _unique(path, fields.record, seen, number, "neighbourhood number")
        record = NeighbourhoodRecord(
            number,
            fields.text("name_fr"),
            fields.text("name_nl"),
            fields.text("municipality"),
            tuple(fields.texts("also_in")),
            tuple(fields.integers("adjacent")),
        )
        _check_nis(fields, nis_codes, record.municipality, *record.also_in)
        if record.municipality in record.also_in:
            fields.fail("'also_in' repeats 'municipality'")
        fields.done()
        neighbourhoods.append(record)
    if not neighbourhoods:
        raise SeedError(path, "(whole file)", "expected one or more [[neighbourhood]] tables")
    adjacency = {n.number: set(n.adjacent) for n in neighbourhoods}
    for number, others in adjacency.items():
        for other in others:
            if number not in adjacency.get(other, ()):
                raise SeedError(
                    path, f"neighbourhood {number}", f"adjacent {other} does not list {number} back"
                )
    local_names = []
    for index, raw in enumerate(data.get("local_name") or [], start=1):
        fields = Fields(path, f"local_name #{index}", raw)
        record = LocalNameRecord(
            fields.text("name_nl"),
            fields.text("name_fr"),
            tuple(fields.integers("neighbourhoods", required=True)),
        )
        for number in record.neighbourhoods:
            if number not in seen:
                fields.fail(f"neighbourhood {number} does not exist")
        fields.done()
        local_names.append(record)
    unknown = set(data) - {"neighbourhood", "local_name"}
    if unknown:
        raise SeedError(path, "(whole file)", f"unknown table(s): {', '.join(sorted(unknown))}")
    return neighbourhoods, local_names


def _labels(fields: Fields) -> dict[str, tuple[str, str | None]]:
    labels = fields.table("label")
    descriptions = fields.table("description", required=False)
    for locale in ("nl", "fr", "en"):
        if not isinstance(labels.get(locale), str) or not labels[locale].strip():
            fields.fail(f"'label' has no {locale} text")
    for locale, text in [*labels.items(), *descriptions.items()]:
        if not isinstance(text, str):
            fields.fail(f"text for {locale!r} must be a string")
    return {locale: (label, descriptions.get(locale)) for locale, label in labels.items()}


def _taxonomy(path: Path) -> TaxonomyRecord:
    data = read_toml(path)
    head = Fields(path, "[taxonomy]", data.get("taxonomy"))
    name, description = head.text("name"), head.text("description")
    version = head.text("version", required=False)
    head.done()
    terms: list[TermRecord] = []
    codes: set[str] = set()
    for position, raw in enumerate(data.get("domain") or []):
        fields = Fields(path, f"domain #{position + 1}", raw)
        code = fields.text("code")
        fields.record = f"domain {code!r}"
        _unique(path, fields.record, codes, code, "code")
        terms.append(
            TermRecord(code, None, position, fields.text("icon", False, 16), _labels(fields))
        )
        fields.done()
    domains = set(codes)
    for position, raw in enumerate(data.get("term") or []):
        fields = Fields(path, f"term #{position + 1}", raw)
        code = fields.text("code")
        fields.record = f"term {code!r}"
        _unique(path, fields.record, codes, code, "code")
        domain = fields.text("domain")
        if domain not in domains:
            fields.fail(f"domain {domain!r} is not a [[domain]] of this file")
        terms.append(
            TermRecord(code, domain, position, fields.text("icon", False, 16), _labels(fields))
        )
        fields.done()
    if not domains or len(terms) == len(domains):
        raise SeedError(path, "(whole file)", "expected [[domain]] and [[term]] tables")
    return TaxonomyRecord(name, description, version, tuple(terms))


def _texts(fields: Fields, original_locale: str, known_locales: set[str]) -> tuple[TextRecord, ...]:
    texts = fields.table("text")
    for locale in REQUIRED_TEXT_LOCALES:
        if locale not in texts:
            fields.fail(f"has no [text.{locale}]")
    if original_locale not in texts:
        fields.fail(f"has no text in its original language {original_locale!r}")
    result = []
    for locale, raw in texts.items():
        if locale not in known_locales:
            fields.fail(f"text language {locale!r} is not in languages.toml")
        text = Fields(fields.file, f"{fields.record} [text.{locale}]", raw)
        result.append(
            TextRecord(
                locale,
                text.text("name", max_length=300),
                text.text("summary", max_length=SUMMARY_MAX),
                text.text("description"),
                locale == original_locale,
            )
        )
        text.done()
    return tuple(result)


def _area(fields: Fields, neighbourhoods: set[int], nis_codes: set[str]) -> AreaRecord:
    raw = Fields(fields.file, f"{fields.record} areas", fields.table("areas"))
    area = AreaRecord(
        bool(raw.boolean("region")),
        tuple(raw.integers("neighbourhoods")),
        tuple(raw.texts("municipalities")),
    )
    raw.done()
    if area.region and (area.neighbourhoods or area.municipalities):
        raw.fail("'region = true' cannot be combined with places")
    if not (area.region or area.neighbourhoods or area.municipalities):
        raw.fail("names no place: give region = true, neighbourhoods or municipalities")
    for number in area.neighbourhoods:
        if number not in neighbourhoods:
            raw.fail(f"neighbourhood {number} does not exist")
    _check_nis(raw, nis_codes, *area.municipalities)
    return area


def _organizations(files: list[Path], seeds: Seeds) -> list[OrganizationRecord]:
    help_codes = {t.code for t in seeds.taxonomy.terms if t.parent}
    languages = set(seeds.languages)
    neighbourhoods = {n.number for n in seeds.neighbourhoods}
    nis_codes = {m.nis_code for m in seeds.municipalities}
    organizations: list[OrganizationRecord] = []
    keys: set[str] = set()
    for path in files:
        for index, raw in enumerate(_records(path, "organization"), start=1):
            fields = Fields(path, f"organization #{index}", raw)
            key = fields.text("key")
            fields.record = f"organization {key!r}"
            if not KEY_PATTERN.match(key):
                fields.fail("'key' may hold only a-z, 0-9 and '-'")
            _unique(path, fields.record, keys, key, "key")
            original = fields.text("original_locale")
            services = []
            for service_index, service_raw in enumerate(fields.tables("service", True), start=1):
                service = Fields(path, f"{fields.record} service #{service_index}", service_raw)
                service_key = service.text("key")
                service.record = f"{fields.record} service {service_key!r}"
                if not KEY_PATTERN.match(service_key):
                    service.fail("'key' may hold only a-z, 0-9 and '-'")
                _unique(path, service.record, keys, service_key, "key")
                help_terms = service.texts("help", required=True)
                for code in help_terms:
                    if code not in help_codes:
                        service.fail(f"kind of help {code!r} is not a term of taxonomy.toml")
                spoken = service.texts("languages")
                for code in spoken:
                    if code not in languages:
                        service.fail(f"language {code!r} is not in languages.toml")
                services.append(
                    ServiceRecord(
                        service_key,
                        tuple(help_terms),
                        tuple(spoken),
                        service.boolean("free"),
                        _area(service, neighbourhoods, nis_codes),
                        _texts(service, original, languages),
                    )
                )
                service.done()
            if not services:
                fields.fail("has no [[organization.service]]")
            organizations.append(
                OrganizationRecord(
                    key=key,
                    file=path.name,
                    kind=fields.choice("kind", OrganizationKind),
                    line=fields.choice("line", Line),
                    original_locale=original,
                    alternate_name=fields.text("alternate_name", required=False),
                    parent=fields.text("parent", required=False),
                    relay=fields.text("relay", required=False),
                    sources=tuple(fields.texts("sources", required=True)),
                    texts=_texts(fields, original, languages),
                    services=tuple(services),
                )
            )
            fields.done()
    organization_keys = {o.key for o in organizations}
    for organization in organizations:
        for role in ("parent", "relay"):
            target = getattr(organization, role)
            if target and target not in organization_keys:
                raise SeedError(
                    organization.file,
                    f"organization {organization.key!r}",
                    f"{role} {target!r} is not an organisation of the seed catalogue",
                )
    return organizations
