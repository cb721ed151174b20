"""Who publishes what: trusted members and coordinators publish directly, other members
propose a change request that a coordinator approves or rejects; every published change is
recorded field by field (`ListingChange`, in the spirit of HSDS `metadata`).

Domain operations only flush; the request handler commits once. Publishing touches the
listing's `last_modified`, so the search outbox (`directory.indexing.outbox`) records every
affected service in the same transaction and the index follows right after the commit.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory import clock
from directory.listings import fields
from directory.listings.fields import Listing
from directory.models import (
    Account,
    ChangeRequest,
    ListingChange,
    Membership,
    Organization,
    Provenance,
    RequestStatus,
    Role,
    Service,
)

REASON_MAX = 1000


class ModerationError(Exception):
    """A moderation step the rules refuse; `problem` says which (see the blueprint)."""

    def __init__(self, problem: str, fields_changed: tuple[str, ...] = ()) -> None:
        super().__init__(problem)
        self.problem = problem
        self.fields_changed = fields_changed


@dataclass(frozen=True)
class Outcome:
    """What an edit did: published at once, proposed for moderation, or nothing changed."""

    published: list[ListingChange]
    request: ChangeRequest | None

    @property
    def unchanged(self) -> bool:
        return not self.published and self.request is None


def is_trusted(session: Session, account: Account, organization_id: uuid.UUID) -> bool:
    if account.role is Role.COORDINATOR:
        return True
    membership = session.get(Membership, (account.id, organization_id))
    return membership is not None and membership.is_trusted


def differences(current: dict[str, Any], proposed: dict[str, Any]) -> tuple[dict, dict]:
    """The fields of `proposed` that differ from `current`: (their current values, the new)."""
    changed = [name for name, value in proposed.items() if current.get(name) != value]
    return {name: current.get(name) for name in changed}, {name: proposed[name] for name in changed}


def organization_of(listing: Listing) -> uuid.UUID:
    return listing.id if isinstance(listing, Organization) else listing.organization_id


def edit(session: Session, account: Account, listing: Listing, proposed: dict[str, Any]) -> Outcome:
    """An edit from the form: published when `account` may publish, else proposed."""
    if is_trusted(session, account, organization_of(listing)):
        return Outcome(publish(session, account, listing, proposed), None)
    return Outcome([], propose(session, account, listing, proposed))


def new_service(session: Session, account: Account, organization: Organization) -> Service:
    """An empty service of `organization`, to publish a new service's fields onto."""
    provenance = (
        Provenance.COORDINATOR if account.role is Role.COORDINATOR else Provenance.ORGANIZATION
    )
    service = Service(organization=organization, provenance=provenance)
    session.add(service)
    return service


def add_service(
    session: Session, account: Account, organization: Organization, proposed: dict[str, Any]
) -> Outcome:
    """A new service: created at once when `account` may publish, else proposed."""
    if is_trusted(session, account, organization.id):
        service = new_service(session, account, organization)
        return Outcome(publish(session, account, service, proposed), None)
    empty = dict.fromkeys(fields.SERVICE_FIELDS)
    empty.update(help=[], languages=[], areas=[], hours=[], closures=[], phones=[], locations=[])
    before, after = differences(empty, proposed)
    request = ChangeRequest(
        organization_id=organization.id,
        service_id=None,
        resource_type="service",
        proposed_by_id=account.id,
        before=before,
        after=after,
        created_at=clock.utc_now(),
    )
    session.add(request)
    session.flush()
    return Outcome([], request)


def pending_request(session: Session, listing: Listing) -> ChangeRequest | None:
    """The newest pending request for this listing (its values prefill the edit form)."""
    return session.scalar(
        _same_listing(select(ChangeRequest), listing)
        .where(ChangeRequest.status == RequestStatus.PENDING)
        .order_by(ChangeRequest.created_at.desc())
        .limit(1)
    )


def _same_listing(statement, listing: Listing):
    if isinstance(listing, Organization):
        return statement.where(
            ChangeRequest.organization_id == listing.id,
            ChangeRequest.resource_type == "organization",
        )
    return statement.where(
        ChangeRequest.service_id == listing.id, ChangeRequest.resource_type == "service"
    )


