"""Search finds the right door: across languages, by place, with filters and counts, ranked
as a person would expect, and with a way out of zero results."""

from __future__ import annotations

import re
import shutil
import sqlite3
import time
import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, select
from sqlalchemy.engine import make_url

from directory import clock, schema
from directory.catalogue import gaps
from directory.extensions import db
from directory.indexing import sync
from directory.models import Closure, Role, Service, ZeroResultSearch
from search import Filters, LockTimeout, SearchRequest
from search.analysis import build_schema
from tests import factories, search_catalogue
from tests.conftest import seeded_app
from tests.factories import make_account, sign_in
from tests.test_pages import page_text

BRUSSELS = ZoneInfo("Europe/Brussels")
MONDAY_10H = datetime(2026, 11, 23, 10, 0, tzinfo=BRUSSELS)


def _small_catalogue(url: str, root):
    return seeded_app(
        url, root, catalogue=False, build=search_catalogue.build, FIXED_NOW=MONDAY_10H
    )


@pytest.fixture(scope="module")
def small(scratch, tmp_path_factory):
    """Reference data, the six services of `search_catalogue`, and their index; shared by
    the tests that only read."""
    url = scratch.create()
    schema.upgrade(url)
    app = _small_catalogue(url, tmp_path_factory.mktemp("small"))
    yield app
    app.extensions["database.engine"].dispose()


@pytest.fixture
def own_small(empty_url, tmp_path):
    """The same, for a test that damages the index."""
    app = _small_catalogue(empty_url, tmp_path)
    yield app
    app.extensions["database.engine"].dispose()


def find(app, text="", now=MONDAY_10H, **filters):
    request = SearchRequest(
        text=text,
        filters=Filters(
            **{k: frozenset(v) if isinstance(v, list | set) else v for k, v in filters.items()}
        ),
        limit=50,
        now=now,
    )
    result = sync.search_index(app).search(request)
    letters = {v: k for k, v in app.ids.items()}
    return [letters[listing.id] for listing in result.listings], result


@pytest.mark.parametrize(
    "word",
    [
        "boodschappen",
        "courses",
        "Shopping",
        "BOODSCHAPPEN",
        "التسوق",
        "Alışveriş",
        "alisveris",
        "Zakupy",
        "Cumpărături",
        "compras",
    ],
)
def test_a_kind_of_help_is_found_in_any_language(small, word):
    letters, _ = find(small, word)
    # A's texts are Dutch only and never say "boodschappen"; C's are French only.
    assert {"A", "C", "D"} <= set(letters)
    assert "E" not in letters


@pytest.mark.parametrize(
    "place", ["Molenbeek", "Sint-Jans-Molenbeek", "Molenbeek-Saint-Jean", "1080"]
)
def test_place_names_work_in_french_dutch_and_as_postcode(small, place):
    """A place named in the query is read as where the help is wanted: the listings naming
    it first, then those serving the whole region (D), never those of elsewhere."""
    letters, _ = find(small, place)
    assert letters == ["F", "D"]


@pytest.mark.parametrize(
    "text",
    ["vivo en Molenbeek, tengo 78 años", "سيبياس Molenbeek", "Molenbeek xqzvwkj"],
)
def test_words_no_listing_holds_leave_the_place_named_to_decide(small, text):
    """An age, a name we do not know: the place's listings, said to match part of it."""
    letters, result = find(small, text)
    assert letters == ["F", "D"]
    assert result.loose
    body = small.test_client().get("/en/search", query_string={"q": text}).text
    assert "Nothing matched all your words" in body


def test_words_no_listing_holds_and_no_place_find_nothing(small):
    assert find(small, "xqzvwkj qqzzyy")[0] == []


def test_one_typo_in_an_organisation_name_still_finds_it(small):
    assert find(small, "Zonneblom")[0] == ["A"]
    assert find(small, "zonnebloem")[0] == ["A"]


