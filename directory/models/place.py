"""The places of the Brussels region: municipalities, postcodes and neighbourhoods.

Not in HSDS; a service's area (`ServiceArea`) is expressed in these places.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.models.base import Base, UUIDPrimaryKey


class BilingualName:
    """Brussels places carry an official French and Dutch name."""

    name_fr: Mapped[str] = mapped_column(String(120))
    name_nl: Mapped[str] = mapped_column(String(120))

    def display_name(self, locale: str) -> str:
        return bilingual_name(self.name_fr, self.name_nl, locale)


def bilingual_name(name_fr: str, name_nl: str, locale: str) -> str:
    if locale == "nl":
        return name_nl
    if locale == "fr" or name_fr == name_nl:
        return name_fr
    # In a third language both official names help people match street signs.
    return f"{name_fr} / {name_nl}"


class Municipality(UUIDPrimaryKey, BilingualName, Base):
    """One of the 19 municipalities, identified by its NIS code."""

    __tablename__ = "municipality"

    nis_code: Mapped[str] = mapped_column(String(5), unique=True)

    neighbourhoods: Mapped[list[Neighbourhood]] = relationship(
        back_populates="municipality", order_by="Neighbourhood.number"
    )
    postcodes: Mapped[list[Postcode]] = relationship(back_populates="municipality")


postcode_also_in = Table(
    "postcode_also_in",
    Base.metadata,
    Column("postcode_id", ForeignKey("postcode.id", ondelete="CASCADE"), primary_key=True),
    Column("municipality_id", ForeignKey("municipality.id"), primary_key=True),
)


class Postcode(UUIDPrimaryKey, Base):
    """A postcode of the region, with its locality names and its municipality; some
    postcodes also cover part of another municipality (`other_municipalities`)."""

    __tablename__ = "postcode"

    code: Mapped[str] = mapped_column(String(4), unique=True)
    locality_fr: Mapped[str] = mapped_column(String(120))
    locality_nl: Mapped[str] = mapped_column(String(120))
    municipality_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("municipality.id"))

    municipality: Mapped[Municipality] = relationship(back_populates="postcodes")
    other_municipalities: Mapped[list[Municipality]] = relationship(secondary=postcode_also_in)


neighbourhood_also_in = Table(
    "neighbourhood_also_in",
    Base.metadata,
    Column(
        "neighbourhood_id", ForeignKey("neighbourhood.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("municipality_id", ForeignKey("municipality.id"), primary_key=True),
)


neighbourhood_adjacent = Table(
    "neighbourhood_adjacent",
    Base.metadata,
    Column(
        "neighbourhood_id", ForeignKey("neighbourhood.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("adjacent_id", ForeignKey("neighbourhood.id", ondelete="CASCADE"), primary_key=True),
)


class Neighbourhood(UUIDPrimaryKey, BilingualName, Base):
    """A neighbourhood of the Wijkmonitoring / Monitoring des Quartiers.

    Its `municipality` holds the largest part of its area; `other_municipalities` hold at
    least a tenth of it (neighbourhoods do not follow municipal borders).
    """

    __tablename__ = "neighbourhood"

    number: Mapped[int] = mapped_column(unique=True)
    municipality_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("municipality.id"))

    municipality: Mapped[Municipality] = relationship(back_populates="neighbourhoods")
    other_municipalities: Mapped[list[Municipality]] = relationship(secondary=neighbourhood_also_in)
    # Neighbourhoods whose boundary touches this one's: "nearby" when a search finds nothing.
    adjacent: Mapped[list[Neighbourhood]] = relationship(
        secondary=neighbourhood_adjacent,
        primaryjoin=lambda: Neighbourhood.id == neighbourhood_adjacent.c.neighbourhood_id,
        secondaryjoin=lambda: Neighbourhood.id == neighbourhood_adjacent.c.adjacent_id,
        order_by=lambda: Neighbourhood.number,
    )


local_name_neighbourhood = Table(
    "local_name_neighbourhood",
    Base.metadata,
    Column("local_name_id", ForeignKey("local_name.id", ondelete="CASCADE"), primary_key=True),
    Column("neighbourhood_id", ForeignKey("neighbourhood.id"), primary_key=True),
)


class LocalName(UUIDPrimaryKey, BilingualName, Base):
    """A name people use for an area (Marollen, Kuregem), covering one or more neighbourhoods."""

    __tablename__ = "local_name"

    neighbourhoods: Mapped[list[Neighbourhood]] = relationship(
        secondary=local_name_neighbourhood, order_by="Neighbourhood.number"
    )
