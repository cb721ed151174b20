"""Where help is missing, in a real browser (Debian's chromium): axe-core on the
coordinators' page with its map, a place's page and the public "help near you" pages, in
Dutch, French and Arabic; the map's neighbourhoods reached and followed with the keyboard;
the filters used without JavaScript; the pages on a phone and a desktop."""

from __future__ import annotations

import pytest

from directory import schema
from tests.browsing import AxeCheck, serve, sign_in
from tests.conftest import seeded_app
from tests.test_browser import CHROMIUM, browser  # noqa: F401 (the shared browser fixture)
from tests.test_browser_layout import DESKTOP, PHONE, check_layout
from tests.test_coordination import ANDERLECHT, CENTRUM, NOW, build

pytestmark = pytest.mark.slow
LANGUAGES = ("nl", "fr", "ar")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The seed catalogue, plus the fixed services, searches and referrals of
    test_coordination, served on loopback."""
    root = tmp_path_factory.mktemp("browser-coordination")
    url = f"sqlite:///{root / 'browser.sqlite3'}"
    schema.upgrade(url)
    app = seeded_app(url, root, build=build, FIXED_NOW=NOW)
    with serve(app) as base:
        yield base, app


@pytest.mark.parametrize("lang", LANGUAGES)
def test_gap_pages_have_no_serious_accessibility_violations(browser, server, lang):  # noqa: F811
    base, app = server
    check = AxeCheck(base)
    context = browser.new_context(java_script_enabled=True)
    page = context.new_page()
    check(page, f"/{lang}/")
    check(page, f"/{lang}/places/{ANDERLECHT}")
    check(page, f"/{lang}/places/{CENTRUM}")
    sign_in(page, base, lang, app.ids["coordinator"])
    check(page, f"/{lang}/coordination/gaps")
    check(page, f"/{lang}/coordination/gaps?measure=searches&help=shopping&lang=ar&period=365")
    check(page, f"/{lang}/coordination/gaps/places/{CENTRUM}")
    check(page, f"/{lang}/coordination/gaps/places/{ANDERLECHT}?domain=care")
    context.close()
    assert not check.problems, check.report()


def test_the_map_is_reached_and_followed_with_the_keyboard(browser, server):  # noqa: F811
    base, app = server
    context = browser.new_context(java_script_enabled=True)
    page = context.new_page()
    sign_in(page, base, "en", app.ids["coordinator"])
    page.goto(f"{base}/en/coordination/gaps")
    page.locator("a.skip-map").focus()
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => [document.activeElement.closest('.gap-areas') !== null,"
        " document.activeElement.getAttribute('aria-label')]"
    )
    assert focused[0], "the first stop after the skip link is a neighbourhood of the map"
    assert ":" in focused[1]
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/en/coordination/gaps/places/" in page.url
    # The skip link leads past the 145 neighbourhoods to the table.
    page.goto(f"{base}/en/coordination/gaps")
    page.locator("a.skip-map").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#table-neighbourhoods"
    context.close()


def test_the_filters_work_without_javascript(browser, server):  # noqa: F811
    base, app = server
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, base, "en", app.ids["coordinator"])
    page.goto(f"{base}/en/coordination/gaps")
    page.select_option("#gap-measure", "searches")
    page.select_option("#gap-help", "shopping")
    page.locator("form.gap-filters button[type=submit]").click()
    page.wait_for_load_state()
    assert "measure=searches" in page.url
    assert "help=shopping" in page.url
    label = page.locator(f'.gap-areas a[data-key="{CENTRUM}"]').get_attribute("aria-label")
    assert label.endswith(": 6")
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_pages_fit_the_screen(browser, server, viewport):  # noqa: F811
    """No sideways scrolling (wide tables scroll in their own box) and controls a finger can
    hit, for residents browsing by place and for coordinators."""
    base, app = server
    problems: list[str] = []
    context = browser.new_context(viewport=viewport, java_script_enabled=False)
    page = context.new_page()
    for path in (f"/ar/places/{ANDERLECHT}", f"/ar/places/{CENTRUM}"):
        page.goto(base + path)
        problems += check_layout(page, viewport, path)
    sign_in(page, base, "fr", app.ids["coordinator"])
    for path in ("/fr/coordination/gaps", f"/fr/coordination/gaps/places/{CENTRUM}"):
        page.goto(base + path)
        problems += check_layout(page, viewport, path)
    context.close()
    assert problems == []
