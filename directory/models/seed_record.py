"""Bookkeeping of `flask seed`: which seed record was loaded, and the digest of its content.

A second load skips every record whose digest is unchanged, so it changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from directory.models.base import Base, UUIDPrimaryKey, utcnow


class SeedRecord(UUIDPrimaryKey, Base):
    __tablename__ = "seed_record"
    __table_args__ = (UniqueConstraint("kind", "key"),)

    kind: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(120))
    digest: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)
