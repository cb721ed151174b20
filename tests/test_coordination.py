"""Where help is missing: on a fixed catalogue with known searches and referrals, the
coordinators' page, its map, its CSV files and `flask gaps report` give the same figures;
counts of people below 5 read "fewer than 5" everywhere; the public "help near you" pages
agree with the search they link to; the map's reference data comes from the boundary files.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
import uuid
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from directory import schema
from directory.coordination import map as gap_map
from directory.coordination.privacy import SMALLEST_SHOWN, is_hidden, shown
from directory.models import (
    ContactChannel,
    DeclineReason,
    Location,
    LocationType,
    Municipality,
    Neighbourhood,
    OrganizationKind,
    Referral,
    ReferralStatus,
    Role,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
    Urgency,
    ZeroResultSearch,
)
from directory.models.language import Language
from tests import factories
from tests.conftest import PROJECT_ROOT, SEEDS, SHARED, seeded_app
from tests.factories import make_account, sign_in

NOW = datetime(2025, 3, 12, 10, 0, tzinfo=UTC)  # a Wednesday
FEWER = "fewer than 5"
CENTRUM, VEEWEIDE, MOLENBEEK_HISTORIC, GRAND_PLACE = "58", "52", "16", "1"
ANDERLECHT, MOLENBEEK = "21001", "21012"


def build(session):
    """Five services, searches that found nothing and referrals whose figures are known."""

    def neighbourhood(number: str) -> Neighbourhood:
        return session.scalars(
            select(Neighbourhood).where(Neighbourhood.number == int(number))
        ).one()

    def municipality(nis: str) -> Municipality:
        return session.scalars(select(Municipality).where(Municipality.nis_code == nis)).one()

    def service(owner, name, codes, languages, area=None, status=ServiceStatus.ACTIVE):
        made = factories.service(session, owner, name, codes, status=status)
        made.languages = [Language(code=code) for code in languages]
        made.areas.append(area or ServiceArea())  # no place named: the whole region
        return made

    association = factories.organization(session, "Buurthuis Wayez")
    network = factories.organization(
        session, "Burenhulp Anderlecht", kind=OrganizationKind.NEIGHBOUR_HELP_NETWORK
    )
    public = factories.organization(session, "OCMW", kind=OrganizationKind.PUBLIC_SERVICE)
    kitchen = factories.organization(session, "Resto Molenbeek")
    info_point = factories.organization(session, "Infopunt", kind=OrganizationKind.PUBLIC_SERVICE)

    shopping = service(
        association,
        "Boodschappen Wayez",
        ("shopping",),
        ("nl", "ar"),
        ServiceArea(neighbourhood=neighbourhood(CENTRUM)),
    )
    visits = service(
        network,
        "Bezoek en boodschappen",
        ("company-visits", "shopping"),
        ("fr",),
        ServiceArea(municipality=municipality(ANDERLECHT)),
    )
    paperwork = service(public, "Papierwerk", ("paperwork",), ("nl", "fr"))
    service(
        association,
        "Oude boodschappendienst",
        ("shopping",),
        ("nl",),
        ServiceArea(neighbourhood=neighbourhood(CENTRUM)),
        status=ServiceStatus.INACTIVE,
    )
    meals = service(
        kitchen,
        "Maaltijden",
        ("meals",),
        ("ar",),
        ServiceArea(neighbourhood=neighbourhood(MOLENBEEK_HISTORIC)),
    )
    place = Location(
        location_type=LocationType.PHYSICAL,
        name="Keuken",
        neighbourhood_id=neighbourhood(MOLENBEEK_HISTORIC).id,
        municipality_id=municipality(MOLENBEEK).id,
    )
    kitchen.locations.append(place)
    session.add(ServiceAtLocation(service=meals, location=place))

    def searches(count, text=None, days_ago=1, locale="nl", **filters):
        for _ in range(count):
            session.add(
                ZeroResultSearch(
                    text=text,
                    filters=filters,
                    locale=locale,
                    created_at=NOW - timedelta(days=days_ago),
                )
            )

    searches(6, place=[CENTRUM], help=["shopping"], lang=["ar"])
    searches(3, text="maaltijden Molenbeek")
    searches(2, text="xyzzy", locale="fr")
    searches(1, locale="ar", place=["1070"])  # a postcode of Anderlecht
    searches(1, days_ago=200, place=[CENTRUM])  # outside every period but the longest

    def referrals(count, to, status, needs, languages, days_ago, reason=None):
        for _ in range(count):
            session.add(
                Referral(
                    handover_id=uuid.uuid4(),
                    submission_key=uuid.uuid4().hex,
                    sender_organization_id=info_point.id,
                    receiving_organization_id=to.organization_id,
                    service_id=to.id,
                    status=status,
                    client_name="X",
                    contact_channel=ContactChannel.THROUGH_REFERRER,
                    client_languages=list(languages),
                    need_terms=list(needs),
                    urgency=Urgency.ROUTINE,
                    consent_version="test",
                    consent_locale="nl",
                    consent_text="consent",
                    consent_shares_contact=False,
                    consent_shares_need=True,
                    consented_at=NOW - timedelta(days=days_ago),
                    decline_reason=reason,
                    created_at=NOW - timedelta(days=days_ago),
                    updated_at=NOW - timedelta(days=days_ago),
                )
            )

    declined = ReferralStatus.DECLINED
    referrals(5, shopping, declined, ["shopping"], ["ar"], 5, DeclineReason.NO_CAPACITY)
    referrals(2, meals, declined, ["meals"], ["ar"], 5, DeclineReason.LANGUAGE)
    referrals(6, visits, ReferralStatus.REQUESTED, ["company-visits"], ["fr"], 9)  # overdue
    referrals(1, paperwork, ReferralStatus.REQUESTED, ["paperwork"], ["nl"], 0)  # not yet due
    referrals(1, shopping, declined, ["shopping"], ["ar"], 120, DeclineReason.NO_CAPACITY)
    coordinator = make_account(session, Role.COORDINATOR, [], email="coordinator@example.org")
    member = make_account(session, Role.ORGANIZATION_MEMBER, [association])
    session.commit()
    return {"coordinator": coordinator.email, "member": member.email}


@pytest.fixture(scope="module")
def gaps_app(scratch, tmp_path_factory):
    root = tmp_path_factory.mktemp("coordination")
    url = scratch.create()
    schema.upgrade(url)
    app = seeded_app(url, root, catalogue=False, build=build, FIXED_NOW=NOW)
    yield app
    app.extensions["database.engine"].dispose()


@pytest.fixture(scope="module")
def coordinator(gaps_app):
    """Signed in once: sign-in attempts are rate-limited per address."""
    client = gaps_app.test_client()
    sign_in(client, gaps_app.ids["coordinator"])
    return client


# What each view shows -----------------------------------------------------------------


class _Cells(HTMLParser):
    """The page's tables (`data-key` rows, `data-column` cells) and map links."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, dict[str, dict[str, str]]] = {}
        self.areas: dict[str, dict[str, str]] = {}
        self._table = self._row = self._column = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "section" and attributes.get("class") == "figures":
            self._table = attributes["aria-labelledby"].removeprefix("table-")
            self.tables[self._table] = {}
        elif tag == "tr" and "data-key" in attributes and self._table:
            self._row = attributes["data-key"]
            self.tables[self._table][self._row] = {}
        elif tag == "td" and "data-column" in attributes and self._row:
            self._column, self._text = attributes["data-column"], []
        elif tag == "a" and "data-band" in attributes:
            self.areas[attributes["data-key"]] = attributes

    def handle_data(self, data):
        if self._column:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "td" and self._column:
            self.tables[self._table][self._row][self._column] = "".join(self._text).strip()
            self._column = None
        elif tag == "tr":
            self._row = None
        elif tag == "section":
            self._table = None


