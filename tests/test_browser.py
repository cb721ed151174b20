"""In a real browser (Debian's chromium, driven by Playwright): accessibility checks with
axe-core on every page and form in Dutch, French and Arabic, a keyboard-only walk from the
home page to a listing, and a handout printed to PDF."""

from __future__ import annotations

import io
import os
import re
import shutil
from pathlib import Path

import pytest

from directory import schema
from directory.seeding.loader import seed_id
from tests.conftest import seeded_app

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
if not CHROMIUM.exists():
    if os.environ.get("CI"):
        raise RuntimeError(f"browser tests need {CHROMIUM}: .ci/run installs Debian's chromium")
    pytest.skip(f"no browser at {CHROMIUM}", allow_module_level=True)

from playwright.sync_api import sync_playwright  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from tests.browsing import AxeCheck, serve  # noqa: E402

pytestmark = pytest.mark.slow
LANGUAGES = ("nl", "fr", "ar")
ACCOLAGE = seed_id("organization", "accolage")
JETTE_INFO = seed_id("organization", "ocmw-jette")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on its own seeded SQLite database and index, served on loopback."""
    root = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{root / 'browser.sqlite3'}"
    schema.upgrade(url)
    app = seeded_app(url, root)
    with serve(app) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(java_script_enabled=True)
    tab = context.new_page()
    yield tab
    context.close()


def a_service_url(page, server, lang) -> str:
    page.goto(f"{server}/{lang}/search?q=boodschappen")
    return page.locator("ol.results a").first.get_attribute("href")


def pages_to_check(page, server, lang) -> list[str]:
    service = a_service_url(page, server, lang)
    service_id = service.rsplit("/", 1)[-1]
    return [
        f"/{lang}/",
        f"/{lang}/search?q=boodschappen",
        f"/{lang}/search?q=boodschappen&place=21004&help=shopping&lang=nl",
        f"/{lang}/search?q=zzzqqq",
        f"/{lang}/search?help=legal-help&place=8",
        f"/{lang}/organizations/{ACCOLAGE}",
        f"/{lang}/organizations/{JETTE_INFO}",
        service,
        f"/{lang}/kinds/neighbour_help_network",
        f"/{lang}/handout?service={service_id}&for=ar",
        f"/{lang}/organizations/00000000-0000-4000-8000-000000000000",
    ]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_serious_accessibility_violations(page, server, lang):
    check = AxeCheck(server)
    for path in pages_to_check(page, server, lang):
        check(page, path)
    assert not check.problems, check.report()


def test_arabic_pages_read_right_to_left(page, server):
    page.goto(f"{server}/ar/search?q=boodschappen")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    # The layout mirrors: the search button sits left of the field in Arabic.
    field = page.locator("#q").bounding_box()
    button = page.locator(".search-row button").bounding_box()
    assert button["x"] < field["x"]
    page.goto(f"{server}/nl/search?q=boodschappen")
    field = page.locator("#q").bounding_box()
    button = page.locator(".search-row button").bounding_box()
    assert button["x"] > field["x"]


def test_keyboard_only_from_home_through_search_to_a_listing(page, server):
    page.goto(f"{server}/fr/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    for _ in range(40):
        if page.evaluate("document.activeElement.id") == "q":
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("the search field cannot be reached with Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "no visible focus on the search field"
    page.keyboard.type("courses")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/fr/search\?"))
    for _ in range(80):
        href = page.evaluate("document.activeElement.getAttribute('href') || ''")
        if "/services/" in href:
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("no result link can be reached with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/fr/services/"))
    assert page.locator("h1").is_visible()


def test_pages_work_without_javascript(browser, server):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(f"{server}/nl/")
    tab.fill("#q", "leefloon")
    tab.press("#q", "Enter")
    tab.wait_for_url(re.compile(r"/nl/search\?"))
    before = tab.locator("ol.results li").count()
    tab.locator("summary", has_text="Gemeente").click()
    tab.check("input[name=place][value='21010']")  # Jette
    tab.click("form.filters button[type=submit]")
    tab.wait_for_url(re.compile(r"place=21010"))
    assert 0 < tab.locator("ol.results li").count() < before
    assert "Jette" in tab.locator("ol.results").inner_text()
    context.close()


def test_a_handout_of_three_listings_prints_on_one_page(page, server):
    page.goto(f"{server}/nl/search?q=boodschappen")
    ids = [
        href.rsplit("/", 1)[-1]
        for href in page.locator("ol.results h2 a").evaluate_all("els => els.map(e => e.href)")[:3]
    ]
    assert len(ids) == 3
    query = "&".join(f"service={i}" for i in ids)
    page.goto(f"{server}/nl/handout?{query}&for=ar&provider=nl")
    assert page.locator(".handout-listing").count() == 3
    assert page.locator(".handout-column[lang=ar][dir=rtl]").count() == 3
    assert page.locator(".handout-column[lang=nl]").count() == 3
    assert page.locator(".handout-qr svg").count() == 3
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    assert len(pdf.pages) == 1
    text = pdf.pages[0].extract_text()
    assert "Openingsuren" in text


def test_the_handout_is_reached_from_a_listing_and_from_search(page, server):
    service = a_service_url(page, server, "fr")
    page.goto(service if service.startswith("http") else server + service)
    page.click("a[href*='/handout?service=']")
    page.wait_for_url(re.compile(r"/fr/handout\?service="))
    assert page.locator(".handout-listing").count() == 1
    page.goto(f"{server}/fr/search?q=courses")
    page.locator("a.button-link").first.click()
    page.wait_for_url(re.compile(r"/fr/handout\?"))
    assert page.locator(".handout-listing").count() >= 2


@pytest.fixture(autouse=True)
def _no_leftover_tmp():
    yield
    shutil.rmtree("/tmp/playwright-artifacts", ignore_errors=True)
