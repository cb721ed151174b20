"""Daily use on a 390 px phone and a 1280 px desktop, in a real browser (Debian's chromium),
in Dutch, French and Arabic: no page scrolls sideways, the search box shows without
scrolling, every control a finger uses is at least 44 px high, the filters open from a
button above the results on a phone and stand beside them on a desktop, tables of work
become stacked cards, and each signed-in person finds their work in the header.

Screenshots of every page go to NABIJ_SCREENSHOTS when it is set (for looking at by eye)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from directory import schema
from directory.seeding.loader import seed_id
from tests.browsing import serve, sign_in
from tests.conftest import seeded_app
from tests.test_browser import CHROMIUM, browser  # noqa: F401 (the shared browser fixture)
from tests.test_browser_referrals import build, refer

pytestmark = pytest.mark.slow
LANGUAGES = ("nl", "fr", "ar")
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 800}
ACCOLAGE = seed_id("organization", "accolage")
SHOTS = os.environ.get("NABIJ_SCREENSHOTS")

# What a finger taps: links and buttons in the page's own content, form controls, the
# header's controls. Inline links inside running text are exempt (WCAG 2.5.8's exception).
TAP_TARGETS = """
() => {
  const small = [];
  const selector = 'header a, header summary, header button, main button, main summary,'
    + ' main input:not([type=hidden]), main select, .results h2 a, .chip-remove,'
    + ' .pagination a, .work-nav a, table.stack a, .map-links a, .button-link';
  for (const el of document.querySelectorAll(selector)) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;  // not shown
    let height = box.height;
    // A check box or radio counts with its label: the label is the tap target.
    if (el.matches('input[type=checkbox], input[type=radio]')) {
      const label = el.labels && el.labels[0];
      if (label) height = Math.max(height, label.getBoundingClientRect().height,
                                   el.parentElement.getBoundingClientRect().height);
    }
    const name = (el.textContent || el.name || '').trim().slice(0, 30);
    if (height < 43.5) small.push(`${el.tagName} ${name}: ${Math.round(height)}px`);
  }
  return small;
}
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser-layout")
    url = f"sqlite:///{root / 'browser.sqlite3'}"
    schema.upgrade(url)
    # Three people sign in for each of six screen and language runs: more than a person
    # signing in would, so the sign-in limits are raised for this server.
    app = seeded_app(
        url,
        root,
        build=build,
        MAIL_OUTBOX_DIR=str(root / "mail"),
        SIGN_IN_LIMIT_PER_EMAIL="100/minute",
        SIGN_IN_LIMIT_PER_IP="300/minute",
    )
    with serve(app) as base:
        yield base, app


def check_layout(page, viewport: dict, label: str) -> list[str]:
    problems = []
    sideways = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if sideways > 1:
        problems.append(f"{label}: scrolls sideways by {sideways}px")
    small = page.evaluate(TAP_TARGETS)
    if small:
        problems.append(f"{label}: tap targets under 44px: {small[:5]}")
    if SHOTS:
        folder = Path(SHOTS)
        folder.mkdir(parents=True, exist_ok=True)
        name = label.replace("/", "_").replace("?", "_").replace("&", "_").strip("_")
        page.screenshot(path=str(folder / f"{viewport['width']}-{name}.png"), full_page=True)
    return problems


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_pages_fit_the_screen_and_every_control_is_big_enough(browser, server, lang, viewport):  # noqa: F811
    base, app = server
    problems: list[str] = []
    context = browser.new_context(viewport=viewport, java_script_enabled=False)
    page = context.new_page()

    page.goto(f"{base}/{lang}/")
    box = page.locator("#q").bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= viewport["height"], "the search box is below the fold"
    problems += check_layout(page, viewport, f"/{lang}/")

    page.goto(f"{base}/{lang}/search?q=boodschappen&place=21001")
    box = page.locator("#q").bounding_box()
    assert box["y"] + box["height"] <= viewport["height"], "the search box is below the fold"
    filters = page.locator(".filters-panel")
    results = page.locator("ol.results")
    filters_box, results_box = filters.bounding_box(), results.bounding_box()
    if viewport is PHONE:
        # The filters are a button above the results; the results start on the first screen.
        assert filters_box["y"] < results_box["y"]
        assert results_box["y"] < viewport["height"]
    else:
        # Beside the results, open.
        assert abs(filters_box["y"] - results_box["y"]) < 200
        assert page.locator(".filters summary").first.is_visible()
        assert page.locator(".filters button[type=submit]").is_visible()
    # The chip names the place it removes.
    assert page.locator(".active-filters li bdi").first.inner_text() == "Anderlecht"
    # A card says "X and N more", not sixteen bilingual names.
    for where in page.locator("ol.results li p", has_text=":").all_inner_texts():
        assert where.count(";") < 2, where
    problems += check_layout(page, viewport, f"/{lang}/search")

    page.goto(f"{base}/{lang}/organizations/{ACCOLAGE}")
    problems += check_layout(page, viewport, f"/{lang}/organization")
    page.goto(f"{base}/{lang}/services/{app.ids['service']}")
    problems += check_layout(page, viewport, f"/{lang}/service")
    context.close()

    # A worker: the referral form (check boxes, not a multi-select) and their referrals.
    context = browser.new_context(viewport=viewport, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, base, lang, app.ids["worker"])
    page.goto(f"{base}/{lang}/referrals/new?service={app.ids['service']}")
    assert page.locator("select[multiple]").count() == 0
    problems += check_layout(page, viewport, f"/{lang}/referrals/new")
    refer(page, base, lang, name=f"Client {lang} {viewport['width']}")
    # Their work in the header: the referrals they sent, with how many are open.
    work = page.locator("nav.work-nav")
    assert work.locator("a[href$='/referrals/']").count() == 1
    assert work.locator(".waiting").count() == 1
    page.goto(f"{base}/{lang}/referrals/")
    problems += check_layout(page, viewport, f"/{lang}/referrals")
    context.close()

    # The receiving member: the inbox with what waits, as stacked cards on a phone.
    context = browser.new_context(viewport=viewport, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, base, lang, app.ids["member"])
    # Each run of this test sends one more referral to this member: at least one waits.
    assert int(page.locator("nav.work-nav .waiting").first.inner_text().split()[0]) >= 1
    page.goto(f"{base}/{lang}/referrals/")
    row = page.locator("table.referrals tbody tr").first
    cells = row.locator("td")
    first, second = cells.nth(0).bounding_box(), cells.nth(1).bounding_box()
    if viewport is PHONE:
        assert second["y"] > first["y"], "on a phone a referral is a card, its values stacked"
    else:
        assert abs(second["y"] - first["y"]) < 5, "on a desktop referrals are a table"
    problems += check_layout(page, viewport, f"/{lang}/referrals-inbox")
    context.close()

    # A coordinator: the queues in the header, one of them open.
    context = browser.new_context(viewport=viewport, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, base, lang, app.ids["coordinator"])
    links = page.locator("nav.work-nav a")
    assert links.count() >= 5
    page.locator("nav.work-nav a[href$='/coordination/reports']").click()
    page.wait_for_load_state()
    problems += check_layout(page, viewport, f"/{lang}/coordination/reports")
    page.goto(f"{base}/{lang}/manage/requests")
    problems += check_layout(page, viewport, f"/{lang}/manage/requests")
    context.close()
    assert not problems, "\n".join(problems)