def page(client, path: str) -> _Cells:
    response = client.get(path)
    assert response.status_code == 200, path
    cells = _Cells()
    cells.feed(response.get_data(as_text=True))
    return cells


def download(client, path: str) -> list[dict[str, str]]:
    response = client.get(path)
    assert response.status_code == 200, path
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def command(app, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=["gaps", "report", *args])
    assert result.exit_code == 0, result.output
    return result.output


# The fixed catalogue's figures ----------------------------------------------------------

# (table, row, column) -> what every view shows, for the default 90 days.
EXPECTED = {
    ("neighbourhoods", CENTRUM, "services"): "3",  # its own, Anderlecht's, the region's
    ("neighbourhoods", CENTRUM, "formal"): "2",
    ("neighbourhoods", CENTRUM, "informal"): "1",
    ("neighbourhoods", CENTRUM, "searches"): "6",
    ("neighbourhoods", CENTRUM, "declined"): "5",
    ("neighbourhoods", CENTRUM, "overdue"): FEWER,  # zero: Anderlecht's service is overdue
    ("neighbourhoods", VEEWEIDE, "services"): "2",
    ("neighbourhoods", VEEWEIDE, "informal"): "1",
    ("neighbourhoods", MOLENBEEK_HISTORIC, "services"): "2",
    ("neighbourhoods", MOLENBEEK_HISTORIC, "informal"): "0",
    ("neighbourhoods", MOLENBEEK_HISTORIC, "declined"): FEWER,
    ("neighbourhoods", GRAND_PLACE, "services"): "1",
    ("municipalities", ANDERLECHT, "services"): "3",
    ("municipalities", ANDERLECHT, "searches"): "7",  # the neighbourhood's and the postcode's
    ("municipalities", ANDERLECHT, "declined"): "5",
    ("municipalities", ANDERLECHT, "overdue"): "6",
    ("municipalities", MOLENBEEK, "services"): "2",
    ("municipalities", MOLENBEEK, "searches"): FEWER,
    ("municipalities", "none", "searches"): FEWER,
    ("municipalities", "none", "services"): "",
    ("municipalities", "all", "services"): "4",  # the inactive one does not count
    ("municipalities", "all", "formal"): "3",
    ("municipalities", "all", "searches"): "12",
    ("municipalities", "all", "declined"): "7",
    ("municipalities", "all", "overdue"): "6",
    ("kinds", "shopping", "services"): "2",
    ("kinds", "shopping", "without"): "128",  # 145 less Anderlecht's 17
    ("kinds", "shopping", "searches"): "6",
    ("kinds", "shopping", "declined"): "5",
    ("kinds", "social-network", "overdue"): "6",
    ("kinds", "meals", "searches"): FEWER,
    ("kinds", "none", "searches"): FEWER,
    ("languages", "ar", "services"): "2",
    ("languages", "ar", "searches"): "7",
    ("languages", "ar", "declined"): "7",
    ("languages", "fr", "overdue"): "6",
    ("reasons", ANDERLECHT, "no_capacity"): "5",
    ("reasons", MOLENBEEK, "language"): FEWER,
    ("reasons", "all", "no_capacity"): "5",
}