def test_a_typo_is_corrected_and_the_page_says_what_was_searched(small):
    letters, result = find(small, "Zonneblom")
    assert letters == ["A"]
    assert result.corrected == "zonnebloem"
    page = small.test_client().get("/en/search?q=Zonneblom").get_data(as_text=True)
    assert "Did you mean" in page
    assert 'href="/en/search?q=zonnebloem"' in page
    assert "1 result" in page
    assert "Did you mean" not in small.test_client().get("/en/search?q=Zonnebloem").text


def test_accents_and_case_do_not_matter(small):
    assert find(small, "FRANCAIS")[0][0] == "F"
    assert find(small, "Français")[0] == find(small, "FRANCAIS")[0] == find(small, "francais")[0]


def test_the_chosen_place_includes_services_for_its_municipality_and_region(small):
    letters, result = find(small, neighbourhoods={"8"})
    # Those naming the neighbourhood first, then its municipality's, then the region's.
    assert set(letters[:2]) == {"A", "B"}
    assert letters[2:] == ["C", "D"]
    assert result.counts["lang"] == {"nl": 2, "fr": 2, "ar": 1, "en": 1}


def test_or_within_a_filter_and_across_filters(small):
    assert set(find(small, languages={"ar", "en"})[0]) == {"B", "D"}
    assert find(small, languages={"nl"}, help={"shopping"})[0] == ["A"]


def test_a_life_domain_includes_its_kinds_of_help(small):
    assert set(find(small, help={"social-network"})[0]) == {"A", "B", "C", "D"}
    assert set(find(small, help={"well-being"})[0]) == {"E", "F"}


@pytest.mark.parametrize("words", ["Welzijn", "bien-être", "well being"])
def test_the_name_of_a_life_domain_finds_its_kinds_of_help(small, words):
    # E and F are tagged "language classes", never "well-being" itself, and say neither.
    assert set(find(small, words)[0]) == {"E", "F"}


def test_a_renamed_kind_of_help_is_found_by_its_new_name_at_once(own_small):
    from directory.models import TaxonomyTerm, TaxonomyTermLabel

    assert find(own_small, "winkelhulp")[0] == []
    with own_small.app_context():
        session = db.session()
        label = session.scalars(
            select(TaxonomyTermLabel)
            .join(TaxonomyTerm)
            .where(TaxonomyTerm.code == "shopping", TaxonomyTermLabel.locale == "nl")
        ).one()
        label.label = "Winkelhulp"
        session.commit()
    assert set(find(own_small, "winkelhulp")[0]) == {"A", "C", "D"}
    # The words people use for it (seeds/search_terms.toml) do not go with the old label.
    assert set(find(own_small, "boodschappen")[0]) == {"A", "C", "D"}


def test_counts_show_what_each_value_would_give(small):
    _, result = find(small, neighbourhoods={"8"}, help={"shopping"})
    assert result.total == 3
    # A filter's own counts ignore its current choice (so another value can be added) ...
    assert result.counts["help"]["shopping"] == 3
    assert result.counts["help"]["company-visits"] == 1
    assert result.counts["help"]["social-network"] == 4
    # ... and respect the other filters.
    assert result.counts["municipality"]["21004"] == 3
    assert result.counts["municipality"]["21012"] == 1  # only the region-wide one
    assert result.counts["formality"] == {"formal": 2, "informal": 1}
    assert result.counts["line"] == {"zero": 2, "first": 1}
    assert result.counts["free"] == {"yes": 1}


@pytest.mark.parametrize(
    ("text", "filters"),
    [
        ("", {}),
        ("boodschappen", {}),
        ("", {"neighbourhoods": {"8"}}),
        ("", {"languages": {"nl"}, "help": {"social-network"}}),
        ("", {"kinds": {"association"}}),
        ("", {"free": True, "formality": {"formal"}}),
    ],
)
def test_counts_are_the_same_whether_the_page_shows_every_result_or_not(small, text, filters):
    """A page holding every result counts on its listings, another over the index."""
    request = SearchRequest(
        text=text,
        filters=Filters(
            **{k: frozenset(v) if isinstance(v, set) else v for k, v in filters.items()}
        ),
        now=MONDAY_10H,
    )
    index = sync.search_index(small)
    every = index.search(replace(request, limit=50))
    one = index.search(replace(request, limit=1))
    assert len(every.listings) == every.total > 1
    assert every.counts == one.counts


