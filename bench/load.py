"""Load benchmark: simulated people against gunicorn on loopback, then what was kept.

    .venv/bin/python bench/load.py [--database sqlite|postgresql|both] [--users 50]
                                   [--minutes 10] [--workers 2]
                                   [--pg-url postgresql+psycopg://postgres@127.0.0.1:5432/test]

For each database: a fresh one (an SQLite file in a temporary folder; in PostgreSQL a schema
of its own, dropped afterwards), migrated, with the seed catalogue, its search index, an
info point with its workers' accounts and a few organisations each with a trusted member.
Then gunicorn (`--workers`, no control socket) serves it on 127.0.0.1 and Locust
(`bench/load_users.py`, headless) plays `--users` people for `--minutes`: 80% searches,
15% organisation and service pages, 5% writes (referrals sent by info-point workers, edits
of an organisation's listing by its trusted members, each account signed in once).

Afterwards, with gunicorn stopped: every referral the server acknowledged (303 to the
referral's page) is in the database with its submission key; every acknowledged listing
edit is recorded (`listing_change`) and the last one of each organisation is its text; the
search index agrees with the database (`sync.health`: as many documents as active services,
every outbox row applied, the same content fingerprint as documents built from the
database now) and finds each edited organisation's services by the word its last edit added.

One table per database: requests, 5xx, p50/p95 per kind, acknowledged and lost writes,
index equal. Exits non-zero when any request got a 5xx or no answer, a write was lost or
the index differs. Targets: 0 x 5xx, 0 lost writes.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.orm import selectinload  # noqa: E402

from app import create_app  # noqa: E402
from bench import serving  # noqa: E402
from bench.search import percentile, representative_queries  # noqa: E402
from directory import schema  # noqa: E402
from directory.accounts import passwords  # noqa: E402
from directory.catalogue import queries as catalogue_queries  # noqa: E402
from directory.catalogue.search_params import Vocabulary  # noqa: E402
from directory.extensions import db  # noqa: E402
from directory.i18n import SUPPORTED_LOCALES  # noqa: E402
from directory.indexing import sync  # noqa: E402
from directory.models import (  # noqa: E402
    Account,
    ListingChange,
    Membership,
    Organization,
    OrganizationKind,
    Referral,
    Role,
    ServiceStatus,
)
from directory.seeding.loader import load_seeds  # noqa: E402
from search import IndexUnavailable, SearchRequest  # noqa: E402

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
LOCUSTFILE = ROOT / "bench" / "load_users.py"
BIN = Path(sys.executable).parent
PASSWORD = "load bench password"  # noqa: S105 (accounts of a throwaway database)
# In the order of the table; the writes are the POSTs, the forms their GETs.
KINDS = (
    "search",
    "view",
    "referral write",
    "listing write",
    "referral form",
    "listing form",
    "sign-in",
)
THINK_SECONDS = 2.0  # mean pause between two actions of a person (load_users.py)
WRITE_SHARE = 0.025  # of actions, for each of the two kinds of write
REFERRALS_PER_ACCOUNT = 25  # as load_users.py


@dataclass
class KindFigures:
    requests: int
    server_errors: int  # 5xx
    no_answer: int  # connection refused or reset, timeout
    client_errors: int  # 4xx
    p50: float
    p95: float


@dataclass
class Outcome:
    database: str
    users: int
    minutes: float
    workers: int
    kinds: dict[str, KindFigures] = field(default_factory=dict)
    acknowledged: dict[str, int] = field(default_factory=dict)
    refused: dict[str, int] = field(default_factory=dict)
    lost: list[str] = field(default_factory=list)
    index_equal: bool = False
    index_notes: list[str] = field(default_factory=list)
    server_log: dict[str, int] = field(default_factory=dict)
    failed_after: dict[str, list[float]] = field(default_factory=dict)  # ms, 5xx or no answer
    load_average: tuple[float, float] = (0.0, 0.0)  # 1-minute load at start and end

    @property
    def server_errors(self) -> int:
        return sum(figures.server_errors for figures in self.kinds.values())

    @property
    def no_answer(self) -> int:
        return sum(figures.no_answer for figures in self.kinds.values())

    @property
    def ok(self) -> bool:
        return not (self.server_errors or self.no_answer or self.lost) and self.index_equal


# -- the database -------------------------------------------------------------------------


@contextmanager
def scratch_database(database: str, workdir: Path, pg_url: str) -> Iterator[str]:
    """The URL of an empty database: an SQLite file in `workdir`, or a PostgreSQL schema of
    its own (in the URL's search_path) that is dropped at the end."""
    if database == "sqlite":
        yield f"sqlite:///{workdir / 'load.sqlite3'}"
        return
    name = f"nabij_load_{secrets.token_hex(6)}"
    admin = create_engine(pg_url, connect_args={"connect_timeout": 10})
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{name}"'))
        url = make_url(pg_url).update_query_dict({"options": f"-csearch_path={name}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        admin.dispose()


def make_app(url: str, workdir: Path, secret_key: str):
    return create_app(
        {
            "DATABASE_URL": url,
            "SEARCH_INDEX_DIR": str(workdir / "index"),
            "SEARCH_CHECK_ON_START": False,
            "SECRET_KEY": secret_key,
            "MAIL_OUTBOX_DIR": str(workdir / "instance" / "mail-outbox"),
        }
    )


def prepare(url: str, workdir: Path, users: int, minutes: float, secret_key: str) -> dict:
    """Migrate, seed, add the accounts and build the index; returns the plan the locustfile
    follows (everything it needs to know, as JSON)."""
    schema.upgrade(url)
    app = make_app(url, workdir, secret_key)
    desks = max(2, math.ceil(users / 10))  # of each kind of write
    expected = users * minutes * 60 / THINK_SECONDS * WRITE_SHARE  # referrals
    account_count = desks + math.ceil(1.5 * expected / REFERRALS_PER_ACCOUNT) + 2
    rng = random.Random(17)
    with app.app_context():
        with db.transaction() as session:
            load_seeds(session, ROOT / "seeds")
        with db.transaction() as session:
            organizations = sorted(
                session.scalars(
                    select(Organization).options(
                        selectinload(Organization.texts), selectinload(Organization.services)
                    )
                ),
                key=lambda org: str(org.id),
            )
            active = {
                org.id: [s.id for s in org.services if s.status is ServiceStatus.ACTIVE]
                for org in organizations
            }
            info_point = next(
                org for org in organizations if org.kind is OrganizationKind.PUBLIC_SERVICE
            )
            candidates = [
                org
                for org in organizations
                if org.id != info_point.id and active[org.id] and "nl" in org.texts
            ]
            edited = rng.sample(candidates, desks)
            hashed = passwords.hash_password(PASSWORD)  # once: scrypt is slow on purpose
            workers = []
            for number in range(account_count):
                account = Account(
                    email=f"worker-{number}@load.example.org",
                    display_name=f"Worker {number}",
                    role=Role.INFO_POINT_WORKER,
                    password_hash=hashed,
                    is_active=True,
                )
                account.memberships.append(Membership(organization_id=info_point.id))
                session.add(account)
                workers.append(account.email)
            editors = []
            for number, org in enumerate(edited):
                account = Account(
                    email=f"member-{number}@load.example.org",
                    display_name=f"Member {number}",
                    role=Role.ORGANIZATION_MEMBER,
                    password_hash=hashed,
                    is_active=True,
                )
                account.memberships.append(Membership(organization_id=org.id, is_trusted=True))
                session.add(account)
                editors.append(
                    {
                        "email": account.email,
                        "organization": str(org.id),
                        "name": org.texts["nl"].name,
                        "summary": org.texts["nl"].summary or "",
                    }
                )
            words = Vocabulary.load(session)
            places = [*words.neighbourhoods, *words.municipalities, *words.postcodes]
            need_terms = [
                term.code
                for domain in catalogue_queries.kinds_of_help(session)
                for term in domain.children
            ]
            views = [f"/organizations/{org.id}" for org in organizations] + [
                f"/services/{service}" for services in active.values() for service in services
            ]
        sync.rebuild(app)
    app.extensions["database.engine"].dispose()
    return {
        "password": PASSWORD,
        "referral_desks": desks,
        "referral_accounts": workers,
        "editors": editors,
        "referral_services": [str(s) for org in edited for s in active[org.id]],
        "need_terms": need_terms,
        "languages": list(SUPPORTED_LOCALES),
        "queries": [args for _kind, args in representative_queries(3000, rng, places)],
        "views": views,
        "output": str(workdir / "results.json"),
    }


# -- the server and the people ------------------------------------------------------------


@contextmanager
def gunicorn(url: str, workdir: Path, workers: int, secret_key: str) -> Iterator[int]:
    """gunicorn serving the app on a free loopback port (see `bench.serving`)."""
    env = {
        "DATABASE_URL": url,
        "SEARCH_INDEX_DIR": str(workdir / "index"),
        "SECRET_KEY": secret_key,
        "NABIJ_INSTANCE_DIR": str(workdir / "instance"),
    }
    with serving.serve(env, workers, log=workdir / "gunicorn.log") as (port, _server):
        yield port


def warm_up(port: int, plan: dict, workers: int) -> None:
    """A search and a listing page in each language, a few times per worker, before the
    clock starts: each worker compiles its templates and reads its vocabulary once."""
    rng = random.Random(3)
    for _ in range(2 * workers):
        for lang in plan["languages"]:
            query = urlencode(rng.choice(plan["queries"]))
            for path in (f"/{lang}/search?{query}", f"/{lang}{rng.choice(plan['views'])}"):
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                try:
                    connection.request("GET", path)
                    connection.getresponse().read()
                finally:
                    connection.close()


def simulate(plan: dict, port: int, users: int, minutes: float, workdir: Path) -> dict:
    """Locust, headless, in a process of its own (gevent patches the process it runs in);
    returns what the locustfile recorded."""
    plan_file = workdir / "plan.json"
    plan_file.write_text(json.dumps(plan))
    seconds = max(10, round(minutes * 60))
    command = [
        str(BIN / "locust"),
        "--headless",
        "--only-summary",
        "--loglevel",
        "WARNING",
        "-f",
        str(LOCUSTFILE),
        "--host",
        f"http://127.0.0.1:{port}",
        "-u",
        str(users),
        "-r",
        str(users),
        "-t",
        f"{seconds}s",
        "--stop-timeout",
        "30",  # a person finishes what they were doing: a write is acknowledged or not
        "--exit-code-on-error",
        "0",
    ]
    env = {**os.environ, "NABIJ_LOAD_PLAN": str(plan_file)}
    log_path = workdir / "locust.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            process.wait(timeout=seconds + 120)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise RuntimeError("locust did not stop in time") from None
    output = Path(plan["output"])
    if not output.exists():
        tail = log_path.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"locust recorded nothing (exit {process.returncode}):\n{tail}")
    return json.loads(output.read_text())


# -- afterwards ---------------------------------------------------------------------------


def figures(recorded: dict) -> dict[str, KindFigures]:
    result = {}
    names = [*KINDS, *sorted(set(recorded["latencies"]) - set(KINDS))]
    for name in names:
        values = recorded["latencies"].get(name)
        if not values:
            continue
        statuses = Counter({int(code): n for code, n in recorded["statuses"][name].items()})
        result[name] = KindFigures(
            requests=len(values),
            server_errors=sum(n for code, n in statuses.items() if code >= 500),
            no_answer=statuses[0],
            client_errors=sum(n for code, n in statuses.items() if 400 <= code < 500),
            p50=percentile(values, 0.5),
            p95=percentile(values, 0.95),
        )
    return result


def check(url: str, workdir: Path, secret_key: str, recorded: dict, outcome: Outcome) -> None:
    """Fills in the lost writes and whether the index equals the database."""
    referrals = recorded["referrals"]
    attempts = recorded["edits"]
    edits = [edit for edit in attempts if edit["status"] == 303]
    outcome.acknowledged = {"referral": len(referrals), "listing": len(edits)}
    app = make_app(url, workdir, secret_key)
    with app.app_context():
        session = db.session()
        keys = {}
        ids = [uuid.UUID(referral["id"]) for referral in referrals]
        for start in range(0, len(ids), 500):
            keys.update(
                session.execute(
                    select(Referral.id, Referral.submission_key).where(
                        Referral.id.in_(ids[start : start + 500])
                    )
                ).all()
            )
        for referral in referrals:
            if keys.get(uuid.UUID(referral["id"])) != referral["submission_key"]:
                outcome.lost.append(f"referral {referral['id']} (acknowledged, not in database)")

        organization_ids = {uuid.UUID(edit["organization"]) for edit in attempts}
        recorded_changes = {
            (organization_id, field_name, json.loads(value) if value else None)
            for organization_id, field_name, value in session.execute(
                select(
                    ListingChange.organization_id,
                    ListingChange.field_name,
                    ListingChange.replacement_value,
                ).where(
                    ListingChange.organization_id.in_(organization_ids),
                    ListingChange.field_name.in_(("name.nl", "summary.nl")),
                )
            )
        }  # values are stored as JSON
        for edit in edits:
            organization_id = uuid.UUID(edit["organization"])
            for field_name, value in (("name.nl", edit["name"]), ("summary.nl", edit["summary"])):
                if (organization_id, field_name, value) not in recorded_changes:
                    outcome.lost.append(
                        f"edit of {edit['organization']} to {edit['token']}: {field_name} "
                        "not recorded"
                    )
        searched = 0
        index = sync.search_index(app)
        for organization_id in sorted(organization_ids, key=str):
            organization = session.get(Organization, organization_id)
            tried = [e for e in attempts if e["organization"] == str(organization_id)]
            acked = [i for i, e in enumerate(tried) if e["status"] == 303]
            # Its text is the last acknowledged edit, or one sent after it that was not
            # acknowledged (a request cut off after its commit): never an older one.
            allowed = tried[acked[-1] :] if acked else tried
            now = (organization.texts["nl"].name, organization.texts["nl"].summary)
            current = next((e for e in allowed if (e["name"], e["summary"]) == now), None)
            if acked and current is None:
                outcome.lost.append(
                    f"organisation {organization_id}: its text is not its last acknowledged edit"
                )
            if current is None:
                continue
            expected = {
                str(s.id) for s in organization.services if s.status is ServiceStatus.ACTIVE
            }
            found = index.search(SearchRequest(text=current["token"], limit=100))
            searched += 1
            if {listing.id for listing in found.listings} != expected:
                outcome.index_notes.append(
                    f"'{current['token']}' (organisation {organization_id}) finds "
                    f"{found.total} listings, {len(expected)} expected"
                )
        session.rollback()
        db.session.remove()
    health = sync.health(app)
    if health.indexed is None:
        try:
            index.doc_count()
        except IndexUnavailable as error:
            outcome.index_notes.append(f"the index cannot be read: {error}")
    same_content = sync.content_matches(app, index)
    app.extensions["database.engine"].dispose()
    outcome.index_notes.insert(
        0,
        f"{health.indexed} documents for {health.active} active services, outbox applied "
        f"up to {health.applied_upto} of {health.latest_outbox}, content fingerprint "
        f"{'equal' if same_content else 'DIFFERENT'}; {searched} edited organisations "
        "searched by their newest word",
    )
    outcome.index_equal = (
        health.indexed == health.active
        and health.applied_upto == health.latest_outbox
        and same_content
        and len(outcome.index_notes) == 1
    )


def read_server_log(path: Path) -> dict[str, int]:
    log = path.read_text(errors="replace") if path.exists() else ""
    return {
        "tracebacks": log.count("Traceback (most recent call last)"),
        "database is locked": log.count("database is locked"),
        "worker timeouts": log.count("WORKER TIMEOUT"),
    }


def run(
    database: str,
    users: int = 50,
    minutes: float = 10.0,
    workers: int = 2,
    pg_url: str = DEFAULT_PG_URL,
) -> Outcome:
    """One database: prepare it, serve it, load it, check it; everything removed after."""
    outcome = Outcome(database, users, minutes, workers)
    secret_key = secrets.token_hex(32)
    workdir = Path(tempfile.mkdtemp(prefix=f"nabij-load-{database}-"))
    try:
        (workdir / "instance").mkdir()
        with scratch_database(database, workdir, pg_url) as url:
            plan = prepare(url, workdir, users, minutes, secret_key)
            start_load = os.getloadavg()[0]
            with gunicorn(url, workdir, workers, secret_key) as port:
                warm_up(port, plan, workers)
                recorded = simulate(plan, port, users, minutes, workdir)
            outcome.load_average = (start_load, os.getloadavg()[0])
            outcome.kinds = figures(recorded)
            outcome.refused = dict(recorded["refused"])
            outcome.failed_after = dict(recorded["failed_after"])
            outcome.server_log = read_server_log(workdir / "gunicorn.log")
            check(url, workdir, secret_key, recorded, outcome)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return outcome


def table(outcome: Outcome) -> str:
    lines = [
        f"== {outcome.database}: {outcome.users} users, {outcome.minutes:g} min, gunicorn "
        f"{outcome.workers} workers (load average {outcome.load_average[0]:.1f} at start, "
        f"{outcome.load_average[1]:.1f} at end, {os.cpu_count()} cores) ==",
        f"{'kind':<15} {'requests':>8} {'5xx':>5} {'no answer':>9} {'4xx':>5} "
        f"{'p50 ms':>8} {'p95 ms':>8}",
    ]
    for name, kind in outcome.kinds.items():
        lines.append(
            f"{name:<15} {kind.requests:>8} {kind.server_errors:>5} {kind.no_answer:>9} "
            f"{kind.client_errors:>5} {kind.p50:>8.1f} {kind.p95:>8.1f}"
        )
    total = sum(kind.requests for kind in outcome.kinds.values())
    lines.append(
        f"{'all':<15} {total:>8} {outcome.server_errors:>5} {outcome.no_answer:>9} "
        f"{sum(kind.client_errors for kind in outcome.kinds.values()):>5}"
    )
    if outcome.failed_after:
        lines.append(
            "5xx or no answer after (ms): "
            + "; ".join(
                f"{name} " + ", ".join(f"{ms:.0f}" for ms in sorted(values)[:10])
                for name, values in outcome.failed_after.items()
            )
        )
    lines.append(
        f"acknowledged writes: {outcome.acknowledged.get('referral', 0)} referrals, "
        f"{outcome.acknowledged.get('listing', 0)} listing edits"
    )
    if outcome.refused:
        refused = ", ".join(f"{reason}: {n}" for reason, n in sorted(outcome.refused.items()))
        lines.append(f"not acknowledged: {refused}")
    lines.append(f"lost writes: {len(outcome.lost)}")
    lines.extend(f"  {lost}" for lost in outcome.lost[:10])
    lines.append(
        f"index equals database: {'yes' if outcome.index_equal else 'NO'} "
        f"({outcome.index_notes[0] if outcome.index_notes else 'not checked'})"
    )
    lines.extend(f"  {note}" for note in outcome.index_notes[1:10])
    lines.append(
        "server log: " + ", ".join(f"{what}: {n}" for what, n in outcome.server_log.items())
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    args = parser.parse_args()
    # The app reads its key from the environment or keeps one in its instance folder: this
    # run has its own, and writes nothing into the project's instance folder.
    os.environ.setdefault("SECRET_KEY", secrets.token_hex(32))
    databases = ("sqlite", "postgresql") if args.database == "both" else (args.database,)
    failed = False
    for database in databases:
        try:
            outcome = run(database, args.users, args.minutes, args.workers, args.pg_url)
        except Exception as error:
            print(f"== {database}: the benchmark failed: {error}", flush=True)
            failed = True
            continue
        print(table(outcome), flush=True)
        failed |= not outcome.ok
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
