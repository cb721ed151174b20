"""HSDS schedule, and closures (holidays) which HSDS 3.0 cannot express.

A schedule row is one opening period, in the iCalendar terms HSDS uses: `freq` WEEKLY with
`byday` ("MO,TU") or MONTHLY with an ordinal `byday` ("1MO": first Monday; "-1FR": last
Friday), from `opens_at` to `closes_at`. Several periods a day are several rows. `valid_from`
and `valid_to` bound a seasonal schedule. A `Closure` is a span of dates on which the service
is closed whatever its schedule says.
"""

from __future__ import annotations

import uuid
from datetime import date, time

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from directory.models.base import Base, UUIDPrimaryKey


class Schedule(UUIDPrimaryKey, Base):
    __tablename__ = "schedule"
    __table_args__ = (
        CheckConstraint("freq IN ('WEEKLY', 'MONTHLY')", name="freq"),
        CheckConstraint(
            "opens_at IS NULL OR closes_at IS NULL OR opens_at < closes_at",
            name="opens_before_closes",
        ),
    )

    service_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    location_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("location.id", ondelete="CASCADE")
    )
    service_at_location_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("service_at_location.id", ondelete="CASCADE")
    )
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]
    dtstart: Mapped[date | None]
    until: Mapped[date | None]
    wkst: Mapped[str | None] = mapped_column(String(2))
    freq: Mapped[str] = mapped_column(String(10), default="WEEKLY")
    interval: Mapped[int | None]
    byday: Mapped[str] = mapped_column(String(60))
    opens_at: Mapped[time | None]
    closes_at: Mapped[time | None]
    description: Mapped[str | None] = mapped_column(Text)
    schedule_link: Mapped[str | None]
    attending_type: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)


class Closure(UUIDPrimaryKey, Base):
    """Dates on which a service is closed (public holidays, summer closure)."""

    __tablename__ = "closure"
    __table_args__ = (CheckConstraint("starts_on <= ends_on", name="ordered"),)

    service_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    reason: Mapped[str | None]
