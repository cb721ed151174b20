"""`flask hsds import`: listings from another social map's HSDS 3.0 data, by id, in one go.

A JSON file (one HSDS service, organization or service_at_location document, a list of them,
or an API page with `contents`) and a CSV data package become the same rows, table by table,
which pass three steps before anything is written:

1. checked: every value against its HSDS field (UUIDs, dates, times, numbers, enumerations,
   required fields, ids used once) and against what our tables can hold (lengths, whole
   numbers);
2. linked: every reference must lead to a row of the package or of the database. A record
   that cannot do without the link (HSDS requires it, or it is the record's only owner: a
   service's organisation, an address's location) stops the import. A link the record can
   do without (an organisation's parent, a location's organisation, one of a contact's
   owners) is left out, and the report names it: the official example package has five;
3. written: each record is created, or updated when its id exists, through the normal
   session, so the search outbox records every service that changed and the import is
   searchable as soon as it is committed. Organisations and services get provenance
   IMPORTED and a note naming the file they came from.

(`reading`, `checking`, `linking` and `writing`, one module each; `mapping` says where each
HSDS field goes in our model.)

A problem in step 1 or 2 stops the import with the file, the row and the problem before any
write; the command commits once at the end (or rolls back, for a dry run or a failure), so a
failed import leaves the database as it was.

What HSDS holds but our model does not is skipped and reported, never dropped in silence:
- tables: programs, funding, cost options, required documents, metadata (our history of
  changes is our own), meta table descriptions;
- fields marked `held=False` in `tabular`: an organisation's tax status, tax id, year of
  incorporation and logo; a service's program, alternate name, wait time, fees,
  accreditations, licences, alert, assurer email (our assurer is a name) and last_modified
  (ours says when our record changed); a schedule's timezone, count, byweekno, bymonthday
  and byyearday; an accessibility row's id, details and url (a location keeps its
  accessibility in words and four features);
- attributes that tag anything but a service (we tag services with kinds of help);
- languages outside our list, and schedules our opening hours cannot say (no weekday;
  closing at or before opening, as overnight hours do);
- an optional value longer than our column keeps (a required one stops the import).

Texts: HSDS gives one name and description per record. They are stored as the listing's
original text, in the language the record says (our profile's `text_language`) or else the
one the operator names with `--language`: there is no default, since Brussels data comes in
Dutch and French alike and a wrong guess would label every text wrongly. A text the listing
already holds, in any language, counts as unchanged.

Our profile's other fields are read back too (summary, machine translation, relay
organisation, Brussels places, confidentiality), so our own export imports again. An import
may make a location confidential, never the reverse, and an empty value never clears what a
confidential location keeps (an export leaves its address and directions out).

Kinds of help: an imported taxonomy term belongs to its own taxonomy (one is made from the
term's `taxonomy` name when the package does not describe it) and tags services through
attributes, as ours do. Our own taxonomy (loaded by `flask seed`) is never changed by an
import, and nothing is ever deleted: a record missing from the file stays.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from directory.exchange.importing.checking import check_rows
from directory.exchange.importing.linking import Linker
from directory.exchange.importing.reading import read_rows
from directory.exchange.importing.report import ImportFailed, ImportReport, Problem
from directory.exchange.importing.writing import Writer

__all__ = ["ImportFailed", "ImportReport", "Problem", "import_path"]


def import_path(session: Session, path: Path, locale: str | None) -> ImportReport:
    """Read, check, link and write the HSDS data at `path` in `session` (flushed, not
    committed: the caller commits, or rolls back for a dry run). `locale`: the language of
    texts whose records do not say it. Raises ImportFailed, with nothing written, when the
    data cannot be imported as it is."""
    report = ImportReport(str(path))
    records = check_rows(read_rows(path, report), report, locale)
    with session.no_autoflush:
        Linker(session, records, report).run()
        Writer(session, records, report, locale).run()
    return report