def test_page_map_csv_and_command_agree_on_the_same_figures(gaps_app, coordinator, tmp_path):
    shown_on_page = page(coordinator, "/en/coordination/gaps")
    downloads = {
        name: {
            row[header]: row
            for row in download(coordinator, f"/en/coordination/gaps/{name}.csv")
            for header in [next(iter(row))]
        }
        for name in ("neighbourhoods", "municipalities", "kinds", "languages", "reasons")
    }
    command(gaps_app, "--csv", str(tmp_path))
    written = {path.name: path.read_bytes().decode() for path in sorted(tmp_path.glob("*.csv"))}

    for (table, row, column), expected in EXPECTED.items():
        assert shown_on_page.tables[table][row][column] == expected, (table, row, column)
        csv_row = downloads[table][row]
        header = next(h for h in csv_row if _column_key(h) == column)
        assert csv_row[header] == expected, (table, row, column)

    # The command writes exactly the page's downloads, and prints the same rows.
    for name in downloads:
        served = coordinator.get(f"/en/coordination/gaps/{name}.csv").get_data(as_text=True)
        assert written[f"gaps-{name}.csv"] == served
    for name, rows in downloads.items():
        text = command(gaps_app, "--table", name)
        for key, row in rows.items():
            line = _line(text, key)
            for value in list(row.values())[1:]:
                assert value in line, (name, key, value, line)

    # The map: one link per neighbourhood, named by its figure, in the band of that figure.
    areas = shown_on_page.areas
    assert len(areas) == 145
    for number, cells in shown_on_page.tables["neighbourhoods"].items():
        assert areas[number]["aria-label"].endswith(f"Services: {cells['services']}")
    # Three values besides none (1, 2, 3 services): a band each, after the band of none.
    assert [areas[n]["data-band"] for n in (GRAND_PLACE, VEEWEIDE, CENTRUM)] == ["1", "2", "3"]
    assert areas[CENTRUM]["href"].startswith(f"/en/coordination/gaps/places/{CENTRUM}")


