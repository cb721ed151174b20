"""Taxonomies (HSDS taxonomy, taxonomy_term) with labels per language, and HSDS attributes.

The kinds of help are terms of one taxonomy: a life domain is a term without parent, a kind of
help is a term whose parent is its domain. A service is tagged with a term through an
`Attribute` row, as HSDS links any entity to a term.
"""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.orm.collections import attribute_keyed_dict

from directory.models.base import Base, UUIDPrimaryKey

# Our own taxonomy: the kinds of help people search and filter by. Terms of other taxonomies
# (imported with another map's data) are kept beside it and never read as kinds of help.
KINDS_OF_HELP = "Nabij kinds of help"


class Taxonomy(UUIDPrimaryKey, Base):
    __tablename__ = "taxonomy"

    name: Mapped[str]
    description: Mapped[str] = mapped_column(Text)
    uri: Mapped[str | None]
    version: Mapped[str | None] = mapped_column(String(40))

    terms: Mapped[list[TaxonomyTerm]] = relationship(back_populates="taxonomy")


class TaxonomyTerm(UUIDPrimaryKey, Base):
    __tablename__ = "taxonomy_term"
    __table_args__ = (UniqueConstraint("taxonomy_id", "code"),)

    code: Mapped[str] = mapped_column(String(60))
    taxonomy_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("taxonomy.id"))
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("taxonomy_term.id"))
    term_uri: Mapped[str | None]
    position: Mapped[int] = mapped_column(default=0)
    icon: Mapped[str | None] = mapped_column(String(16))  # a pictogram beside the label

    taxonomy: Mapped[Taxonomy] = relationship(back_populates="terms")
    parent: Mapped[TaxonomyTerm | None] = relationship(
        remote_side="TaxonomyTerm.id", back_populates="children"
    )
    children: Mapped[list[TaxonomyTerm]] = relationship(
        back_populates="parent", order_by="TaxonomyTerm.position"
    )
    labels: Mapped[dict[str, TaxonomyTermLabel]] = relationship(
        collection_class=attribute_keyed_dict("locale"), cascade="all, delete-orphan"
    )

    @classmethod
    def of_kinds_of_help(cls):
        """The condition "this term is one of our kinds of help (or life domains)"."""
        return cls.taxonomy.has(Taxonomy.name == KINDS_OF_HELP)

    def label(self, locale: str) -> str:
        return pick_label({k: v.label for k, v in self.labels.items()}, locale) or self.code

    def description(self, locale: str) -> str | None:
        return pick_label({k: v.description for k, v in self.labels.items()}, locale)


def pick_label(labels: dict[str, str | None], locale: str) -> str | None:
    """A term's text in the reader's language, else English, Dutch or French."""
    for candidate in (locale, "en", "nl", "fr"):
        if labels.get(candidate):
            return labels[candidate]
    return None


class TaxonomyTermLabel(UUIDPrimaryKey, Base):
    """The name and description of a term in one language."""

    __tablename__ = "taxonomy_term_label"
    __table_args__ = (UniqueConstraint("term_id", "locale"),)

    term_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("taxonomy_term.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(String(12))
    label: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)


class Attribute(UUIDPrimaryKey, Base):
    """HSDS attribute: links an entity (`link_entity`, `link_id`) to a taxonomy term."""

    __tablename__ = "attribute"

    link_id: Mapped[uuid.UUID] = mapped_column(index=True)
    link_entity: Mapped[str] = mapped_column(String(40))
    link_type: Mapped[str | None] = mapped_column(String(60))
    taxonomy_term_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("taxonomy_term.id"), index=True)
    value: Mapped[str | None]
    label: Mapped[str | None]

    taxonomy_term: Mapped[TaxonomyTerm] = relationship()
