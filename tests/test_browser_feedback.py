"""Public feedback in a real browser (Debian's chromium): a reader reports an error without
JavaScript and a coordinator finds it; axe-core on the report, claim and proposal forms (with
their errors shown) and on the coordinators' queues, in Dutch, French and Arabic."""

from __future__ import annotations

import pytest

from directory import schema
from directory.feedback import spam
from directory.models import Claim, ErrorReport, Role
from tests import factories
from tests.browsing import AxeCheck, serve, sign_in
from tests.conftest import seeded_app
from tests.factories import PASSWORD, make_account
from tests.test_browser import CHROMIUM, browser  # noqa: F401 (the shared browser fixture)

pytestmark = pytest.mark.slow
LANGUAGES = ("nl", "fr", "ar")
# A person takes longer than the spam stamp's minimum to fill in a form.
HUMAN_PAUSE_MS = int(spam.MIN_FILL_TIME.total_seconds() * 1000) + 300


def build(session):
    organization = factories.organization(session, "Buurthuis Noord")
    service = factories.service(session, organization, "Koffie in de buurt")
    coordinator = make_account(
        session, Role.COORDINATOR, [], password=PASSWORD, email="coordinator@example.org"
    )
    report = ErrorReport(
        organization_id=organization.id,
        service_id=service.id,
        what="hours",
        message="Gesloten op maandag.",
        reporter_email="lezer@example.org",
        locale="nl",
    )
    claim = Claim(
        organization_id=organization.id, name="Fatima", email="fatima@example.org", locale="nl"
    )
    proposal = Claim(
        proposed_name="Buurtgroep Kuregem",
        proposed_kind="neighbour_help_network",
        proposed_description="Boodschappen voor buren.",
        name="Jan",
        email="jan@example.org",
        locale="nl",
    )
    session.add_all([report, claim, proposal])
    session.commit()
    return {
        "organization": organization.id,
        "service": service.id,
        "coordinator": coordinator.email,
        "report": report.id,
        "claim": claim.id,
        "proposal": proposal.id,
    }


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser-feedback")
    url = f"sqlite:///{root / 'browser.sqlite3'}"
    schema.upgrade(url)
    app = seeded_app(url, root, build=build, MAIL_OUTBOX_DIR=str(root / "mail"))
    app.config["FEEDBACK_LIMIT_PER_IP"] = "1000/hour"  # every test comes from loopback
    app.config["FEEDBACK_LIMIT_PER_LISTING"] = "1000/day"
    with serve(app) as base:
        yield base, app


def test_a_reader_reports_an_error_without_javascript(browser, server):  # noqa: F811
    base, app = server
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base}/en/services/{app.ids['service']}")
    page.locator("a[href$='/report']").click()
    page.check("input[name=what][value=contact]")
    page.fill("textarea[name=message]", "The phone number changed to 02 123 45 67.")
    # The honeypot is off-screen, on the side no page scrolls to.
    box = page.locator("input[name=website]").bounding_box()
    assert box is None or box["x"] + box["width"] <= 0
    page.wait_for_timeout(HUMAN_PAUSE_MS)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/thank-you" in page.url
    context.close()

    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, base, "en", app.ids["coordinator"])
    page.goto(f"{base}/en/coordination/reports")
    assert "open error reports" in page.locator("main").inner_text()
    assert "The phone number, email or website" in page.locator("main").inner_text()
    context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_feedback_pages_have_no_serious_accessibility_violations(browser, server, lang):  # noqa: F811
    base, app = server
    check = AxeCheck(base)

    def check_with_errors(page, path):
        """The form sent back empty (after a person's pause), with every error shown."""
        page.goto(base + path)
        page.wait_for_timeout(HUMAN_PAUSE_MS)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        assert page.locator(".error-summary").count() == 1, path
        check.current(page, f"{path} (errors)")

    context = browser.new_context(java_script_enabled=True)
    page = context.new_page()
    organization, service = app.ids["organization"], app.ids["service"]
    check(page, f"/{lang}/organizations/{organization}")
    check(page, f"/{lang}/services/{service}")
    check(page, f"/{lang}/services/{service}/report")
    check_with_errors(page, f"/{lang}/services/{service}/report")
    check(page, f"/{lang}/organizations/{organization}/report")
    check(page, f"/{lang}/organizations/{organization}/claim")
    check_with_errors(page, f"/{lang}/organizations/{organization}/claim")
    check(page, f"/{lang}/organizations/propose")
    check_with_errors(page, f"/{lang}/organizations/propose")
    check(page, f"/{lang}/thank-you?about=report")
    context.close()

    context = browser.new_context(java_script_enabled=True)
    page = context.new_page()
    sign_in(page, base, lang, app.ids["coordinator"])
    check(page, f"/{lang}/coordination/reports")
    check(page, f"/{lang}/coordination/reports?show=all")
    check(page, f"/{lang}/coordination/reports/{app.ids['report']}")
    check(page, f"/{lang}/coordination/claims")
    check(page, f"/{lang}/coordination/claims/{app.ids['claim']}")
    check(page, f"/{lang}/coordination/claims/{app.ids['proposal']}")
    context.close()
    assert not check.problems, check.report()
