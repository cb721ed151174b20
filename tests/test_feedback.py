"""Public feedback through the pages: error reports without an account (and the spam they
keep out), claims of a listing and proposals of a new organisation, and the coordinators'
queues that decide them."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from directory import mail
from directory.clock import BRUSSELS
from directory.models import (
    Account,
    Claim,
    ErrorReport,
    Organization,
    OrganizationKind,
    Provenance,
    ReportStatus,
    RequestStatus,
    Role,
)
from tests import factories
from tests.factories import csrf_token, make_account, sign_in
from tests.test_pages import page_text

PASSWORD = "correct horse battery staple"
MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=BRUSSELS)
HIDDEN = re.compile(r'<input[^>]*name="(\w+)"[^>]*type="hidden"[^>]*value="([^"]*)"')


@pytest.fixture
def world(app, session, tmp_path):
    app.config["MAIL_OUTBOX_DIR"] = str(tmp_path / "mail")
    app.config["FIXED_NOW"] = MONDAY
    w = type("World", (), {})()
    w.org = factories.organization(session, "Buurthuis Noord")
    w.other_org = factories.organization(session, "Taalcafé Zuid")
    w.service = factories.service(session, w.org, "Koffie in de buurt")
    w.member = make_account(session, Role.ORGANIZATION_MEMBER, [w.other_org], password=PASSWORD)
    w.worker = make_account(session, Role.INFO_POINT_WORKER, [w.other_org], password=PASSWORD)
    w.coordinator = make_account(session, Role.COORDINATOR, [], password=PASSWORD)
    session.commit()
    w.mail_dir = tmp_path / "mail"
    return w


def later(app, seconds: float) -> None:
    app.config["FIXED_NOW"] = app.config["FIXED_NOW"] + timedelta(seconds=seconds)


def send(client, app, url, data, *, wait=20, address="192.0.2.1", **hidden_overrides):
    """Open the form at `url` and send it back `wait` seconds later, as a person would."""
    page = client.get(url, environ_base={"REMOTE_ADDR": address})
    assert page.status_code == 200, page.text
    hidden = dict(HIDDEN.findall(page.text))
    hidden.update(hidden_overrides)
    later(app, wait)
    return client.post(url, data={**hidden, **data}, environ_base={"REMOTE_ADDR": address})


def a_report(**overrides):
    return {"what": "hours", "message": "They are closed on Mondays now.", **overrides}


def reports_in(session):
    session.expire_all()
    return session.scalars(select(ErrorReport).order_by(ErrorReport.created_at)).all()


def claims_in(session):
    session.expire_all()
    return session.scalars(select(Claim).order_by(Claim.created_at)).all()


def coordinator_client(app, world):
    client = app.test_client()
    sign_in(client, world.coordinator.email, PASSWORD)
    return client


# Error reports ----------------------------------------------------------------------------


def test_the_listing_pages_offer_to_report_and_to_claim(client, world):
    page = client.get(f"/en/organizations/{world.org.id}").text
    assert f"/en/organizations/{world.org.id}/report" in page
    assert f"/en/organizations/{world.org.id}/claim" in page
    assert "/en/organizations/propose" in page
    page = client.get(f"/en/services/{world.service.id}").text
    assert f"/en/services/{world.service.id}/report" in page


def test_a_report_without_an_account_lands_in_the_coordinators_queue(app, client, session, world):
    response = send(
        client,
        app,
        f"/fr/services/{world.service.id}/report",
        a_report(reporter_email=" Reader@Example.org "),
    )
    assert response.status_code == 303
    thanks = client.get(response.headers["Location"])
    assert thanks.status_code == 200
    [report] = reports_in(session)
    assert report.organization_id == world.org.id
    assert report.service_id == world.service.id
    assert report.what == "hours"
    assert report.reporter_email == "reader@example.org"
    assert report.locale == "fr"
    assert report.status is ReportStatus.OPEN

    coordinator = coordinator_client(app, world)
    queue = coordinator.get("/en/coordination/reports")
    assert queue.status_code == 200
    assert "1 open error report" in queue.text
    assert "Koffie in de buurt" in queue.text
    detail = coordinator.get(f"/en/coordination/reports/{report.id}")
    assert "They are closed on Mondays now." in detail.text
    assert "reader@example.org" in detail.text


def test_an_open_report_forgets_the_readers_address_after_the_keeping_time(
    app, client, session, world
):
    response = send(
        client, app, f"/fr/services/{world.service.id}/report", a_report(reporter_email="r@x.be")
    )
    days = app.config["REPORT_EMAIL_KEEP_DAYS"]
    thanks = page_text(client.get(response.headers["Location"]))
    assert f"au plus tard après {days} jours" in thanks
    detail = coordinator_client(app, world).get(
        f"/en/coordination/reports/{reports_in(session)[0].id}"
    )
    assert f"deleted after {days} days, even if the report is still open" in page_text(detail)
    runner = app.test_cli_runner()
    sent_at = app.config["FIXED_NOW"]
    app.config["FIXED_NOW"] = sent_at + timedelta(days=days - 1)
    assert "open error reports forgotten: 0" in runner.invoke(args=["feedback", "forget"]).output
    assert reports_in(session)[0].reporter_email == "r@x.be"
    app.config["FIXED_NOW"] = sent_at + timedelta(days=days + 1)
    assert "open error reports forgotten: 1" in runner.invoke(args=["feedback", "forget"]).output
    session.expire_all()
    [report] = reports_in(session)
    assert report.reporter_email is None
    assert report.status is ReportStatus.OPEN
    assert report.message == a_report()["message"]


def test_an_organisation_can_be_reported_too(app, client, session, world):
    response = send(client, app, f"/en/organizations/{world.org.id}/report", a_report())
    assert response.status_code == 303
    [report] = reports_in(session)
    assert report.service_id is None
    assert report.reporter_email is None


@pytest.mark.parametrize(
    ("wait", "overrides"),
    [
        (20, {"website": "http://spam.example"}),  # the honeypot filled in
        (1, {}),  # sent a second after the form was issued
        (20, {"stamp": ""}),  # no stamp
        (20, {"stamp": "eyJzIjoicmVwb3J0In0.forged"}),  # a stamp we did not sign
    ],
)
def test_bots_get_the_same_thank_you_and_nothing_is_stored(
    app, client, session, world, wait, overrides
):
    human = send(client, app, f"/en/organizations/{world.org.id}/report", a_report())
    before = len(reports_in(session))
    bot = send(
        app.test_client(),
        app,
        f"/en/organizations/{world.org.id}/report",
        a_report(),
        wait=wait,
        **overrides,
    )
    assert bot.status_code == human.status_code == 303
    assert bot.headers["Location"] == human.headers["Location"]
    assert client.get(bot.headers["Location"]).text == client.get(human.headers["Location"]).text
    assert len(reports_in(session)) == before == 1


def test_a_stamp_for_another_listing_is_a_bots(app, client, session, world):
    page = client.get(f"/en/organizations/{world.other_org.id}/report")
    hidden = dict(HIDDEN.findall(page.text))
    later(app, 20)
    response = client.post(
        f"/en/organizations/{world.org.id}/report", data={**hidden, **a_report()}
    )
    assert response.status_code == 303
    assert reports_in(session) == []


def test_a_form_left_open_for_days_is_shown_again_filled_in(app, client, session, world):
    response = send(
        client, app, f"/en/organizations/{world.org.id}/report", a_report(), wait=3 * 24 * 3600
    )
    assert response.status_code == 400
    assert "This page was open for a long time" in response.text
    assert "They are closed on Mondays now." in response.text
    assert reports_in(session) == []
    # Sent again (with the fresh stamp of the page shown), it goes through.
    hidden = dict(HIDDEN.findall(response.text))
    later(app, 10)
    again = client.post(f"/en/organizations/{world.org.id}/report", data={**hidden, **a_report()})
    assert again.status_code == 303
    assert len(reports_in(session)) == 1


def test_the_honeypot_is_hidden_from_people_and_screen_readers(client, world):
    page = client.get(f"/en/organizations/{world.org.id}/report").text
    honeypot = re.search(r'<div class="honeypot" aria-hidden="true">(.*?)</div>', page, re.S)
    assert honeypot is not None
    assert 'tabindex="-1"' in honeypot.group(1)
    assert 'autocomplete="off"' in honeypot.group(1)
    assert "Leave this field empty" in honeypot.group(1)
    assert "optional" in page.lower()


def test_reports_are_rate_limited_per_address(app, client, session, world):
    app.config["FEEDBACK_LIMIT_PER_IP"] = "2/hour"
    url = f"/en/organizations/{world.org.id}/report"
    assert send(client, app, url, a_report()).status_code == 303
    assert send(client, app, url, a_report()).status_code == 303
    limited = send(client, app, url, a_report(message="A third one, kept."))
    assert limited.status_code == 429
    assert "try again in an hour" in limited.text
    assert "A third one, kept." in limited.text
    # Another address is not held back.
    other = send(client, app, url, a_report(), address="198.51.100.7")
    assert other.status_code == 303
    assert len(reports_in(session)) == 3


def test_reports_are_capped_per_listing_whatever_the_address(app, client, session, world):
    app.config["FEEDBACK_LIMIT_PER_LISTING"] = "2/day"
    url = f"/en/organizations/{world.org.id}/report"
    for address in ("192.0.2.1", "192.0.2.2"):
        assert send(client, app, url, a_report(), address=address).status_code == 303
    assert send(client, app, url, a_report(), address="192.0.2.3").status_code == 429
    # Another listing is not.
    other = f"/en/organizations/{world.other_org.id}/report"
    assert send(client, app, other, a_report(), address="192.0.2.3").status_code == 303
    assert len(reports_in(session)) == 3


def test_no_address_is_stored(app, client, session, world):
    send(client, app, f"/en/organizations/{world.org.id}/report", a_report(), address="203.0.113.9")
    [report] = reports_in(session)
    for column in ErrorReport.__table__.columns:
        assert "203.0.113.9" not in str(getattr(report, column.key))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"what": ""}, "Choose what is wrong."),
        ({"what": "everything"}, "Not a valid choice"),
        ({"message": "   "}, "Tell us what is wrong."),
        ({"message": "x" * 2001}, "At most 2000 characters."),
        (
            {"message": "see http://a.example http://b.example www.c.example"},
            "Please include at most 2 links.",
        ),
        ({"reporter_email": "not an address"}, "Enter an email address like name@example.org."),
        ({"message": "A\x00B"}, "This contains characters that cannot be typed."),
    ],
)
def test_bad_input_is_explained_and_nothing_is_lost(
    app, client, session, world, overrides, message
):
    data = a_report(**overrides)
    response = send(client, app, f"/en/services/{world.service.id}/report", data)
    assert response.status_code == 400
    assert message in response.text
    assert 'aria-invalid="true"' in response.text or "<legend>" in response.text
    if overrides.get("reporter_email"):
        assert 'value="not an address"' in response.text
        assert "They are closed on Mondays now." in response.text
    assert reports_in(session) == []


def test_the_report_form_is_translated(client, world):
    page = client.get(f"/fr/organizations/{world.org.id}/report")
    assert page.status_code == 200
    assert '<html lang="fr"' in page.text


def test_unknown_listings_are_not_found(client, world):
    assert client.get(f"/en/organizations/{uuid.uuid4()}/report").status_code == 404
    assert client.get(f"/en/services/{uuid.uuid4()}/report").status_code == 404
    assert client.get(f"/en/organizations/{uuid.uuid4()}/claim").status_code == 404
    assert client.get("/en/organizations/not-an-id/report").status_code == 404


# The coordinators' report queue -----------------------------------------------------------


def open_report(app, client, session, world, **overrides):
    send(client, app, f"/en/organizations/{world.org.id}/report", a_report(**overrides))
    return reports_in(session)[-1]


def test_a_coordinator_resolves_a_report_and_the_reader_is_thanked(app, client, session, world):
    report = open_report(app, client, session, world, reporter_email="reader@example.org")
    coordinator = coordinator_client(app, world)
    token = csrf_token(coordinator, f"/en/coordination/reports/{report.id}")
    response = coordinator.post(
        f"/en/coordination/reports/{report.id}/decide",
        data={"csrf_token": token, "action": "resolve", "note": "Hours corrected.\nCalled them."},
    )
    assert response.status_code == 303
    session.expire_all()
    report = session.get(ErrorReport, report.id)
    assert report.status is ReportStatus.RESOLVED
    assert report.resolution == "Hours corrected.\nCalled them."
    assert report.resolved_by_id == world.coordinator.id
    assert report.resolved_at is not None
    assert report.reporter_email is None  # forgotten once handled
    [message] = mail.outbox(world.mail_dir)
    assert message["To"] == "reader@example.org"
    assert "Buurthuis Noord" in message.get_content()
    assert "Hours corrected." not in message.get_content()  # the note is for coordinators
    assert "0 open error reports" in coordinator.get("/en/coordination/reports").text
    # Deciding again changes nothing.
    again = coordinator.post(
        f"/en/coordination/reports/{report.id}/decide",
        data={"csrf_token": token, "action": "dismiss"},
    )
    assert again.status_code == 303
    session.expire_all()
    assert session.get(ErrorReport, report.id).status is ReportStatus.RESOLVED


def test_a_coordinator_dismisses_a_report_without_writing_to_anyone(app, client, session, world):
    report = open_report(app, client, session, world, reporter_email="reader@example.org")
    coordinator = coordinator_client(app, world)
    token = csrf_token(coordinator, f"/en/coordination/reports/{report.id}")
    # A decision without its action is explained.
    bad = coordinator.post(
        f"/en/coordination/reports/{report.id}/decide", data={"csrf_token": token, "action": "x"}
    )
    assert bad.status_code == 400
    assert "Choose resolved or dismissed." in bad.text
    response = coordinator.post(
        f"/en/coordination/reports/{report.id}/decide",
        data={"csrf_token": token, "action": "dismiss", "note": "Spam."},
    )
    assert response.status_code == 303
    session.expire_all()
    report = session.get(ErrorReport, report.id)
    assert report.status is ReportStatus.DISMISSED
    assert report.reporter_email is None
    assert mail.outbox(world.mail_dir) == []


# Claims and proposals ---------------------------------------------------------------------


def a_claim(**overrides):
    return {
        "name": "Fatima El Amrani",
        "email": "fatima@example.org",
        "role_in_organization": "coordinator",
        "message": "Call us on 02 000 00 00 to check.",
        **overrides,
    }


def decide(coordinator, claim_id, **data):
    token = csrf_token(coordinator, f"/en/coordination/claims/{claim_id}")
    return coordinator.post(
        f"/en/coordination/claims/{claim_id}/decide", data={"csrf_token": token, **data}
    )


def test_approving_a_claim_invites_the_claimant_as_a_member(app, client, session, world):
    response = send(client, app, f"/fr/organizations/{world.org.id}/claim", a_claim())
    assert response.status_code == 303
    [claim] = claims_in(session)
    assert claim.status is RequestStatus.PENDING
    assert claim.locale == "fr"
    # Asking twice while undecided makes one claim.
    send(client, app, f"/fr/organizations/{world.org.id}/claim", a_claim())
    assert len(claims_in(session)) == 1

    coordinator = coordinator_client(app, world)
    assert "1 request waiting for a decision" in coordinator.get("/en/coordination/claims").text
    assert "Fatima El Amrani" in coordinator.get(f"/en/coordination/claims/{claim.id}").text
    assert decide(coordinator, claim.id, action="approve").status_code == 303

    session.expire_all()
    claim = session.get(Claim, claim.id)
    assert claim.status is RequestStatus.APPROVED
    assert claim.decided_by_id == world.coordinator.id
    account = session.scalars(select(Account).where(Account.email == "fatima@example.org")).one()
    assert account.role is Role.ORGANIZATION_MEMBER
    assert account.organization_ids == {world.org.id}
    assert account.password_hash is None
    assert account.locale == "fr"
    [message] = mail.outbox(world.mail_dir)
    assert message["To"] == "fatima@example.org"
    link = re.search(r"https?://\S+/fr/account/invitation/\S+", message.get_content())
    assert link is not None
    assert app.config["PUBLIC_URL"] in link.group(0)


def test_approving_a_claim_of_an_existing_member_adds_the_membership(app, client, session, world):
    send(client, app, f"/en/organizations/{world.org.id}/claim", a_claim(email=world.member.email))
    [claim] = claims_in(session)
    coordinator = coordinator_client(app, world)
    assert decide(coordinator, claim.id, action="approve").status_code == 303
    session.expire_all()
    member = session.get(Account, world.member.id)
    assert member.organization_ids == {world.org.id, world.other_org.id}
    [message] = mail.outbox(world.mail_dir)
    assert message["To"] == world.member.email
    assert "/nl/account/sign-in" in message.get_content()  # in the account's language


def test_a_claim_by_an_account_of_another_role_is_refused(app, client, session, world):
    send(client, app, f"/en/organizations/{world.org.id}/claim", a_claim(email=world.worker.email))
    [claim] = claims_in(session)
    coordinator = coordinator_client(app, world)
    response = decide(coordinator, claim.id, action="approve")
    assert response.status_code == 409
    assert "not an organisation member" in response.text
    session.expire_all()
    assert session.get(Claim, claim.id).status is RequestStatus.PENDING
    assert session.get(Account, world.worker.id).organization_ids == {world.other_org.id}


def test_rejecting_a_claim_needs_a_reason_and_sends_it(app, client, session, world):
    send(client, app, f"/nl/organizations/{world.org.id}/claim", a_claim())
    [claim] = claims_in(session)
    coordinator = coordinator_client(app, world)
    without = decide(coordinator, claim.id, action="reject", reason="  ")
    assert without.status_code == 400
    assert "Give a reason" in without.text
    response = decide(
        coordinator, claim.id, action="reject", reason="We could not reach the organisation."
    )
    assert response.status_code == 303
    session.expire_all()
    claim = session.get(Claim, claim.id)
    assert claim.status is RequestStatus.REJECTED
    assert claim.reason == "We could not reach the organisation."
    assert session.scalars(select(Account).where(Account.email == claim.email)).first() is None
    [message] = mail.outbox(world.mail_dir)
    assert message["To"] == "fatima@example.org"
    assert "We could not reach the organisation." in message.get_content()


def a_proposal(**overrides):
    return {
        "proposed_name": "Buurtgroep Kuregem",
        "proposed_kind": "neighbour_help_network",
        "proposed_description": "Neighbours who do shopping for seniors in Kuregem.",
        **a_claim(),
        **overrides,
    }


def test_proposing_a_new_organisation_creates_it_when_approved(app, client, session, world):
    response = send(client, app, "/fr/organizations/propose", a_proposal())
    assert response.status_code == 303
    [claim] = claims_in(session)
    assert claim.organization_id is None
    assert claim.proposed_kind == "neighbour_help_network"
    coordinator = coordinator_client(app, world)
    page = coordinator.get(f"/en/coordination/claims/{claim.id}")
    assert "Buurtgroep Kuregem" in page.text
    assert "Neighbour-help network" in page.text
    assert decide(coordinator, claim.id, action="approve").status_code == 303

    session.expire_all()
    claim = session.get(Claim, claim.id)
    organization = session.get(Organization, claim.organization_id)
    assert organization.provenance is Provenance.ORGANIZATION
    assert organization.kind is OrganizationKind.NEIGHBOUR_HELP_NETWORK
    assert set(organization.texts) == {"fr"}
    assert organization.texts["fr"].name == "Buurtgroep Kuregem"
    assert organization.texts["fr"].is_original
    account = session.scalars(select(Account).where(Account.email == "fatima@example.org")).one()
    assert account.organization_ids == {organization.id}
    [message] = mail.outbox(world.mail_dir)
    assert "/fr/account/invitation/" in message.get_content()
    assert client.get(f"/en/organizations/{organization.id}").status_code == 200


def test_a_rejected_proposal_is_told_it_can_propose_again(app, client, session, world):
    """A proposed organisation has no listing to send a new request from."""
    send(client, app, "/fr/organizations/propose", a_proposal())
    [claim] = claims_in(session)
    decide(coordinator_client(app, world), claim.id, action="reject", reason="Inconnue ici.")
    [message] = mail.outbox(world.mail_dir)
    body = message.get_content()
    assert "Inconnue ici." in body
    assert "la proposer à nouveau sur Nabij" in body
    assert "fiche" not in body


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"proposed_name": ""}, "Enter the name of the organisation."),
        ({"proposed_kind": ""}, "Choose the kind of organisation."),
        ({"proposed_kind": "church"}, "Not a valid choice"),
        ({"proposed_description": ""}, "Describe what the organisation does."),
        ({"name": ""}, "Enter your name."),
        ({"email": ""}, "Enter your email address."),
        ({"email": "fatima"}, "Enter an email address like name@example.org."),
        ({"name": "A\x00B"}, "This contains characters that cannot be typed."),
        ({"proposed_description": "A\x00B"}, "This contains characters that cannot be typed."),
    ],
)
def test_a_proposal_with_bad_input_is_explained(app, client, session, world, overrides, message):
    response = send(client, app, "/en/organizations/propose", a_proposal(**overrides))
    assert response.status_code == 400
    assert message in response.text
    # What was typed is kept.
    for field, typed in (("proposed_name", "Buurtgroep Kuregem"), ("name", "Fatima El Amrani")):
        if field not in overrides:
            assert typed in response.text
    assert claims_in(session) == []


def test_a_bot_proposal_is_dropped(app, client, session, world):
    response = send(client, app, "/en/organizations/propose", a_proposal(), website="x")
    assert response.status_code == 303
    assert claims_in(session) == []


# Who may see the queues -------------------------------------------------------------------


def test_the_queues_are_for_coordinators_only(app, client, session, world):
    report = open_report(app, client, session, world)
    send(client, app, f"/en/organizations/{world.org.id}/claim", a_claim())
    [claim] = claims_in(session)
    member = app.test_client()
    sign_in(member, world.member.email, PASSWORD)
    token = csrf_token(member, "/en/")
    for url in (
        "/en/coordination/reports",
        f"/en/coordination/reports/{report.id}",
        "/en/coordination/claims",
        f"/en/coordination/claims/{claim.id}",
    ):
        assert member.get(url).status_code == 403
        assert app.test_client().get(url).status_code == 302
    for url, action in (
        (f"/en/coordination/reports/{report.id}/decide", "resolve"),
        (f"/en/coordination/claims/{claim.id}/decide", "approve"),
    ):
        assert member.post(url, data={"csrf_token": token, "action": action}).status_code == 403
    assert reports_in(session)[0].status is ReportStatus.OPEN
    assert claims_in(session)[0].status is RequestStatus.PENDING


def test_tampered_ids_are_not_found(app, world):
    coordinator = coordinator_client(app, world)
    token = csrf_token(coordinator, "/en/coordination/reports")
    unknown = uuid.uuid4()
    for url in (f"/en/coordination/reports/{unknown}", f"/en/coordination/claims/{unknown}"):
        assert coordinator.get(url).status_code == 404
        assert coordinator.post(url + "/decide", data={"csrf_token": token}).status_code == 404
    assert coordinator.get("/en/coordination/reports/1").status_code == 404


def test_a_decided_claim_forgets_the_claimant_after_the_keeping_time(app, client, session, world):
    send(client, app, f"/nl/organizations/{world.org.id}/claim", a_claim())
    [claim] = claims_in(session)
    decide(coordinator_client(app, world), claim.id, action="reject", reason="Not reachable.")
    runner = app.test_cli_runner()
    decided_at = app.config["FIXED_NOW"]
    app.config["FIXED_NOW"] = decided_at + timedelta(days=app.config["CLAIM_KEEP_DAYS"] - 1)
    assert "Claims forgotten: 0" in runner.invoke(args=["feedback", "forget"]).output
    assert claims_in(session)[0].email == "fatima@example.org"
    app.config["FIXED_NOW"] = decided_at + timedelta(days=app.config["CLAIM_KEEP_DAYS"] + 1)
    assert "Claims forgotten: 1" in runner.invoke(args=["feedback", "forget"]).output
    assert "Claims forgotten: 0" in runner.invoke(args=["feedback", "forget"]).output
    [forgotten] = claims_in(session)
    assert "fatima" not in f"{forgotten.name} {forgotten.email} {forgotten.message}".lower()
    assert forgotten.status is RequestStatus.REJECTED
    assert forgotten.reason == "Not reachable."


def test_a_pending_claim_is_never_forgotten(app, client, session, world):
    send(client, app, f"/nl/organizations/{world.org.id}/claim", a_claim())
    app.config["FIXED_NOW"] += timedelta(days=3650)
    assert "Claims forgotten: 0" in app.test_cli_runner().invoke(args=["feedback", "forget"]).output
    assert claims_in(session)[0].email == "fatima@example.org"
