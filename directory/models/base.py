"""Declarative base, constraint naming convention and the columns every listing shares."""

from __future__ import annotations

import enum
import uuid
from datetime import UTC, date, datetime

from sqlalchemy import Date, DateTime, Enum, MetaData, String, Text, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Alembic needs stable constraint names to alter or drop them later; SQLite needs them to
# exist at all for batch migrations.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        uuid.UUID: Uuid(),
        datetime: DateTime(timezone=True),
        date: Date(),
        str: String(255),
    }


class UUIDPrimaryKey:
    """HSDS ids are UUIDs."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


def enum_column(enum_class: type[enum.Enum], name: str) -> Enum:
    """A portable enum: a VARCHAR holding the value, with a named CHECK constraint."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class Provenance(enum.StrEnum):
    """Where a listing's facts come from."""

    SOURCE_DOCUMENTS = "source_documents"  # written by us from public documents, never checked
    ORGANIZATION = "organization"  # entered by the organisation itself
    COORDINATOR = "coordinator"  # entered by a coordinator
    SYNTHETIC = "synthetic"  # generated for scale work; never real
    IMPORTED = "imported"  # read from another social map's HSDS data (`flask hsds import`)


class ListingRecord:
    """What an organisation or service listing carries besides its content.

    `assured_date` and `assurer` are the HSDS verification fields: a listing is verified only
    when someone confirmed it on that date. A record from the source documents has neither.
    """

    provenance: Mapped[Provenance] = mapped_column(enum_column(Provenance, "provenance"))
    provenance_note: Mapped[str | None] = mapped_column(Text)
    assured_date: Mapped[date | None]
    assurer: Mapped[str | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_modified: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def is_verified(self) -> bool:
        return self.assured_date is not None and self.provenance is not Provenance.SYNTHETIC


class LocalizedText:
    """Name, description and a plain-language summary of a listing in one language.

    One row per locale. `is_original` marks the text the listing was written in; the others
    are translations, and `is_machine_translated` says whether a person wrote them.
    """

    locale: Mapped[str] = mapped_column(String(12))
    name: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str | None] = mapped_column(String(400))
    description: Mapped[str | None] = mapped_column(Text)
    is_original: Mapped[bool] = mapped_column(default=False)
    is_machine_translated: Mapped[bool] = mapped_column(default=False)
