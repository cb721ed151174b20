"""What the search index must catch up with, and searches that found nothing.

`SearchOutbox`: every change to catalogue data writes a row here in the same transaction
(see `directory.search_sync`); one writer at a time applies the rows to the index, so the
index follows the database exactly. `ZeroResultSearch`: an anonymous record of a search that
found nothing (no IP, no user), for the analysis of gaps.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from directory.models.base import Base, UUIDPrimaryKey, utcnow


class SearchOutbox(Base):
    __tablename__ = "search_outbox"

    # An increasing id: the index remembers the last one it applied.
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    service_id: Mapped[uuid.UUID] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ZeroResultSearch(UUIDPrimaryKey, Base):
    __tablename__ = "zero_result_search"

    text: Mapped[str | None] = mapped_column(String(200))
    filters: Mapped[dict] = mapped_column(JSON)
    locale: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