# Headers are translated: map them back to the column keys the page marks.
_HEADERS = {
    "Services": "services",
    "Professional services": "formal",
    "Neighbours and groups": "informal",
    "Neighbourhoods without any": "without",
    "Searches that found nothing": "searches",
    "Referrals declined": "declined",
    "Referrals overdue": "overdue",
    "No capacity": "no_capacity",
    "Language": "language",
}


def _column_key(header: str) -> str | None:
    return _HEADERS.get(header)


def test_the_map_shades_by_the_chosen_measure_and_hides_small_counts(gaps_app, coordinator):
    shown_on_page = page(coordinator, "/en/coordination/gaps?measure=searches")
    areas = shown_on_page.areas
    assert areas[CENTRUM]["aria-label"].endswith("Searches that found nothing: 6")
    assert areas[CENTRUM]["data-band"] == "1"  # the one value shown
    # Zero and a few look the same: the map tells no more than the table.
    assert areas[MOLENBEEK_HISTORIC]["aria-label"].endswith(f"Searches that found nothing: {FEWER}")
    assert areas[MOLENBEEK_HISTORIC]["data-band"] == areas[GRAND_PLACE]["data-band"] == "0"
    text = coordinator.get("/en/coordination/gaps?measure=searches").get_data(as_text=True)
    assert "144 neighbourhoods" in text  # every other neighbourhood is in the lowest band


def test_filters_narrow_every_figure(gaps_app, coordinator):
    """A kind of help, a language, a life domain and a longer period, on the page and in the
    command alike."""
    by_kind = page(coordinator, "/en/coordination/gaps?help=meals")
    assert by_kind.tables["neighbourhoods"][MOLENBEEK_HISTORIC]["services"] == "1"
    assert by_kind.tables["neighbourhoods"][CENTRUM]["services"] == "0"
    assert by_kind.tables["municipalities"]["all"]["searches"] == FEWER
    in_arabic = page(coordinator, "/en/coordination/gaps?lang=ar")
    assert in_arabic.tables["neighbourhoods"][CENTRUM]["services"] == "1"
    assert in_arabic.tables["municipalities"]["all"]["searches"] == "7"
    assert in_arabic.tables["municipalities"]["all"]["overdue"] == FEWER
    domain = page(coordinator, "/en/coordination/gaps?domain=care")
    assert set(domain.tables["kinds"]) >= {"care", "meals", "none"}
    assert "shopping" not in domain.tables["kinds"]
    longer = page(coordinator, "/en/coordination/gaps?period=365")
    assert longer.tables["neighbourhoods"][CENTRUM]["searches"] == "7"
    assert longer.tables["municipalities"][ANDERLECHT]["declined"] == "6"
    assert "7" in _line(command(gaps_app, "--period", "365", "--table", "neighbourhoods"), CENTRUM)
    # Values that name nothing are left out on the page, and stop the command.
    ignored = coordinator.get("/en/coordination/gaps?help=nonsense&period=7")
    assert ignored.status_code == 200
    assert "nonsense" in ignored.get_data(as_text=True)
    result = gaps_app.test_cli_runner().invoke(args=["gaps", "report", "--kind", "nonsense"])
    assert result.exit_code != 0
    assert "nonsense" in result.output


