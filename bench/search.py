"""Search benchmark: one command, prints its figures.

    .venv/bin/python bench/search.py [--sizes 10000 50000] [--queries 300]
                                     [--pg-url postgresql+psycopg://...] [--no-pg]

For each size it builds a synthetic catalogue in a temporary SQLite database, then measures
- the full rebuild of the index (`flask search rebuild`'s function);
- p50/p95 of 300 representative queries (100 text only, 100 filters only, 100 text plus three
  filters with every count) through `run_search`, the function the search page calls;
- the anchor (`bench/pg_fts.py`): the same documents in PostgreSQL full-text search (one
  weighted tsvector, GIN indexes, in a schema of its own, dropped afterwards), the same
  queries answered there in one statement each (page, total and every facet count), each
  right after ours; p50/p95 of both and the ratio of the p95s. Skipped, with a note, when
  PostgreSQL cannot be reached (`--pg-url`, default the local `test` database) or with
  `--no-pg`;
- under gunicorn with 2 workers on loopback: p50/p95 and requests per second of the search
  page (50 addresses, each asked for again and again) against `/healthz` of the same app in
  the same run (in turns, five slices each), and each worker's peak memory; and, when `wrk`
  is installed, the same two rates with it as the client (the Python client limits
  /healthz, which flatters the ratio), then once more with no page kept whole
  (SEARCH_PAGES_KEPT=0), as for searches nobody made in the same minute.
Targets at 50,000 services: text + three filters with every count p95 <= 20 ms and at
most 1.5 times PostgreSQL's p95 in the same run; full rebuild <= 60 s; search page
throughput >= 40% of the trivial endpoint with wrk as the client; peak memory per worker
< 300 MB.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from bench import pg_fts, serving  # noqa: E402
from directory import clock, schema  # noqa: E402
from directory.catalogue import gaps, search_params, searching  # noqa: E402
from directory.extensions import db  # noqa: E402
from directory.indexing import sync  # noqa: E402
from directory.seeding.loader import load_seeds  # noqa: E402
from directory.seeding.synthetic import make_synthetic_catalogue  # noqa: E402
from search import SearchRequest  # noqa: E402

TEXTS = [
    "boodschappen",
    "courses",
    "shopping",
    "taallessen",
    "cours de français",
    "huiswerk",
    "maaltijden",
    "repas",
    "home care",
    "thuiszorg",
    "Molenbeek",
    "Schaerbeek",
    "1030",
    "Sint-Gillis",
    "digitale hulp",
    "aide administrative",
    "psychologische hulp",
    "ontmoeting",
    "dagcentrum",
    "buurthuis",
    "entraide",
    "Maison de quartier",
    "Burenhulp Marollen",
    "vervoer",
    "transport adapté",
    "schulden",
    "dettes",
    "Kuregem",
    "Matonge",
    "klusjes",
]
HELP = [
    "shopping",
    "company-visits",
    "meals",
    "language-classes",
    "home-care",
    "paperwork",
    "digital-help",
    "meeting-places",
    "social-network",
    "care",
    "well-being",
    "gp",
]
LANGS = ["nl", "fr", "en", "ar", "tr", "es", "pl", "ro"]
ROUNDS = 5  # turns of /healthz and the search page under gunicorn


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def representative_queries(count: int, rng: random.Random, places: list[str]) -> list[tuple]:
    per = count // 3
    queries = []
    for _ in range(per):
        queries.append(("text only", {"q": rng.choice(TEXTS)}))
    for _ in range(per):
        queries.append(
            (
                "filters only",
                {"place": rng.choice(places), "lang": rng.choice(LANGS), "help": rng.choice(HELP)},
            )
        )
    for _ in range(count - 2 * per):
        queries.append(
            (
                "text + 3 filters",
                {
                    "q": rng.choice(TEXTS),
                    "place": rng.choice(places),
                    "lang": rng.choice(LANGS),
                    "free": "1",
                },
            )
        )
    rng.shuffle(queries)
    return queries


def build(size: int, workdir: Path) -> tuple[str, Path, float, float]:
    url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    index_dir = workdir / "index"
    schema.upgrade(url)
    app = create_app(
        {"DATABASE_URL": url, "SEARCH_INDEX_DIR": str(index_dir), "SEARCH_CHECK_ON_START": False}
    )
    with app.app_context():
        reference = workdir / "seeds"
        shutil.copytree(ROOT / "seeds", reference, ignore=shutil.ignore_patterns("catalogue"))
        started = time.perf_counter()
        with db.transaction() as session:
            load_seeds(session, reference)
            make_synthetic_catalogue(session, size)
        generated = time.perf_counter() - started
        started = time.perf_counter()
        sync.rebuild(app)
        rebuilt = time.perf_counter() - started
    app.extensions["database.engine"].dispose()
    return url, index_dir, generated, rebuilt


def in_process(
    url: str, index_dir: Path, count: int, anchor: pg_fts.Anchor | None = None
) -> tuple[dict[str, list[float]], dict[str, list[float]], dict[str, int]]:
    """Timings of `run_search` by kind of query; with an anchor, each query also goes to
    PostgreSQL right after (in turns, so a machine slowing down weighs on both), and the
    queries where both found as many results are counted."""
    app = create_app(
        {"DATABASE_URL": url, "SEARCH_INDEX_DIR": str(index_dir), "SEARCH_CHECK_ON_START": False}
    )
    rng = random.Random(7)
    timings: dict[str, list[float]] = {}
    anchored: dict[str, list[float]] = {}
    same_total: dict[str, int] = {}
    with app.test_request_context("/nl/search"):
        session = db.session()
        words = search_params.vocabulary(lambda: session)
        places = [*words.neighbourhoods, *words.municipalities]
        queries = representative_queries(count, rng, places)
        # Warm-up, the same for both: a query of each kind (the index opened, PostgreSQL's
        # statements planned and its pages in memory).
        for kind in ("text only", "filters only", "text + 3 filters"):
            args = next(a for k, a in queries if k == kind)
            params = search_params.read_params(_multidict(args), words)
            searching.run_search(params, words, "nl", clock.now())
            session.rollback()
            if anchor is not None:
                anchor.search(engine_request(params, words))
        for kind, args in queries:
            params = search_params.read_params(_multidict(args), words)
            started = time.perf_counter()
            outcome = searching.run_search(params, words, "nl", clock.now())
            timings.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
            session.rollback()
            if anchor is not None:
                request = engine_request(params, words)
                started = time.perf_counter()
                found = anchor.search(request)
                anchored.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
                same = found.total == outcome.result.total
                same_total[kind] = same_total.get(kind, 0) + same
        gaps.write_pending()  # while the database exists, not at exit after it was removed
    app.extensions["database.engine"].dispose()
    return timings, anchored, same_total


def engine_request(params: search_params.SearchParams, words) -> SearchRequest:
    """What `run_search` asks the engine (the anchor answers the same request)."""
    return SearchRequest(
        text=params.text,
        filters=params.filters(words),
        offset=(params.page - 1) * searching.PER_PAGE,
        limit=searching.PER_PAGE,
        count_neighbourhoods=searching.neighbourhoods_to_count(params, words),
    )


def with_anchor(pg_url: str, database_url: str) -> pg_fts.Anchor | None:
    """The PostgreSQL anchor loaded with this catalogue, or None (and why) when PostgreSQL
    cannot be had."""
    try:
        anchor = pg_fts.Anchor.connect(pg_url)
    except Exception as error:  # no driver, nothing listening, refused: the bench goes on
        print(f"PostgreSQL anchor skipped: {pg_fts.first_line(error)}")
        return None
    try:
        loaded = anchor.load(database_url)
    except Exception as error:
        print(f"PostgreSQL anchor skipped: loading failed: {pg_fts.first_line(error)}")
        anchor.close()
        return None
    print(
        f"PostgreSQL FTS anchor: {loaded.documents:,} documents in {anchor.schema}, "
        f"built {loaded.built:.1f} s, copied with tsvectors {loaded.copied:.1f} s, "
        f"GIN indexes {loaded.indexed:.1f} s, {loaded.megabytes:.0f} MB; {loaded.unaccent}"
    )
    return anchor


def print_side_by_side(
    timings: dict[str, list[float]], anchored: dict[str, list[float]], same_total: dict[str, int]
) -> None:
    print(
        f"{'in-process, ms':<18} {'Nabij p50':>9} {'p95':>6}   {'PostgreSQL p50':>14} {'p95':>6}"
        f"   {'p95 ratio':>9}   same total"
    )
    for kind in ("text only", "filters only", "text + 3 filters"):
        ours, theirs = timings[kind], anchored[kind]
        ours_95, theirs_95 = percentile(ours, 0.95), percentile(theirs, 0.95)
        print(
            f"{kind:<18} {percentile(ours, 0.5):9.1f} {ours_95:6.1f}   "
            f"{percentile(theirs, 0.5):14.1f} {theirs_95:6.1f}   {ours_95 / theirs_95:9.2f}"
            f"   {same_total.get(kind, 0):>3}/{len(ours)}"
        )
    print("target (text + 3 filters): Nabij p95 <= 20 ms and p95 ratio <= 1.5")


def _multidict(args: dict):
    from werkzeug.datastructures import MultiDict

    return MultiDict(args)


def load(
    port: int, paths: list[str], seconds: float, clients: int = 4, max_requests: int = 5000
) -> tuple[list[float], float]:
    """Bounded in time and count; loopback only."""
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    counter = iter(range(max_requests))

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        n = offset
        while time.monotonic() < deadline and next(counter, None) is not None:
            path = paths[n % len(paths)]
            n += clients
            started = time.perf_counter()
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            elapsed = (time.perf_counter() - started) * 1000
            if response.status != 200:
                raise RuntimeError(f"{path}: HTTP {response.status}")
            with lock:
                latencies.append(elapsed)
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, len(latencies) / (time.perf_counter() - started)


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def served_env(url: str, index_dir: Path, **extra: str) -> dict[str, str]:
    return {
        "DATABASE_URL": url,
        "SEARCH_INDEX_DIR": str(index_dir),
        "NABIJ_INSTANCE_DIR": str(index_dir.parent),
        **extra,
    }


def served_search_paths() -> list[str]:
    """The search pages asked for under gunicorn: 50 addresses, each asked for again and
    again (text and three filters)."""
    rng = random.Random(11)
    words = ["boodschappen", "courses", "taallessen", "repas", "Molenbeek", "klusjes"]
    places = ["8", "21", "63", "21012", "21015", "1030", "48"]
    return [
        "/nl/search?"
        + urlencode(
            {
                "q": rng.choice(words),
                "place": rng.choice(places),
                "lang": rng.choice(LANGS),
                "free": "1",
            }
        )
        for _ in range(50)
    ]


def under_gunicorn(url: str, index_dir: Path, seconds: float) -> dict:
    with serving.serve(served_env(url, index_dir), workers=2) as (port, server):
        search_paths = served_search_paths()
        load(port, search_paths + ["/healthz"], 3)  # warm up both workers
        # Both endpoints in turns, ROUNDS slices each: a machine that slows down or speeds
        # up during the run (a shared VM does) weighs on both alike.
        trivial, page = [], []
        trivial_time = page_time = 0.0
        for _ in range(ROUNDS):
            for latencies, paths in ((trivial, ["/healthz"]), (page, search_paths)):
                started = time.perf_counter()
                measured, _rps = load(port, paths, seconds / ROUNDS)
                elapsed = time.perf_counter() - started
                latencies.extend(measured)
                if paths == search_paths:
                    page_time += elapsed
                else:
                    trivial_time += elapsed
        trivial_rps, page_rps = len(trivial) / trivial_time, len(page) / page_time
        with_wrk = wrk_rates(port, search_paths, seconds) if shutil.which("wrk") else None
        workers = subprocess.run(
            ["pgrep", "-P", str(server.pid)], capture_output=True, text=True
        ).stdout.split()
        memory = [peak_rss_mb(int(pid)) for pid in workers]
    return {
        "trivial": trivial,
        "trivial_rps": trivial_rps,
        "page": page,
        "page_rps": page_rps,
        "memory": memory,
        "wrk": with_wrk,
    }


def every_page_drawn(url: str, index_dir: Path, seconds: float) -> tuple[float, float]:
    """The wrk rates with no search page kept whole (SEARCH_PAGES_KEPT=0): what a search
    page costs when nobody asked for the same address in the same minute."""
    env = served_env(url, index_dir, SEARCH_PAGES_KEPT="0")
    with serving.serve(env, workers=2) as (port, _server):
        search_paths = served_search_paths()
        load(port, search_paths + ["/healthz"], 3)
        return wrk_rates(port, search_paths, seconds)


WRK_SCRIPT = """
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
"""


def wrk_rates(port: int, paths: list[str], seconds: float) -> tuple[float, float]:
    """Requests per second of /healthz and of the search page with wrk, in turns as above.

    The bench's own client is Python: at a few thousand requests per second it is the
    bottleneck for /healthz, which flatters the ratio. wrk (Debian's package, optional)
    costs the machine far less."""
    with tempfile.TemporaryDirectory() as scratch:
        listed, script = Path(scratch) / "paths.txt", Path(scratch) / "paths.lua"
        listed.write_text("\n".join(paths))
        script.write_text(WRK_SCRIPT)
        env = {**os.environ, "BENCH_PATHS": str(listed)}
        base = f"http://127.0.0.1:{port}"
        done = {"trivial": [0.0, 0.0], "page": [0.0, 0.0]}  # requests, seconds
        slice_seconds = max(1, round(seconds / ROUNDS))
        for _ in range(ROUNDS):
            for name, extra in (
                ("trivial", [f"{base}/healthz"]),
                ("page", ["-s", str(script), base]),
            ):
                output = subprocess.run(
                    ["wrk", "-t1", "-c4", f"-d{slice_seconds}s", *extra],
                    capture_output=True,
                    text=True,
                    env=env,
                    check=True,
                ).stdout
                if "Non-2xx" in output:
                    raise RuntimeError(f"wrk: {name} answered with errors\n{output}")
                rate = float(output.split("Requests/sec:")[1].split()[0])
                done[name][0] += rate * slice_seconds
                done[name][1] += slice_seconds
    return done["trivial"][0] / done["trivial"][1], done["page"][0] / done["page"][1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=10.0, help="per load phase")
    parser.add_argument(
        "--pg-url",
        default=pg_fts.DEFAULT_URL,
        help="PostgreSQL for the full-text search anchor (default: %(default)s)",
    )
    parser.add_argument("--no-pg", action="store_true", help="skip the PostgreSQL anchor")
    args = parser.parse_args()
    for size in args.sizes:
        workdir = Path(tempfile.mkdtemp(prefix=f"nabij-bench-{size}-"))
        try:
            url, index_dir, generated, rebuilt = build(size, workdir)
            print(f"\n== {size:,} services ==")
            print(f"synthetic catalogue generated in {generated:.1f} s")
            print(f"full index rebuild: {rebuilt:.1f} s (target <= 60 s at 50,000)")
            anchor = None if args.no_pg else with_anchor(args.pg_url, url)
            try:
                timings, anchored, same_total = in_process(url, index_dir, args.queries, anchor)
            finally:
                if anchor is not None:
                    anchor.close()
            for kind in ("text only", "filters only", "text + 3 filters"):
                values = timings[kind]
                p50, p95 = percentile(values, 0.5), percentile(values, 0.95)
                print(
                    f"run_search, {kind:<17} n={len(values):>3}  "
                    f"p50 {p50:6.1f} ms  p95 {p95:6.1f} ms"
                )
            if anchored:
                print_side_by_side(timings, anchored, same_total)
            served = under_gunicorn(url, index_dir, args.seconds)
            for name in ("trivial", "page"):
                values = served[name]
                label = "/healthz" if name == "trivial" else "search page"
                p50, p95 = percentile(values, 0.5), percentile(values, 0.95)
                print(
                    f"gunicorn 2 workers, {label:<12} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms"
                    f"  {served[name + '_rps']:7.1f} req/s"
                )
            ratio = served["page_rps"] / served["trivial_rps"]
            print(f"search page throughput = {ratio:.0%} of /healthz (target >= 40%, with wrk)")
            if served["wrk"]:
                trivial_rps, page_rps = served["wrk"]
                print(
                    f"with wrk as the client: /healthz {trivial_rps:.0f} req/s, search page "
                    f"{page_rps:.0f} req/s = {page_rps / trivial_rps:.0%} of /healthz"
                )
                trivial_rps, page_rps = every_page_drawn(url, index_dir, args.seconds)
                print(
                    f"with wrk, every page drawn (SEARCH_PAGES_KEPT=0): /healthz "
                    f"{trivial_rps:.0f} req/s, search page {page_rps:.0f} req/s = "
                    f"{page_rps / trivial_rps:.0%} of /healthz"
                )
            else:
                print("(install wrk for the same ratio with a lighter client)")
            print(
                "peak memory per worker: "
                + ", ".join(f"{m:.0f} MB" for m in served["memory"])
                + " (target < 300 MB)"
            )
        finally:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