def test_kind_formality_and_line_filters(small):
    assert set(find(small, formality={"informal"})[0]) == {"B", "D"}
    assert set(find(small, kinds={"public_service", "online_group"})[0]) == {"C", "D"}
    assert set(find(small, lines={"first"})[0]) == {"C", "F"}


def test_free_of_charge(small):
    assert set(find(small, free=True)[0]) == {"A", "B", "E"}


def test_open_now_and_open_on_a_day(small):
    assert find(small, open_now=True)[0] == ["A"]
    assert find(small, open_now=True, now=MONDAY_10H.replace(hour=18))[0] == []
    first_saturday = date(2026, 12, 5)
    assert find(small, open_on=first_saturday)[0] == ["F"]
    assert find(small, open_on=date(2026, 12, 12))[0] == []
    _, result = find(small, open_now=True)
    assert result.counts["open"]["now"] == 1


def test_each_result_says_whether_it_is_open_now(own_small):
    client = own_small.test_client()
    body = client.get("/en/search?q=markt").get_data(as_text=True)  # Monday 10:00
    assert '<p class="badge badge-open">Open now</p>' in body
    own_small.config["FIXED_NOW"] = MONDAY_10H.replace(hour=18)
    body = client.get("/en/search?q=markt").get_data(as_text=True)
    assert '<p class="badge">Closed now</p>' in body
    assert "badge-open" not in body


def test_a_closure_shuts_a_listing_on_its_days_only(own_small):
    with own_small.app_context(), db.transaction() as session:
        session.add(
            Closure(
                service_id=uuid.UUID(own_small.ids["A"]),
                starts_on=MONDAY_10H.date(),
                ends_on=MONDAY_10H.date(),
                reason="Holiday",
            )
        )
    assert find(own_small, open_now=True)[0] == []
    _, result = find(own_small, open_now=True)
    assert result.counts["open"]["now"] == 0
    assert find(own_small, open_now=True, now=MONDAY_10H + timedelta(days=1))[0] == ["A"]
    assert find(own_small, open_on=MONDAY_10H.date())[0] == []
    # The badge on the result follows the same rule as the filter.
    assert find(own_small, "markt")[1].open_now == frozenset()
    tuesday = find(own_small, "markt", now=MONDAY_10H + timedelta(days=1))[1]
    assert tuesday.open_now == {own_small.ids["A"]}


def test_bidirectional_controls_in_a_result_are_neutralised(own_small):
    # Results and filter rows are rendered once and printed again as they are: what they
    # print must have been neutralised when they were rendered.
    with own_small.app_context(), db.transaction() as session:
        service = session.get(Service, uuid.UUID(own_small.ids["A"]))
        service.texts["nl"].name = "Samen \u202eNAAR\u202c de markt"
    client = own_small.test_client()
    for _ in range(2):  # rendered, then kept
        body = client.get("/nl/search?q=markt").get_data(as_text=True)
        assert "\u202e" not in body
        assert "Samen NAAR de markt" in body


def test_ranking_puts_the_kind_of_help_in_the_chosen_neighbourhood_first(small):
    letters, _ = find(small, "boodschappen", neighbourhoods={"8"})
    assert letters == ["A", "C", "D"]
    letters, _ = find(small, "shopping")
    assert letters[0] == "D"  # the kind of help and a name match beat the kind of help alone


def test_no_result_suggests_a_way_out_on_the_page(small):
    client = small.test_client()
    response = client.get("/en/search?help=language-classes&place=8")
    assert response.status_code == 200
    text = page_text(response)
    assert "0 results" in text
    assert "Without the filter “Kind of help”" in text
    assert "(4 results)" in text
    assert "Without the filter “Where”" in text
    assert "(2 results)" in text
    assert "Nearby: Stalingrad" in text
    body = response.get_data(as_text=True)
    assert "place=9" in body


