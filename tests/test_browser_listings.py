"""Keeping a listing true in a real browser (Debian's chromium), without JavaScript: a member
not yet trusted edits a service's description, a coordinator reads the diff in the queue and
approves, and the public listing shows the new text. Also axe-core on every editing and
moderation page in Dutch, French and Arabic."""

from __future__ import annotations

import pytest

from directory import schema
from directory.models import Role
from tests import factories
from tests.browsing import AxeCheck, serve, sign_in
from tests.conftest import seeded_app
from tests.factories import PASSWORD, make_account
from tests.test_browser import CHROMIUM, browser  # noqa: F401 (the shared browser fixture)

pytestmark = pytest.mark.slow
LANGUAGES = ("nl", "fr", "ar")


def build(session):
    organization = factories.organization(session, "Wijkhuis Noord")
    service = factories.service(session, organization, "Soepbar", ("meals",), neighbourhood=8)
    member = make_account(
        session,
        Role.ORGANIZATION_MEMBER,
        [organization],
        password=PASSWORD,
        email="member@example.org",
    )
    coordinator = make_account(
        session, Role.COORDINATOR, [], password=PASSWORD, email="coordinator@example.org"
    )
    session.commit()
    return {
        "organization": organization.id,
        "service": service.id,
        "member": member.email,
        "coordinator": coordinator.email,
    }


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser-listings")
    url = f"sqlite:///{root / 'browser.sqlite3'}"
    schema.upgrade(url)
    app = seeded_app(url, root, catalogue=False, build=build)
    with serve(app) as base:
        yield base, app


def test_edit_moderate_and_publish_without_javascript(browser, server):  # noqa: F811
    base, app = server
    member_context = browser.new_context(java_script_enabled=False)
    member = member_context.new_page()
    sign_in(member, base, "en", app.ids["member"])
    member.goto(f"{base}/en/services/{app.ids['service']}")
    member.locator("a", has_text="Edit this listing").click()
    member.fill("textarea[name='text_nl-description']", "Elke woensdag verse soep.")
    member.fill("input[name='hours-6-opens']", "12:00")  # Wednesday, first period
    member.fill("input[name='hours-6-closes']", "14:00")
    member.locator("main form button[type=submit]").click()
    member.wait_for_load_state()
    assert "A coordinator will check your changes" in member.locator("main").inner_text()
    public = browser.new_context(java_script_enabled=False)
    reader = public.new_page()
    reader.goto(f"{base}/nl/services/{app.ids['service']}")
    assert "Elke woensdag verse soep." not in reader.locator("main").inner_text()

    coordinator_context = browser.new_context(java_script_enabled=False)
    coordinator = coordinator_context.new_page()
    sign_in(coordinator, base, "en", app.ids["coordinator"])
    coordinator.goto(f"{base}/en/manage/requests")
    coordinator.locator("table.requests a", has_text="Soepbar").click()
    diff = coordinator.locator("main").inner_text()
    assert "Soepbar description" in diff
    assert "Elke woensdag verse soep." in diff
    assert "Wednesday" in diff
    coordinator.locator("main form button", has_text="Approve and publish").click()
    coordinator.wait_for_load_state()
    assert "Approved and published" in coordinator.locator("main").inner_text()

    reader.reload()
    assert "Elke woensdag verse soep." in reader.locator("main").inner_text()
    reader.goto(f"{base}/nl/search?q=verse+soep")
    assert "Soepbar" in reader.locator("main").inner_text()
    for context in (member_context, public, coordinator_context):
        context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_editing_and_moderation_pages_have_no_serious_accessibility_violations(
    browser,  # noqa: F811
    server,
    lang,
):
    base, app = server
    check = AxeCheck(base)

    organization, service = app.ids["organization"], app.ids["service"]
    context = browser.new_context(java_script_enabled=True)
    page = context.new_page()
    sign_in(page, base, lang, app.ids["member"])
    check(page, f"/{lang}/manage/")
    check(page, f"/{lang}/manage/organizations/{organization}")
    check(page, f"/{lang}/manage/organizations/{organization}/services/new")
    new_location = f"/{lang}/manage/organizations/{organization}/locations/new"
    check(page, new_location)
    # The location form with errors shown: no postcode, a confidential place with no contact.
    page.fill("input[name=address]", "Voorbeeldstraat 1")
    page.check("input[name=confidential]")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    check(page, page.url)
    edit = f"/{lang}/manage/organizations/{organization}/services/{service}"
    check(page, edit)
    # The form with errors shown: a period closing before it opens, a bad web address.
    page.fill("input[name='hours-0-opens']", "14:00")
    page.fill("input[name='hours-0-closes']", "09:00")
    page.fill("input[name=url]", "javascript:alert(1)")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    check(page, page.url)
    page.goto(base + edit)
    page.fill("input[name='text_nl-summary']", f"Samenvatting {lang}")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    check(page, f"/{lang}/manage/")
    request_link = page.locator("table.requests a").first.get_attribute("href")
    check(page, request_link)
    check(page, f"/{lang}/manage/organizations/{organization}/history")
    context.close()

    context = browser.new_context(java_script_enabled=True)
    page = context.new_page()
    sign_in(page, base, lang, app.ids["coordinator"])
    check(page, f"/{lang}/manage/requests")
    check(page, request_link)
    context.close()
    assert not check.problems, check.report()
