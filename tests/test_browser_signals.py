"""Signals of concern in a real browser (Debian's chromium): a neighbour sends the form without
JavaScript and the info point takes it up and hands it over, also without JavaScript;
axe-core on the form (empty and with its errors), the receipt and every signed-in page in
Dutch, French and Arabic."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from directory import schema
from directory.feedback import spam
from directory.models import (
    Neighbourhood,
    PersonAware,
    Role,
    Signal,
    SignalArea,
    SignalRoute,
    SignalStatus,
)
from tests import factories
from tests.browsing import AxeCheck, serve, sign_in
from tests.conftest import seeded_app
from tests.factories import PASSWORD, make_account
from tests.test_browser import CHROMIUM, browser  # noqa: F401 (the shared browser fixture)

pytestmark = pytest.mark.slow
LANGUAGES = ("nl", "fr", "ar")
# A person takes longer than the spam stamp's minimum to fill in a form.
HUMAN_PAUSE_MS = int(spam.MIN_FILL_TIME.total_seconds() * 1000) + 300
MAROLLES = 8


def build(session):
    info_point = factories.organization(session, "Infopunt Marollen")
    marolles = session.scalars(select(Neighbourhood).where(Neighbourhood.number == MAROLLES)).one()
    session.add(SignalArea(organization_id=info_point.id, neighbourhood_id=marolles.id))
    receiver = factories.organization(session, "Bezoekdienst Zuid")
    service = factories.service(session, receiver, "Bezoek aan huis", ("shopping",))
    worker = make_account(
        session, Role.INFO_POINT_WORKER, [info_point], password=PASSWORD, email="worker@example.org"
    )
    make_account(
        session, Role.ORGANIZATION_MEMBER, [receiver], password=PASSWORD, email="member@example.org"
    )
    coordinator = make_account(
        session, Role.COORDINATOR, [], password=PASSWORD, email="coordinator@example.org"
    )
    # One signal the info point took up, one no info point takes (for the coordinators).
    taken = Signal(
        submission_key=uuid.uuid4().hex,
        status=SignalStatus.TAKEN_UP,
        observations=["seems_lonely"],
        text="Zij komt niet meer naar de markt.",
        neighbourhood=marolles,
        person_language="nl",
        person_aware=PersonAware.NOT_SURE,
        signaller_phone="+32 470 00 00 00",
        locale="nl",
        taken_by_organization_id=info_point.id,
        taken_by_account_id=worker.id,
        routes=[SignalRoute(organization_id=info_point.id)],
    )
    unrouted = Signal(
        submission_key=uuid.uuid4().hex,
        observations=["health"],
        neighbourhood=session.scalars(
            select(Neighbourhood).where(Neighbourhood.number == 58)
        ).one(),
        person_aware=PersonAware.YES,
        locale="fr",
    )
    session.add_all([taken, unrouted])
    session.commit()
    return {
        "info_point": info_point.id,
        "service": service.id,
        "worker": worker.email,
        "coordinator": coordinator.email,
        "taken": taken.id,
        "unrouted": unrouted.id,
    }


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser-signals")
    url = f"sqlite:///{root / 'browser.sqlite3'}"
    schema.upgrade(url)
    app = seeded_app(url, root, build=build, MAIL_OUTBOX_DIR=str(root / "mail"))
    app.config["SIGNAL_LIMIT_PER_IP"] = "1000/hour"  # every test comes from loopback
    app.config["SIGNAL_LIMIT_PER_PLACE"] = "1000/day"
    with serve(app) as base:
        yield base, app


def send_the_form(page, base, lang="en"):
    page.goto(f"{base}/{lang}/signals/new")
    page.check("input[name=observations][value=lives_alone]")
    page.check("input[name=observations][value=no_longer_goes_out]")
    page.fill("textarea[name=text]", "His shutters stay down and his mailbox is full.")
    page.fill("input[name=postcode]", "1000")
    page.select_option("select[name=neighbourhood]", str(MAROLLES))
    page.select_option("select[name=person_language]", "ar")
    page.check("input[name=person_aware][value=no]")
    page.fill("input[name=signaller_email]", "neighbour@example.org")
    page.wait_for_timeout(HUMAN_PAUSE_MS)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_a_neighbour_signals_and_the_info_point_hands_over_without_javascript(
    browser,  # noqa: F811
    server,
):
    base, app = server
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base}/en/")
    page.locator("a[href$='/signals/new']").click()
    assert page.url.endswith("/en/signals/new")
    send_the_form(page, base)
    assert page.url.endswith("/en/signals/received")
    assert "your signal was received" in page.locator("h1").inner_text()
    context.close()

    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, base, "en", app.ids["worker"])
    page.goto(f"{base}/en/signals/")
    assert "1 new" in page.locator("main").inner_text()
    page.locator("table.referrals tr", has=page.locator("text=New")).locator("a").first.click()
    assert "shutters stay down" in page.locator("main").inner_text()
    page.locator("form.step", has=page.locator("input[value=taken_up]")).locator("button").click()
    page.wait_for_load_state()
    assert "Taken up" in page.locator(".badge").inner_text()
    signal_url = page.url

    page.locator("a[href*='/handover']").click()
    page.select_option("select[name=service]", str(app.ids["service"]))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    page.fill("input[name=client_name]", "M.")
    page.check("input[name=contact_channel][value=through_referrer]")
    page.check("input[name=need_terms][value=shopping]")
    page.check("input[name=consent_shares_need]")
    page.check("input[name=consent_given]")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/en/referrals/" in page.url
    assert "Sent, not yet acknowledged" in page.locator("main").inner_text()
    page.goto(signal_url)
    assert "Handed over as a referral" in page.locator(".badge").inner_text()
    context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_signal_pages_have_no_serious_accessibility_violations(browser, server, lang):  # noqa: F811
    base, app = server
    check = AxeCheck(base)

    context = browser.new_context(java_script_enabled=True)
    page = context.new_page()
    check(page, f"/{lang}/signals/new")
    # The form sent back empty (after a person's pause), with every error shown.
    page.wait_for_timeout(HUMAN_PAUSE_MS)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    check.current(page, f"/{lang}/signals/new (errors)")
    check(page, f"/{lang}/signals/received")
    context.close()

    context = browser.new_context(java_script_enabled=True)
    page = context.new_page()
    sign_in(page, base, lang, app.ids["worker"])
    check(page, f"/{lang}/signals/")
    check(page, f"/{lang}/signals/{app.ids['taken']}")
    check(page, f"/{lang}/signals/{app.ids['taken']}/handover")
    check(page, f"/{lang}/signals/{app.ids['taken']}/handover?service={app.ids['service']}")
    check(page, f"/{lang}/signals/places/{app.ids['info_point']}")
    context.close()

    context = browser.new_context(java_script_enabled=True)
    page = context.new_page()
    sign_in(page, base, lang, app.ids["coordinator"])
    check(page, f"/{lang}/signals/")
    check(page, f"/{lang}/signals/{app.ids['unrouted']}")
    check(page, f"/{lang}/signals/places")
    context.close()
    assert not check.problems, check.report()