def _line(text: str, key: str) -> str:
    """The command's line for the row `key` (one table printed)."""
    return next(line for line in text.splitlines() if re.match(rf"{re.escape(key)}\s", line))


def test_a_neighbourhood_s_page_command_and_csv_agree(gaps_app, coordinator, tmp_path):
    shown_on_page = page(coordinator, f"/en/coordination/gaps/places/{CENTRUM}")
    assert shown_on_page.tables["place"][CENTRUM]["services"] == "3"
    assert shown_on_page.tables["place"][CENTRUM]["searches"] == "6"
    assert shown_on_page.tables["kinds"]["shopping"]["services"] == "2"
    assert shown_on_page.tables["kinds"]["shopping"]["searches"] == "6"
    assert shown_on_page.tables["kinds"]["paperwork"]["services"] == "1"
    assert shown_on_page.tables["kinds"]["meals"]["services"] == "0"
    assert shown_on_page.tables["languages"]["ar"]["declined"] == "5"
    assert shown_on_page.tables["reasons"]["no_capacity"]["declined"] == "5"
    assert shown_on_page.tables["reasons"]["language"]["declined"] == FEWER
    command(gaps_app, "--place", CENTRUM, "--csv", str(tmp_path))
    for name in ("place", "kinds", "languages", "reasons"):
        served = coordinator.get(f"/en/coordination/gaps/{name}.csv?place={CENTRUM}")
        written = (tmp_path / f"gaps-{name}-{CENTRUM}.csv").read_bytes().decode()
        assert served.get_data(as_text=True) == written
    municipality = page(coordinator, f"/en/coordination/gaps/places/{MOLENBEEK}")
    assert municipality.tables["place"][MOLENBEEK]["services"] == "2"
    assert municipality.tables["reasons"]["language"]["declined"] == FEWER
    assert coordinator.get("/en/coordination/gaps/places/999").status_code == 404
    assert coordinator.get("/en/coordination/gaps/nothing.csv").status_code == 404


def test_pages_in_another_language_keep_the_figures(gaps_app, coordinator):
    dutch = page(coordinator, "/nl/coordination/gaps")
    # The neighbourhood's number heads its CSV column as an identifier, not a count.
    csv_header = coordinator.get("/nl/coordination/gaps/neighbourhoods.csv").text.splitlines()[0]
    assert csv_header.removeprefix("\ufeff").startswith("Nummer,Wijk,")
    english = page(coordinator, "/en/coordination/gaps")
    assert dutch.tables["neighbourhoods"][CENTRUM]["services"] == "3"
    assert dutch.tables["municipalities"]["all"]["searches"] == "12"
    # "fewer than 5" is said in the page's language (the same text until it is translated).
    assert dutch.tables["neighbourhoods"].keys() == english.tables["neighbourhoods"].keys()
    names = command(gaps_app, "--locale", "fr", "--table", "municipalities")
    assert "Molenbeek-Saint-Jean" in names


def test_only_coordinators_see_the_figures(gaps_app):
    anonymous = gaps_app.test_client()
    assert anonymous.get("/en/coordination/gaps").status_code == 302
    member = gaps_app.test_client()
    sign_in(member, gaps_app.ids["member"])
    for path in (
        "/en/coordination/gaps",
        f"/en/coordination/gaps/places/{CENTRUM}",
        "/en/coordination/gaps/neighbourhoods.csv",
    ):
        assert member.get(path).status_code == 403


def test_coordinators_find_the_page_in_their_header(gaps_app, coordinator):
    home = coordinator.get("/en/").get_data(as_text=True)
    assert 'href="/en/coordination/gaps"' in home


# The rule for small counts --------------------------------------------------------------