def propose(
    session: Session, account: Account, listing: Listing, proposed: dict[str, Any]
) -> ChangeRequest | None:
    """A change request holding only the changed fields (`after`) and their current values
    (`before`); None when nothing changed. Older pending requests for the same listing are
    withdrawn: the edit form started from them, so the new request carries their changes."""
    before, after = differences(fields.snapshot(listing), proposed)
    now = clock.utc_now()
    older = session.scalars(
        _same_listing(select(ChangeRequest), listing).where(
            ChangeRequest.status == RequestStatus.PENDING
        )
    ).all()
    for request in older:
        request.status = RequestStatus.WITHDRAWN
        request.decided_at = now
    if not after:
        session.flush()
        return None
    request = ChangeRequest(
        organization_id=organization_of(listing),
        service_id=None if isinstance(listing, Organization) else listing.id,
        resource_type=fields.resource_type(listing),
        proposed_by_id=account.id,
        before=before,
        after=after,
        created_at=now,
    )
    session.add(request)
    session.flush()
    return request


def publish(
    session: Session,
    account: Account | None,
    listing: Listing,
    changes: dict[str, Any],
    change_request: ChangeRequest | None = None,
) -> list[ListingChange]:
    """Write the changed fields of `changes` onto `listing` and record each one."""
    before, after = differences(fields.snapshot(listing), changes)
    if not after:
        return []
    fields.apply(session, listing, after)
    now = clock.utc_now()
    listing.last_modified = now  # the outbox hook then records every affected service
    session.flush()  # a new service gets its id
    author_id = account.id if account is not None else None
    records = [
        ListingChange(
            organization_id=organization_of(listing),
            resource_type=fields.resource_type(listing),
            resource_id=listing.id,
            field_name=name,
            previous_value=_as_text(before[name]),
            replacement_value=_as_text(value),
            updated_by_id=author_id,
            change_request_id=change_request.id if change_request else None,
            created_at=now,
        )
        for name, value in after.items()
    ]
    # The facts now come from the organisation itself, whatever wrote them first.
    from_member = account is not None and account.role is Role.ORGANIZATION_MEMBER
    if from_member and listing.provenance is not Provenance.ORGANIZATION:
        records.append(
            ListingChange(
                organization_id=organization_of(listing),
                resource_type=fields.resource_type(listing),
                resource_id=listing.id,
                field_name="provenance",
                previous_value=_as_text(listing.provenance.value),
                replacement_value=_as_text(Provenance.ORGANIZATION.value),
                updated_by_id=author_id,
                change_request_id=change_request.id if change_request else None,
                created_at=now,
            )
        )
        listing.provenance = Provenance.ORGANIZATION
    session.add_all(records)
    session.flush()
    return records


def _as_text(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def from_text(value: str | None) -> Any:
    return None if value is None else json.loads(value)


def stale_fields(listing: Listing, request: ChangeRequest) -> tuple[str, ...]:
    """Fields changed by someone else since the request was made."""
    current = fields.snapshot(listing)
    return tuple(name for name, value in request.before.items() if current.get(name) != value)


def approve(session: Session, coordinator: Account, request: ChangeRequest) -> list[ListingChange]:
    """Publish a pending request. Refused when the listing changed meanwhile (the coordinator
    would otherwise overwrite someone else's newer values without seeing them)."""
    if request.status is not RequestStatus.PENDING:
        raise ModerationError("not_pending")
    author = request.proposed_by or coordinator
    if request.service_id is None and request.resource_type == "service":
        listing: Listing = new_service(session, author, request.organization)
    else:
        listing = request.service if request.service_id else request.organization
        stale = stale_fields(listing, request)
        if stale:
            raise ModerationError("stale", stale)
    records = publish(session, author, listing, request.after, change_request=request)
    if request.service_id is None and request.resource_type == "service":
        request.service_id = listing.id
    request.status = RequestStatus.APPROVED
    request.decided_by_id = coordinator.id
    request.decided_at = clock.utc_now()
    session.flush()
    return records


def reject(session: Session, coordinator: Account, request: ChangeRequest, reason: str) -> None:
    """Turn a pending request down, saying why (the member reads the reason)."""
    if request.status is not RequestStatus.PENDING:
        raise ModerationError("not_pending")
    reason = (reason or "").strip()
    if not reason:
        raise ModerationError("needs_reason")
    if len(reason) > REASON_MAX:
        raise ModerationError("reason_too_long")
    request.status = RequestStatus.REJECTED
    request.reason = reason
    request.decided_by_id = coordinator.id
    request.decided_at = clock.utc_now()
    session.flush()


def trust(session: Session, request: ChangeRequest, trusted: bool = True) -> Membership | None:
    """Let the author of `request` publish directly for its organisation from now on."""
    if request.proposed_by_id is None:
        return None
    membership = session.get(Membership, (request.proposed_by_id, request.organization_id))
    if membership is not None:
        membership.is_trusted = trusted
        session.flush()
    return membership