def test_related_kinds_of_help_are_suggested(small):
    text = page_text(small.test_client().get("/en/search?help=listening-ear&lang=fr"))
    assert "Related help: Shopping" in text


def test_zero_result_searches_are_recorded_anonymously(small):
    client = small.test_client()
    client.get("/fr/search?q=plombier&lang=ar", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    with small.app_context():
        gaps.write_pending()  # kept a few seconds, to be written together
        rows = (
            db.session()
            .scalars(select(ZeroResultSearch).where(ZeroResultSearch.text == "plombier"))
            .all()
        )
    assert len(rows) == 1
    assert rows[0].text == "plombier"
    assert rows[0].filters == {"lang": ["ar"]}
    assert rows[0].locale == "fr"
    assert "203.0.113.9" not in repr(vars(rows[0]))


def test_what_a_search_record_keeps_leaves_people_s_details_out(small):
    """A NUL byte (PostgreSQL refuses it and would lose the whole batch), email addresses,
    phone numbers and national numbers never reach the record; postcodes do."""
    client = small.test_client()
    typed = [
        "plombier\x00 chez\x07 moi",
        "loodgieter bel 0470 12 34 56",
        "plomberie jan.peeters@example.org",
        "rijksregister 85.07.30-033.61 loodgieter",
        "xylofoonles 1000 1080",
    ]
    for text in typed:
        assert client.get("/fr/search", query_string={"q": text}).status_code == 200
    with small.app_context():
        assert gaps.write_pending()
        kept = set(db.session().scalars(select(ZeroResultSearch.text)))
    assert {
        "plombier chez moi",
        "loodgieter bel …",
        "plomberie …",
        "rijksregister … loodgieter",
        "xylofoonles 1000 1080",
    } <= kept
    assert not any(digit in text for text in kept if text for digit in ("0470", "85.07", "@"))


def test_search_records_are_deleted_after_their_retention(small):
    with small.app_context():
        session = db.session()
        now = clock.utc_now()
        session.add_all(
            [
                ZeroResultSearch(
                    text="old", filters={}, locale="nl", created_at=now - timedelta(days=181)
                ),
                ZeroResultSearch(
                    text="recent", filters={}, locale="nl", created_at=now - timedelta(days=179)
                ),
            ]
        )
        session.commit()
        result = small.test_cli_runner().invoke(args=["feedback", "forget"])
        assert "searches that found nothing deleted: 1" in result.output
        texts = set(session.scalars(select(ZeroResultSearch.text)))
        session.execute(delete(ZeroResultSearch).where(ZeroResultSearch.text == "recent"))
        session.commit()
    assert "recent" in texts
    assert "old" not in texts


def test_a_busy_database_never_breaks_a_search_that_found_nothing(small, monkeypatch):
    """Under load another process may hold SQLite's one write lock when a search that found
    nothing is written down: the page is shown at once, and the record waits for the next
    write."""
    if make_url(small.url).get_backend_name() != "sqlite":
        pytest.skip("SQLite lets one writer at a time hold the database")
    monkeypatch.setitem(small.config, "ZERO_RESULT_LOG_SECONDS", 0)  # due at once
    other_writer = sqlite3.connect(make_url(small.url).database, isolation_level=None)
    other_writer.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        response = small.test_client().get("/en/search?q=loodgieter")
        waited = time.monotonic() - started
    finally:
        other_writer.execute("ROLLBACK")
        other_writer.close()
    assert response.status_code == 200
    assert "We found nothing for this search" in page_text(response)
    assert waited < 5

    def recorded():
        with small.app_context():
            found = select(ZeroResultSearch).where(ZeroResultSearch.text == "loodgieter")
            return db.session().scalars(found).all()

    assert recorded() == []
    small.test_client().get("/en/search?q=boodschappen")  # the next search writes it
    assert len(recorded()) == 1


def test_the_search_page_shows_results_with_their_facts(small):
    text = page_text(small.test_client().get("/nl/search?q=zonnebloem"))
    assert "1 resultaat" in text or "1 result" in text
    assert "Samen naar de markt" in text
    assert "Buurtwinkel De Zonnebloem" in text
    assert "Boodschappen" in text
    assert "Marollen" in text
    assert "Nederlands" in text
    assert "Nu open" in text


def test_the_url_carries_every_filter(small):
    body = (
        small.test_client()
        .get(
            "/nl/search?q=markt&place=8&lang=nl&help=shopping&kind=association&formality=formal"
            "&line=zero&free=1&open=now"
        )
        .get_data(as_text=True)
    )
    assert "Samen naar de markt" in body
    for name, value in (
        ("place", "8"),
        ("lang", "nl"),
        ("help", "shopping"),
        ("kind", "association"),
        ("formality", "formal"),
        ("line", "zero"),
        ("free", "1"),
        ("open", "now"),
    ):
        assert f'name="{name}" value="{value}" checked' in body


@pytest.mark.parametrize(
    "query",
    [
        "q=" + "boodschappen " * 2000,
        "q=*",
        "q=%3F",
        "q=%22",
        "q=%3A",
        "q=(",
        "q=)",
        "q=AND",
        "q=OR",
        "q=NOT",
        "q=~",
        "q=*%20AND%20(%22x%22%20OR%20y~)%20NOT%20%3Fz:",
        "place=99999&lang=%3Cscript%3E&help=nope&kind=x&line=y&formality=z&on=2026-13-45",
        "page=99999999999999999999",
        "page=-1",
        "page=abc",
        "free=maybe&open=later",
        "place=" + "&place=".join(str(n) for n in range(200)),
    ],
)
def test_bad_input_gives_a_normal_page(small, query):
    response = small.test_client().get(f"/en/search?{query}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Traceback" not in body
    assert "<script>" not in body


def test_a_long_query_is_shortened_with_a_note(small):
    text = page_text(small.test_client().get("/en/search?q=" + "markt " * 100))
    assert "We used the first 200 characters" in text


def test_a_missing_index_is_rebuilt_not_a_crash(own_small, tmp_path):
    shutil.rmtree(tmp_path / "index")
    response = own_small.test_client().get("/en/search?q=markt")
    assert response.status_code == 200
    assert "Samen naar de markt" in page_text(response)


# Whoosh leaves a file handle open when it fails to read a damaged table of contents.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_corrupt_index_is_rebuilt_not_a_crash(own_small, tmp_path):
    current = (tmp_path / "index" / "current").resolve()
    for path in current.iterdir():
        if path.suffix in (".toc", ".seg") or path.name.startswith("_MAIN"):
            path.write_bytes(b"garbage")
    with own_small.app_context():
        assert sync.ensure_ready(own_small) == "rebuilt"
    assert "Samen naar de markt" in page_text(own_small.test_client().get("/en/search?q=markt"))


def test_an_index_without_its_lexicon_is_rebuilt(own_small, tmp_path):
    """Without the words of kinds of help and places, "boodschappen" would find nothing."""
    (tmp_path / "index" / "current" / "lexicon.json").write_text("{not json")
    with own_small.app_context():
        assert sync.ensure_ready(own_small) == "rebuilt"
    assert {"A", "C", "D"} <= set(find(own_small, "boodschappen")[0])


def test_an_index_built_with_other_fields_is_rebuilt(own_small):
    """An index from before a field was added (the check date, say) is rebuilt at start,
    not used half-blind."""
    index = own_small.extensions["search"]
    current = index.schema
    index.schema = build_schema()
    index.schema.remove("checked_on")
    sync.rebuild(own_small, index)
    index.schema = current
    with own_small.app_context():
        assert sync.ensure_ready(own_small) == "rebuilt"
        assert sync.ensure_ready(own_small) == "ready"
    assert "Samen naar de markt" in page_text(own_small.test_client().get("/en/search?q=markt"))


RESOURCE = re.compile(r'<(?:link[^>]+href|script[^>]+src|img[^>]+src|source[^>]+src)="([^"]+)"')


@pytest.mark.parametrize("lang", ["nl", "fr", "ar"])
def test_a_search_page_with_results_transfers_at_most_100_kb(small, lang):
    client = small.test_client()
    response = client.get(f"/{lang}/search?q=boodschappen&place=21004")
    body = response.get_data()
    assert b'ol class="results"' in body
    total = len(body)
    for url in RESOURCE.findall(body.decode()):
        assert url.startswith("/"), f"external resource {url}: no fonts, scripts or trackers"
        with client.get(url) as resource:
            total += len(resource.get_data())
    assert total <= 100 * 1024, f"{total} bytes"


def test_bidirectional_controls_in_the_query_do_not_reach_the_page(small):
    body = small.test_client().get("/nl/search?q=%E2%80%AEgpj.exe").get_data(as_text=True)
    assert "\u202e" not in body
    assert "gpj.exe" in body


def _three_language_cafes(session) -> dict[str, str]:
    """Three listings alike in all but their last check."""
    made = {}
    for letter, checked in (
        ("recent", date(2026, 11, 1)),
        ("aging", date(2026, 3, 1)),  # stale from 1 December 2026 (274 days)
        ("old", date(2025, 12, 1)),
    ):
        owner = factories.organization(session, name=f"Vzw {letter.title()}")
        made[letter] = str(
            factories.service(
                session,
                owner,
                name="Taalcafé",
                help_codes=("language-classes",),
                neighbourhood=8,
                assured_date=checked,
            ).id
        )
    session.commit()
    return made


@pytest.fixture
def language_cafes(empty_url, tmp_path):
    app = seeded_app(
        empty_url, tmp_path, catalogue=False, build=_three_language_cafes, FIXED_NOW=MONDAY_10H
    )
    yield app
    app.extensions["database.engine"].dispose()


def _results(app) -> tuple[list[str], str]:
    response = app.test_client().get("/en/search?q=taalcafe&place=8")
    body = response.get_data(as_text=True)
    ids = re.findall(r'<h2><a href="/en/services/([0-9a-f-]{36})"', body)
    letters = {v: k for k, v in app.ids.items()}
    return [letters[i] for i in ids], body


def test_a_stale_listing_comes_after_an_equal_fresh_one_as_the_clock_moves(language_cafes):
    stale_note = "nobody has checked it for more than nine months"
    order, body = _results(language_cafes)
    assert set(order[:2]) == {"recent", "aging"}
    assert order[2] == "old"
    assert body.count(stale_note) == 1

    # Three weeks later "aging" passes nine months: no document changed, no reindexing.
    language_cafes.config["FIXED_NOW"] = datetime(2026, 12, 15, 10, 0, tzinfo=BRUSSELS)
    order, body = _results(language_cafes)
    assert order[0] == "recent"
    assert set(order[1:]) == {"aging", "old"}
    assert body.count(stale_note) == 2


def test_only_info_point_workers_see_refer_a_client_on_each_result(small):
    with small.app_context(), db.transaction() as session:
        worker = make_account(session, Role.INFO_POINT_WORKER)
        member = make_account(session, Role.ORGANIZATION_MEMBER)
    path = "/en/search?q=boodschappen"
    anonymous = small.test_client().get(path).get_data(as_text=True)
    shown = re.findall(r'<h2><a href="/en/services/([0-9a-f-]{36})"', anonymous)
    assert shown
    assert "Refer a client" not in anonymous
    assert "/referrals/new" not in anonymous

    as_member = small.test_client()
    sign_in(as_member, member.email)
    assert "/referrals/new" not in as_member.get(path).get_data(as_text=True)

    as_worker = small.test_client()
    sign_in(as_worker, worker.email)
    page = as_worker.get(path).get_data(as_text=True)
    referred = re.findall(r'"/en/referrals/new\?service=([0-9a-f-]{36})">Refer a client<', page)
    assert referred == shown


# --- whole pages kept for readers without a session -------------------------------------


def test_a_reader_without_a_session_is_served_the_page_kept_for_the_same_address(
    small, monkeypatch
):
    from directory.catalogue import searching

    client = small.test_client()
    path = "/nl/search?q=boodschappen&place=8"
    first = client.get(path).get_data(as_text=True)
    assert "Samen naar de markt" in first

    def no_search(*args, **kwargs):
        raise AssertionError("the page was drawn again")

    monkeypatch.setattr(searching, "run_search", no_search)
    assert small.test_client().get(path).get_data(as_text=True) == first
    with pytest.raises(AssertionError, match="drawn again"):
        client.get("/nl/search?q=boodschappen&place=21")  # another address: drawn


def test_a_kept_page_is_never_what_a_signed_in_worker_gets_nor_theirs_what_others_get(small):
    with small.app_context(), db.transaction() as session:
        worker = make_account(session, Role.INFO_POINT_WORKER)
    path = "/en/search?q=markt"
    as_worker = small.test_client()
    sign_in(as_worker, worker.email)
    assert "Refer a client" in as_worker.get(path).get_data(as_text=True)
    anonymous = small.test_client().get(path).get_data(as_text=True)
    assert "Refer a client" not in anonymous
    assert worker.display_name not in anonymous
    assert "Refer a client" in as_worker.get(path).get_data(as_text=True)


def test_a_change_to_a_listing_shows_at_once_on_a_page_kept_before_it(own_small):
    from directory.models import ServiceText

    client = own_small.test_client()
    path = "/nl/search?q=markt"
    assert "Samen naar de markt" in client.get(path).get_data(as_text=True)
    with own_small.app_context():
        session = db.session()
        text = session.scalars(
            select(ServiceText).where(ServiceText.service_id == uuid.UUID(own_small.ids["A"]))
        ).first()
        text.name = "Samen naar de zondagsmarkt"
        session.commit()
    body = client.get(path).get_data(as_text=True)
    assert "Samen naar de zondagsmarkt" in body


def test_a_message_waiting_for_the_reader_is_shown_on_a_kept_page_s_address(small):
    path = "/en/search?q=markt"
    small.test_client().get(path)  # kept
    client = small.test_client()
    with client.session_transaction() as cookie_session:
        cookie_session["_flashes"] = [("info", "Thank you, we received your report.")]
    assert "Thank you, we received your report." in client.get(path).get_data(as_text=True)


def test_every_search_that_finds_nothing_is_recorded_though_the_same_one_came_before(small):
    client = small.test_client()
    for _ in range(3):
        body = client.get("/en/search?q=schoorsteenveger").get_data(as_text=True)
        assert "We found nothing" in body
    with small.app_context():
        gaps.write_pending()
        rows = db.session().scalars(
            select(ZeroResultSearch).where(ZeroResultSearch.text == "schoorsteenveger")
        )
        assert len(rows.all()) == 3


def test_open_now_on_a_kept_page_follows_the_clock_by_the_minute(own_small):
    client = own_small.test_client()
    path = "/en/search?q=markt"
    own_small.config["FIXED_NOW"] = MONDAY_10H.replace(hour=8, minute=59, second=1)
    assert "badge-open" not in client.get(path).get_data(as_text=True)
    own_small.config["FIXED_NOW"] = MONDAY_10H.replace(hour=8, minute=59, second=58)
    assert "badge-open" not in client.get(path).get_data(as_text=True)
    own_small.config["FIXED_NOW"] = MONDAY_10H.replace(hour=9, minute=0, second=0)
    assert '<p class="badge badge-open">Open now</p>' in client.get(path).get_data(as_text=True)


def test_an_index_writer_that_is_busy_gives_the_search_is_being_prepared_page(small, monkeypatch):
    """Catching up with the outbox can wait for the index's writer lock: the reader gets the
    translated 'try again' page, never an error, kept page or not."""

    def busy(_app):
        raise LockTimeout("the index writer is busy")

    monkeypatch.setattr(sync, "follow", busy)
    response = small.test_client().get("/fr/search?q=markt&place=8")
    assert response.status_code == 503
    assert "La recherche est en préparation" in response.text
