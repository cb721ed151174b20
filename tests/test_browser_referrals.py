"""The warm handover in a real browser (Debian's chromium): the whole loop, from a worker's
search to the organisation's acceptance, and axe-core on every signed-in page in Dutch,
French and Arabic."""

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
    info_point = factories.organization(session, "Infopunt Noord")
    receiver = factories.organization(session, "Boodschappendienst Zuid")
    service = factories.service(
        session, receiver, "Boodschappen aan huis", ("shopping",), neighbourhood=8
    )
    worker = make_account(
        session, Role.INFO_POINT_WORKER, [info_point], password=PASSWORD, email="worker@example.org"
    )
    member = make_account(
        session, Role.ORGANIZATION_MEMBER, [receiver], password=PASSWORD, email="member@example.org"
    )
    coordinator = make_account(
        session, Role.COORDINATOR, [], password=PASSWORD, email="coordinator@example.org"
    )
    session.commit()
    return {
        "service": service.id,
        "worker": worker.email,
        "member": member.email,
        "coordinator": coordinator.email,
    }


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser-referrals")
    url = f"sqlite:///{root / 'browser.sqlite3'}"
    schema.upgrade(url)
    app = seeded_app(url, root, build=build, MAIL_OUTBOX_DIR=str(root / "mail"))
    with serve(app) as base:
        yield base, app


def new_page(browser):  # noqa: F811
    context = browser.new_context(java_script_enabled=False)
    return context, context.new_page()


def refer(page, base, lang="en", name="Mohammed B."):
    """From a search to a listing to the referral form, filled in and sent."""
    page.goto(f"{base}/{lang}/search?q=boodschappen+aan+huis")
    page.locator("ol.results a", has_text="Boodschappen aan huis").first.click()
    page.locator("a[href*='/referrals/new']").click()
    page.fill("input[name=client_name]", name)
    page.check("input[name=contact_channel][value=phone]")
    page.fill("input[name=client_phone]", "+32 470 00 00 00")
    # Check boxes, not a multi-select: every choice works by touch.
    page.check("input[name=client_languages][value=ar]")
    page.check("input[name=client_languages][value=fr]")
    page.check("input[name=need_terms][value=shopping]")
    page.fill("textarea[name=need_text]", "Cannot carry heavy shopping.")
    page.check("input[name=consent_shares_contact]")
    page.check("input[name=consent_shares_need]")
    page.check("input[name=consent_given]")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_the_whole_loop_without_javascript(browser, server):  # noqa: F811
    base, app = server
    worker_context, worker = new_page(browser)
    sign_in(worker, base, "en", app.ids["worker"])
    refer(worker, base)
    assert "/referrals/" in worker.url
    assert "Sent, not yet acknowledged" in worker.locator("main").inner_text()
    reference = worker.locator("h1").inner_text()

    member_context, member = new_page(browser)
    sign_in(member, base, "en", app.ids["member"])
    member.goto(f"{base}/en/referrals/")
    assert "1 new" in member.locator("main").inner_text()
    member.locator("table.referrals a").first.click()
    assert member.locator("h1").inner_text() == reference
    member.locator("form.step", has=member.locator("input[value=accepted]")).locator(
        "button"
    ).click()
    member.wait_for_load_state()
    assert "Accepted" in member.locator("main").inner_text()

    worker.reload()
    assert "Accepted" in worker.locator(".badge").first.inner_text()
    worker_context.close()
    member_context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_signed_in_pages_have_no_serious_accessibility_violations(browser, server, lang):  # noqa: F811
    base, app = server
    check = AxeCheck(base)

    context = browser.new_context(java_script_enabled=True)
    page = context.new_page()
    check(page, f"/{lang}/account/sign-in")
    check(page, f"/{lang}/account/forgot-password")
    sign_in(page, base, lang, app.ids["worker"])
    check(page, f"/{lang}/referrals/new?service={app.ids['service']}")
    # The form with every error shown.
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    check(page, page.url)
    refer(page, base, lang, name=f"Client {lang}")
    detail = page.url
    check(page, detail)
    check(page, f"/{lang}/referrals/")
    check(page, f"/{lang}/account/")
    context.close()

    context = browser.new_context(java_script_enabled=True)
    page = context.new_page()
    sign_in(page, base, lang, app.ids["member"])
    check(page, f"/{lang}/referrals/")
    check(page, detail.replace(base, ""))
    context.close()

    context = browser.new_context(java_script_enabled=True)
    page = context.new_page()
    sign_in(page, base, lang, app.ids["coordinator"])
    check(page, f"/{lang}/referrals/overview")
    check(page, f"/{lang}/account/accounts")
    context.close()
    assert not check.problems, check.report()
