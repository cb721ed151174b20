"""Organisations keeping their own listing true: change requests waiting for a coordinator,
the field-by-field record of every published change, claims of a listing, and the public's
error reports.

`ListingChange` follows the spirit of HSDS `metadata` (resource_id, resource_type,
field_name, previous_value, replacement_value, updated_by, last_action_date).
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.models.base import Base, UUIDPrimaryKey, enum_column, utcnow


class RequestStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"  # replaced by a newer request, or taken back by its author


class ChangeRequest(UUIDPrimaryKey, Base):
    """An edit by a member not yet trusted: the proposed values of one listing (an
    organisation, or one of its services) and what they were when it was proposed, so a
    coordinator reads a before/after diff."""

    __tablename__ = "change_request"

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    service_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    resource_type: Mapped[str] = mapped_column(String(40))  # organization, service
    proposed_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL")
    )
    before: Mapped[dict] = mapped_column(JSON)  # field -> value when proposed
    after: Mapped[dict] = mapped_column(JSON)  # field -> proposed value (changed fields only)
    status: Mapped[RequestStatus] = mapped_column(
        enum_column(RequestStatus, "status"), default=RequestStatus.PENDING
    )
    reason: Mapped[str | None] = mapped_column(Text)  # why it was rejected
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    proposed_by: Mapped[Account | None] = relationship(  # noqa: F821
        foreign_keys=[proposed_by_id]
    )
    decided_by: Mapped[Account | None] = relationship(foreign_keys=[decided_by_id])  # noqa: F821
    organization: Mapped[Organization] = relationship()  # noqa: F821
    service: Mapped[Service | None] = relationship()  # noqa: F821


class ListingChange(UUIDPrimaryKey, Base):
    """One published change of one field: who, when, the old and the new value."""

    __tablename__ = "listing_change"

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    resource_type: Mapped[str] = mapped_column(String(40))  # organization, service, ...
    resource_id: Mapped[uuid.UUID] = mapped_column(index=True)
    field_name: Mapped[str] = mapped_column(String(80))
    previous_value: Mapped[str | None] = mapped_column(Text)
    replacement_value: Mapped[str | None] = mapped_column(Text)
    updated_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL")
    )
    change_request_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("change_request.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    updated_by: Mapped[Account | None] = relationship()  # noqa: F821


class Claim(UUIDPrimaryKey, Base):
    """Someone asks to manage an existing listing (`organization_id` set) or proposes a new
    organisation (`proposed_name` set). A coordinator approves (which invites the person as a
    member) or rejects with a reason."""

    __tablename__ = "claim"

    organization_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    proposed_name: Mapped[str | None] = mapped_column(String(300))
    proposed_kind: Mapped[str | None] = mapped_column(String(32))
    proposed_description: Mapped[str | None] = mapped_column(Text)
    # Who asks: the minimum to check the claim and invite them.
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    role_in_organization: Mapped[str | None] = mapped_column(String(200))
    message: Mapped[str | None] = mapped_column(Text)
    locale: Mapped[str] = mapped_column(String(12), default="nl")
    status: Mapped[RequestStatus] = mapped_column(
        enum_column(RequestStatus, "status"), default=RequestStatus.PENDING
    )
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    organization: Mapped[Organization | None] = relationship()  # noqa: F821


class ReportStatus(enum.StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"  # the listing was corrected
    DISMISSED = "dismissed"  # not an error, or spam


class ErrorReport(UUIDPrimaryKey, Base):
    """A reader's "this is wrong" on a listing, sent without an account."""

    __tablename__ = "error_report"

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    service_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE")
    )
    what: Mapped[str] = mapped_column(String(40))  # hours, contact, address, closed, other
    message: Mapped[str] = mapped_column(Text)  # at most 2,000 characters
    reporter_email: Mapped[str | None] = mapped_column(String(254))  # optional, for an answer
    locale: Mapped[str] = mapped_column(String(12))
    status: Mapped[ReportStatus] = mapped_column(
        enum_column(ReportStatus, "status"), default=ReportStatus.OPEN
    )
    resolution: Mapped[str | None] = mapped_column(Text)
    resolved_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL")
    )
    resolved_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    organization: Mapped[Organization] = relationship()  # noqa: F821
    service: Mapped[Service | None] = relationship()  # noqa: F821
