"""Every change to catalogue data writes an outbox row in the same transaction.

A session event looks at what a flush is about to write and records the services whose search
document changes. Bulk statements bypass it: their callers rebuild the index.
"""

from __future__ import annotations

import uuid

from flask import Flask
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from directory.models import (
    Attribute,
    Closure,
    Language,
    Location,
    Organization,
    OrganizationText,
    Schedule,
    SearchOutbox,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceText,
    TaxonomyTerm,
    TaxonomyTermLabel,
)

PENDING = "search_outbox_written"
_SERVICE_CHILDREN = (ServiceText, Language, ServiceArea, Schedule, Closure, ServiceAtLocation)


def _ensure_id(instance) -> uuid.UUID:
    # Column defaults apply at INSERT; give new rows their id now so we can name them.
    if instance.id is None:
        instance.id = uuid.uuid4()
    return instance.id


def _services_touched(session: Session, instance) -> set[uuid.UUID]:
    if isinstance(instance, Service):
        return {_ensure_id(instance)}
    if isinstance(instance, _SERVICE_CHILDREN):
        if instance.service_id:
            return {instance.service_id}
        service = getattr(instance, "service", None)
        return {_ensure_id(service)} if service is not None else set()
    if isinstance(instance, Attribute) and instance.link_entity == "service":
        return {instance.link_id} if instance.link_id else set()
    if isinstance(instance, Organization):
        return {_ensure_id(s) for s in instance.services}
    if isinstance(instance, OrganizationText):
        organization = instance.organization
        return {_ensure_id(s) for s in organization.services} if organization else set()
    if isinstance(instance, Location):  # its place is where the services there are found
        if instance.id is None:
            return set()
        with session.no_autoflush:
            return set(
                session.scalars(
                    select(ServiceAtLocation.service_id).where(
                        ServiceAtLocation.location_id == instance.id
                    )
                )
            )
    if isinstance(instance, TaxonomyTerm | TaxonomyTermLabel):
        term_id = instance.id if isinstance(instance, TaxonomyTerm) else instance.term_id
        if term_id is None:
            return set()
        with session.no_autoflush:
            return set(
                session.scalars(
                    select(Attribute.link_id).where(
                        Attribute.taxonomy_term_id == term_id, Attribute.link_entity == "service"
                    )
                )
            )
    return set()


def init_app(_app: Flask) -> None:
    """Every session of the process records its changes (once, whatever the number of apps)."""
    if not event.contains(Session, "before_flush", _record_changes):
        event.listen(Session, "before_flush", _record_changes)


def _record_changes(session: Session, _context, _instances) -> None:
    touched: set[uuid.UUID] = set()
    for instance in (*session.new, *session.dirty, *session.deleted):
        if isinstance(instance, SearchOutbox):
            continue
        if instance in session.dirty and not session.is_modified(instance):
            continue
        touched |= _services_touched(session, instance)
    if touched:
        _serialise_outbox_writers(session)
        session.add_all(SearchOutbox(service_id=service_id) for service_id in sorted(touched))
        session.info[PENDING] = True


OUTBOX_LOCK = 0x4E41424A  # "NABJ": the advisory lock that orders outbox writers


def _serialise_outbox_writers(session: Session) -> None:
    """Make outbox ids follow commit order.

    The index remembers the last outbox id it applied and later reads `id > that`. On
    PostgreSQL a sequence hands out ids at insert time, so a transaction holding id 10 could
    commit after one holding id 11 has been applied, and id 10 would never be read. Writers
    of outbox rows therefore take a lock held until their commit. (SQLite already lets one
    writer at a time hold the database.) Catalogue edits are rare; the wait is short.
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(select(func.pg_advisory_xact_lock(OUTBOX_LOCK)))