def test_counts_of_people_below_five_are_never_shown(app):
    with app.test_request_context("/en/"):
        assert [shown(n, True) for n in (0, 1, 4, 5, 12)] == [FEWER] * 3 + ["5", "12"]
        assert [shown(n, False) for n in (0, 1, 4)] == ["0", "1", "4"]  # services: public
        assert shown(None, True) == ""
        assert all(is_hidden(n, True) for n in range(SMALLEST_SHOWN))
        # The map's lowest band for people holds exactly what is hidden; the rest is cut at
        # its quartiles, or a band per value when there are few.
        people = gap_map.bands_for([0, 3, 5, 6, 7, 8, 9, 12, 20, 40, 41, 90], True)
        assert people == [(0, 4), (5, 6), (7, 11), (12, 39), (40, 90)]
        assert [gap_map.band_of(n, people, True) for n in (0, 4, 5, 8, 12, 90)] == [
            0,
            0,
            1,
            2,
            3,
            4,
        ]
        assert gap_map.band_label(people[0], True) == FEWER
        assert gap_map.band_label(people[4], True) == "40 to 90"
        assert gap_map.bands_for([0, 1, 1, 3], False) == [(0, 0), (1, 1), (3, 3)]
        assert gap_map.band_label((0, 0), False) == "no service"
        assert [gap_map.pattern_of(band, 3) for band in range(3)] == [0, 2, 4]


# Help near you: the public's view -------------------------------------------------------


def test_help_near_you_counts_what_the_search_finds(gaps_app):
    client = gaps_app.test_client()
    home = client.get("/en/").get_data(as_text=True)
    assert len(re.findall(r'href="/en/places/210\d\d"', home)) == 19
    municipality = client.get(f"/en/places/{ANDERLECHT}").get_data(as_text=True)
    assert f'href="/en/places/{CENTRUM}"' in municipality  # its neighbourhoods
    neighbourhood = client.get(f"/en/places/{CENTRUM}").get_data(as_text=True)
    links = re.findall(
        r'href="(/en/search\?place=58&amp;help=[\w-]+)">(?:(?!</a>).)*</a>'
        r'\s*<span class="count">(\d+) service',
        neighbourhood,
        re.S,
    )
    assert dict(links) == {
        "/en/search?place=58&amp;help=shopping": "2",
        "/en/search?place=58&amp;help=company-visits": "1",
        "/en/search?place=58&amp;help=paperwork": "1",
    }
    for url, count in links:
        results = client.get(url.replace("&amp;", "&")).get_data(as_text=True)
        assert re.search(rf"\b{count} results?\b", results), url
    assert "See all 3 services for this place" in neighbourhood
    assert f'href="/en/places/{ANDERLECHT}"' in neighbourhood  # its municipality
    assert client.get("/en/places/999").status_code == 404


# The map's reference data ---------------------------------------------------------------


def test_the_map_has_one_outline_per_neighbourhood():
    outlines = gap_map.outlines()
    ours = tomllib.loads((SEEDS / "places" / "neighbourhoods.toml").read_text())
    assert set(outlines.neighbourhoods) == {str(n["number"]) for n in ours["neighbourhood"]}
    municipalities = tomllib.loads((SEEDS / "places" / "municipalities.toml").read_text())
    assert set(outlines.labels) == {m["nis_code"] for m in municipalities["municipality"]}
    assert all(
        re.fullmatch(r"(M-?\d+ -?\d+l[-\d ]+z)+", d) for d in outlines.neighbourhoods.values()
    )
    assert gap_map.OUTLINES.stat().st_size < 64 * 1024


@pytest.mark.skipif(not (SHARED / "geo").exists(), reason="../shared/geo is not beside the repo")
def test_the_map_is_what_the_script_derives_from_the_boundary_files(tmp_path):
    pytest.importorskip("shapely")
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "map_outlines", PROJECT_ROOT / "scripts" / "map_outlines.py"
    )
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.build(SHARED / "geo") == gap_map.OUTLINES.read_text()


def test_the_running_app_reads_the_map_from_the_project_only():
    assert gap_map.OUTLINES.is_relative_to(PROJECT_ROOT / "seeds")
    for path in (PROJECT_ROOT / "directory" / "coordination").rglob("*.py"):
        assert "shared" not in path.read_text(), path
