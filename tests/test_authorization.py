"""Who may do what: every route of the app against six people (anonymous, a worker of info
point A that sent the referral, a worker of info point B, a member of the receiving
organisation, a member of another organisation, a coordinator). A route without a row here
fails the test, so a new page cannot ship without deciding who may see it.

Also: tampered ids on every referral route, and CSRF on every POST."""

from __future__ import annotations

import uuid

import pytest
from flask import url_for

from directory import clock
from directory.models import (
    ChangeRequest,
    ContactChannel,
    Location,
    LocationType,
    Referral,
    Role,
    ServiceAtLocation,
    Urgency,
)
from directory.referrals import access, handover
from directory.referrals.handover import Handover, Target
from tests import factories
from tests.factories import csrf_token, make_account, sign_in

PASSWORD = "correct horse battery staple"
ACTORS = ("anonymous", "worker_a", "worker_b", "member_r", "member_s", "coordinator")

OK, REDIRECT, SEE_OTHER, BAD, FORBIDDEN, NOT_FOUND, GONE = 200, 302, 303, 400, 403, 404, 410
PUBLIC = dict.fromkeys(ACTORS, OK)


def row(anonymous, worker_a, worker_b, member_r, member_s, coordinator):
    return dict(
        zip(ACTORS, (anonymous, worker_a, worker_b, member_r, member_s, coordinator), strict=False)
    )


# (endpoint, method) -> expected status per actor. Requests are made with valid CSRF tokens.
MATRIX: dict[tuple[str, str], dict[str, int]] = {
    ("language_redirect", "GET"): dict.fromkeys(ACTORS, REDIRECT),
    ("healthz", "GET"): PUBLIC,
    ("static", "GET"): PUBLIC,
    ("catalogue.home", "GET"): PUBLIC,
    ("catalogue.search", "GET"): PUBLIC,
    ("catalogue.handout_page", "GET"): PUBLIC,
    ("catalogue.organizations_of_kind", "GET"): PUBLIC,
    ("catalogue.organization", "GET"): PUBLIC,
    ("catalogue.service", "GET"): PUBLIC,
    # Referrals: only the two sides; coordinators get counts.
    ("referrals.index", "GET"): row(REDIRECT, OK, OK, OK, OK, REDIRECT),
    ("referrals.new", "GET"): row(REDIRECT, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    ("referrals.new", "POST"): row(REDIRECT, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    ("referrals.detail", "GET"): row(REDIRECT, OK, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND),
    ("referrals.change_status", "POST"): row(
        REDIRECT, SEE_OTHER, NOT_FOUND, SEE_OTHER, NOT_FOUND, FORBIDDEN
    ),
    ("referrals.add_note", "POST"): row(
        REDIRECT, SEE_OTHER, NOT_FOUND, SEE_OTHER, NOT_FOUND, FORBIDDEN
    ),
    ("referrals.open_link", "GET"): dict.fromkeys(ACTORS, GONE),
    ("referrals.redeem_link", "POST"): dict.fromkeys(ACTORS, GONE),
    ("referrals.export", "POST"): row(REDIRECT, OK, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    ("referrals.erase", "GET"): row(REDIRECT, OK, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    ("referrals.erase", "POST"): row(
        REDIRECT, SEE_OTHER, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN
    ),
    ("referrals.overview", "GET"): row(REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
    # Accounts: signing in is for everyone (a signed-in person is sent on); an empty form
    # is a 400 with its messages.
    ("accounts.sign_in", "GET"): row(OK, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    ("accounts.sign_in", "POST"): dict.fromkeys(ACTORS, BAD),
    ("accounts.second_factor_step", "GET"): dict.fromkeys(ACTORS, REDIRECT),
    ("accounts.second_factor_step", "POST"): dict.fromkeys(ACTORS, REDIRECT),
    ("accounts.sign_out", "POST"): dict.fromkeys(ACTORS, REDIRECT),
    ("accounts.forgot_password", "GET"): PUBLIC,
    ("accounts.forgot_password", "POST"): dict.fromkeys(ACTORS, BAD),
    ("accounts.reset_link", "GET"): dict.fromkeys(ACTORS, GONE),
    ("accounts.reset_password", "GET"): dict.fromkeys(ACTORS, GONE),
    ("accounts.reset_password", "POST"): dict.fromkeys(ACTORS, GONE),
    ("accounts.invitation_link", "GET"): dict.fromkeys(ACTORS, GONE),
    ("accounts.accept_invitation", "GET"): dict.fromkeys(ACTORS, GONE),
    ("accounts.accept_invitation", "POST"): dict.fromkeys(ACTORS, GONE),
    # One's own account: any signed-in person.
    ("accounts.home", "GET"): row(REDIRECT, OK, OK, OK, OK, OK),
    ("accounts.change_password", "GET"): row(REDIRECT, OK, OK, OK, OK, OK),
    ("accounts.change_password", "POST"): row(REDIRECT, BAD, BAD, BAD, BAD, BAD),
    ("accounts.enable_second_factor", "GET"): row(REDIRECT, OK, OK, OK, OK, OK),
    ("accounts.enable_second_factor", "POST"): row(REDIRECT, BAD, BAD, BAD, BAD, BAD),
    ("accounts.disable_second_factor", "GET"): dict.fromkeys(ACTORS, REDIRECT),
    ("accounts.disable_second_factor", "POST"): dict.fromkeys(ACTORS, REDIRECT),
    # People: coordinators only.
    ("accounts.people", "GET"): row(REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
    ("accounts.invite", "GET"): row(REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
    ("accounts.invite", "POST"): row(REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, BAD),
    ("accounts.deactivate", "POST"): row(
        REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT
    ),
    ("accounts.reactivate", "POST"): row(
        REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT
    ),
    ("accounts.invite_again", "POST"): row(
        REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT
    ),
    # -- listings rows (organisations editing their listing, moderation) --
    # Members edit their own organisation only (another's is "not found"); an empty form is
    # a 400 with its messages; coordinators edit any listing and moderate.
    ("listings.index", "GET"): row(REDIRECT, FORBIDDEN, FORBIDDEN, OK, OK, REDIRECT),
    ("listings.edit_organization", "GET"): row(REDIRECT, FORBIDDEN, FORBIDDEN, OK, NOT_FOUND, OK),
    ("listings.edit_organization", "POST"): row(
        REDIRECT, FORBIDDEN, FORBIDDEN, BAD, NOT_FOUND, BAD
    ),
    ("listings.edit_service", "GET"): row(REDIRECT, FORBIDDEN, FORBIDDEN, OK, NOT_FOUND, OK),
    ("listings.edit_service", "POST"): row(REDIRECT, FORBIDDEN, FORBIDDEN, BAD, NOT_FOUND, BAD),
    ("listings.add_service", "GET"): row(REDIRECT, FORBIDDEN, FORBIDDEN, OK, NOT_FOUND, OK),
    ("listings.add_service", "POST"): row(REDIRECT, FORBIDDEN, FORBIDDEN, BAD, NOT_FOUND, BAD),
    ("listings.history", "GET"): row(REDIRECT, FORBIDDEN, FORBIDDEN, OK, NOT_FOUND, OK),
    ("listings.queue", "GET"): row(REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
    ("listings.request_page", "GET"): row(REDIRECT, FORBIDDEN, FORBIDDEN, OK, NOT_FOUND, OK),
    ("listings.approve", "POST"): row(
        REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, SEE_OTHER
    ),
    ("listings.reject", "POST"): row(
        REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, SEE_OTHER
    ),
    ("listings.trust", "POST"): row(
        REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, SEE_OTHER
    ),
    ("listings.edit_location", "GET"): row(REDIRECT, FORBIDDEN, FORBIDDEN, OK, NOT_FOUND, OK),
    ("listings.edit_location", "POST"): row(REDIRECT, FORBIDDEN, FORBIDDEN, BAD, NOT_FOUND, BAD),
    ("listings.remove_location", "POST"): row(
        REDIRECT, FORBIDDEN, FORBIDDEN, SEE_OTHER, NOT_FOUND, SEE_OTHER
    ),
    # -- end of listings rows --
    # -- exchange rows (the HSDS read API: public and read-only) --
    ("api.root", "GET"): PUBLIC,
    ("api.services", "GET"): PUBLIC,
    ("api.service_at_locations", "GET"): PUBLIC,
    ("api.organizations", "GET"): PUBLIC,
    ("api.taxonomies", "GET"): PUBLIC,
    ("api.taxonomy_terms", "GET"): PUBLIC,
    ("api.service", "GET"): PUBLIC,
    ("api.organization", "GET"): PUBLIC,
    ("api.service_at_location", "GET"): PUBLIC,
    ("api.taxonomy", "GET"): PUBLIC,
    ("api.taxonomy_term", "GET"): PUBLIC,
    ("api.openapi_document", "GET"): PUBLIC,
    ("api.profile_index", "GET"): PUBLIC,
    ("api.profile_patch", "GET"): PUBLIC,
    # -- feedback rows (error reports, claims) --
    # Public forms: anyone, no account. A POST without the form's stamp is a bot's: it gets
    # the thank-you page like everyone (and nothing is stored).
    ("feedback.report_organization", "GET"): PUBLIC,
    ("feedback.report_organization", "POST"): dict.fromkeys(ACTORS, SEE_OTHER),
    ("feedback.report_service", "GET"): PUBLIC,
    ("feedback.report_service", "POST"): dict.fromkeys(ACTORS, SEE_OTHER),
    ("feedback.claim", "GET"): PUBLIC,
    ("feedback.claim", "POST"): dict.fromkeys(ACTORS, SEE_OTHER),
    ("feedback.propose", "GET"): PUBLIC,
    ("feedback.propose", "POST"): dict.fromkeys(ACTORS, SEE_OTHER),
    ("feedback.thanks", "GET"): PUBLIC,
    # The queues: coordinators only; a decision without its action is a 400 with the form.
    ("feedback.reports", "GET"): row(REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
    ("feedback.report_detail", "GET"): row(
        REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK
    ),
    ("feedback.decide_report", "POST"): row(
        REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, BAD
    ),
    ("feedback.claims", "GET"): row(REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
    ("feedback.claim_detail", "GET"): row(REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
    ("feedback.decide_claim", "POST"): row(
        REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, BAD
    ),
    # -- end of feedback rows --
    # -- freshness rows (verification, stale listings) --
    ("freshness.confirm_link", "GET"): dict.fromkeys(ACTORS, GONE),
    ("freshness.confirm", "POST"): dict.fromkeys(ACTORS, GONE),
    ("freshness.confirm_signed_in", "POST"): row(
        REDIRECT, FORBIDDEN, FORBIDDEN, SEE_OTHER, NOT_FOUND, SEE_OTHER
    ),
    ("freshness.stale_listings", "GET"): row(
        REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK
    ),
    # -- end of freshness rows --
    # -- coordination rows (where help is missing; help near you) --
    # Browsing by place is public; the gap analysis, its places and its CSV files are for
    # coordinators only.
    ("catalogue.place", "GET"): PUBLIC,
    ("coordination.gaps", "GET"): row(REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
    ("coordination.place", "GET"): row(REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
    ("coordination.download", "GET"): row(REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
    # -- end of coordination rows --
    # -- signals rows (signals of concern) --
    # The public form: anyone, no account; a POST without the form's stamp is a bot's and
    # gets the receipt like everyone (nothing is stored).
    ("signals.new", "GET"): PUBLIC,
    ("signals.new", "POST"): dict.fromkeys(ACTORS, SEE_OTHER),
    ("signals.received", "GET"): PUBLIC,
    # The signal is info point A's (its worker took it up): organisation members never see
    # signals, coordinators only those no info point has. A hand-over sent empty is a 400.
    ("signals.index", "GET"): row(REDIRECT, OK, OK, FORBIDDEN, FORBIDDEN, OK),
    ("signals.detail", "GET"): row(REDIRECT, OK, NOT_FOUND, FORBIDDEN, FORBIDDEN, NOT_FOUND),
    ("signals.change_status", "POST"): row(
        REDIRECT, SEE_OTHER, NOT_FOUND, FORBIDDEN, FORBIDDEN, NOT_FOUND
    ),
    ("signals.forward", "POST"): row(
        REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND
    ),
    ("signals.handover_page", "GET"): row(REDIRECT, OK, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    ("signals.handover_page", "POST"): row(
        REDIRECT, BAD, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN
    ),
    # Places for signals: an info point's workers (sent on to their own) and coordinators;
    # the organisation in the URL (R) is no worker's info point.
    ("signals.places", "GET"): row(REDIRECT, REDIRECT, REDIRECT, FORBIDDEN, FORBIDDEN, OK),
    ("signals.place_settings", "GET"): row(
        REDIRECT, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, OK
    ),
    ("signals.place_settings", "POST"): row(
        REDIRECT, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, SEE_OTHER
    ),
    # -- end of signals rows --
}


def make_referral(session, sender, worker, receiver, service) -> Referral:
    actor = access.Actor(worker, None, sends_for=frozenset({sender.id}))
    now = clock.utc_now()
    [referral] = handover.create(
        session,
        actor,
        Handover(
            sender_organization_id=sender.id,
            targets=(Target(receiver.id, service.id),),
            submission_key=uuid.uuid4().hex,
            client_name="Client X",
            contact_channel=ContactChannel.THROUGH_REFERRER,
            client_phone=None,
            client_email=None,
            reachable_when=None,
            client_languages=["nl"],
            need_terms=["shopping"],
            need_text="Needs help",
            urgency=Urgency.ROUTINE,
            consent_version="test",
            consent_locale="nl",
            consent_text="consent",
            consent_shares_contact=False,
            consent_shares_need=True,
            consented_at=now,
        ),
    )
    return referral


@pytest.fixture
def world(app, session, tmp_path):
    app.config["MAIL_OUTBOX_DIR"] = str(tmp_path / "mail")
    w = type("World", (), {})()
    w.info_a = factories.organization(session, "Infopunt A")
    w.info_b = factories.organization(session, "Infopunt B")
    w.org_r = factories.organization(session, "Ontvanger R")
    w.org_s = factories.organization(session, "Andere S")
    w.service_r = factories.service(session, w.org_r, "Hulp R", ("shopping",))
    w.term_r = w.service_r.attributes[0].taxonomy_term
    w.accounts = {
        "worker_a": make_account(session, Role.INFO_POINT_WORKER, [w.info_a], password=PASSWORD),
        "worker_b": make_account(session, Role.INFO_POINT_WORKER, [w.info_b], password=PASSWORD),
        "member_r": make_account(session, Role.ORGANIZATION_MEMBER, [w.org_r], password=PASSWORD),
        "member_s": make_account(session, Role.ORGANIZATION_MEMBER, [w.org_s], password=PASSWORD),
        "coordinator": make_account(session, Role.COORDINATOR, [], password=PASSWORD),
    }
    # Invited, not yet accepted: what the coordinator's buttons act on.
    w.invited = make_account(session, Role.ORGANIZATION_MEMBER, [w.org_s], password=None)
    # listings: a change proposed by member_r (not trusted), waiting for a coordinator.
    w.change_request = ChangeRequest(
        organization_id=w.org_r.id,
        service_id=w.service_r.id,
        resource_type="service",
        proposed_by_id=w.accounts["member_r"].id,
        before={"summary.nl": "Hulp R summary"},
        after={"summary.nl": "Boodschappen op dinsdag"},
    )
    session.add(w.change_request)
    w.location_r = Location(location_type=LocationType.PHYSICAL, name="Lokaal R")
    w.org_r.locations.append(w.location_r)
    # exchange: where service R is offered (a place of its own, apart from the one edited).
    w.offered_r = ServiceAtLocation(
        location=Location(location_type=LocationType.PHYSICAL, name="Balie R")
    )
    w.org_r.locations.append(w.offered_r.location)
    w.service_r.service_at_locations.append(w.offered_r)
    # feedback: an open error report and a pending claim, for the coordinators' queues.
    from directory.models import Claim, ErrorReport

    # feedback:
    w.error_report = ErrorReport(
        organization_id=w.org_r.id, what="hours", message="Closed on Mondays.", locale="nl"
    )
    # feedback:
    w.claim = Claim(organization_id=w.org_r.id, name="Claimant", email="c@example.org")
    # feedback:
    session.add_all([w.error_report, w.claim])
    # signals: one sent to info point A and taken up by its worker.
    from sqlalchemy import select

    from directory.models import Neighbourhood, PersonAware, Signal, SignalRoute, SignalStatus

    w.signal = Signal(
        submission_key=uuid.uuid4().hex,
        status=SignalStatus.TAKEN_UP,
        observations=["lives_alone"],
        neighbourhood=session.scalars(select(Neighbourhood)).first(),
        person_aware=PersonAware.NO,
        locale="nl",
        taken_by_organization_id=w.info_a.id,
        routes=[SignalRoute(organization_id=w.info_a.id)],
    )
    session.add(w.signal)
    with app.test_request_context():
        w.referral = make_referral(session, w.info_a, w.accounts["worker_a"], w.org_r, w.service_r)
    session.commit()
    return w


def url_values(world, endpoint: str, referral: Referral) -> dict[str, object]:
    """Real values for a rule's arguments (the referral may be a fresh one per request)."""
    return {
        "lang_code": "en",
        "referral_id": referral.id,
        "handover_id": referral.handover_id,
        "service_id": world.service_r.id,
        "organization_id": world.org_r.id,
        "kind": "association",
        "token": "not-a-valid-token",
        "filename": "nabij.css",
        "account_id": world.invited.id,
        # -- listings values --
        "request_id": world.change_request.id,
        "location_id": world.location_r.id,
        "schema_name": "service",
        # -- exchange values --
        "service_at_location_id": world.offered_r.id,
        "taxonomy_id": world.term_r.taxonomy_id,
        "taxonomy_term_id": world.term_r.id,
        # -- feedback values --
        "report_id": world.error_report.id,
        "claim_id": world.claim.id,
        # -- freshness values --
        # -- coordination values --
        "place_key": "58",  # a neighbourhood (Anderlecht Centrum - Wayez)
        "table": "neighbourhoods",
        # -- signals values --
        "signal_id": world.signal.id,
    }


def form_data(endpoint: str, world) -> dict[str, object]:
    if endpoint == "referrals.change_status":
        return {"to": "received"}
    if endpoint == "referrals.add_note":
        return {"note": "A note."}
    if endpoint == "signals.change_status":
        return {"to": "contacted"}
    return {}


def query_for(endpoint: str, world) -> dict[str, str]:
    if endpoint == "referrals.new":
        return {"service": str(world.service_r.id)}
    return {}


def build_url(app, rule, world, referral, **replace) -> str:
    values = {**url_values(world, rule.endpoint, referral), **replace}
    arguments = {key: value for key, value in values.items() if key in rule.arguments}
    with app.test_request_context():
        return url_for(rule.endpoint, **arguments, **query_for(rule.endpoint, world))


def clients_for(app, world) -> dict[str, object]:
    clients = {"anonymous": app.test_client()}
    for name, account in world.accounts.items():
        clients[name] = app.test_client()
        sign_in(clients[name], account.email, PASSWORD)
    return clients


def rules(app):
    """Every (rule, method); signing out comes last, as it ends the session it is made in."""
    found = [
        (rule, method)
        for rule in app.url_map.iter_rules()
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    ]
    return sorted(found, key=lambda pair: pair[0].endpoint == "accounts.sign_out")


def test_every_route_has_a_row(app):
    missing = [
        (rule.endpoint, method)
        for rule, method in rules(app)
        if (rule.endpoint, method) not in MATRIX
    ]
    assert missing == [], f"decide who may use these routes: {missing}"


def test_the_authorization_matrix(app, session, world):
    clients = clients_for(app, world)
    tokens = {name: csrf_token(client, "/en/") for name, client in clients.items()}
    failures = []
    for rule, method in rules(app):
        expected = MATRIX[(rule.endpoint, method)]
        for actor in ACTORS:
            # A destructive request gets a referral of its own, so order does not matter.
            referral = world.referral
            if rule.endpoint == "referrals.erase" and method == "POST":
                with app.test_request_context():
                    referral = make_referral(
                        session,
                        world.info_a,
                        world.accounts["worker_a"],
                        world.org_r,
                        world.service_r,
                    )
                session.commit()
            url = build_url(app, rule, world, referral)
            client = clients[actor]
            if method == "GET":
                response = client.get(url)
            else:
                data = {"csrf_token": tokens[actor], **form_data(rule.endpoint, world)}
                response = client.open(url, method=method, data=data)
            response.close()  # a static file is streamed from disk
            if response.status_code != expected[actor]:
                failures.append(
                    (rule.endpoint, method, actor, response.status_code, expected[actor])
                )
    assert failures == []


def referral_rules(app):
    return [
        (rule, method)
        for rule, method in rules(app)
        if {"referral_id", "handover_id"} & set(rule.arguments)
    ]


def test_tampered_ids_find_nothing(app, session, world):
    """Any id that is not the reader's own referral is "not found" on every referral route,
    for the sender and the receiver alike (no clue whether it exists)."""
    clients = clients_for(app, world)
    assert referral_rules(app)
    for actor in ("worker_a", "member_r"):
        client = clients[actor]
        token = csrf_token(client, "/en/")
        for rule, method in referral_rules(app):
            for tampered in (
                uuid.uuid4(),
                world.referral.id if "handover_id" in rule.arguments else None,
            ):
                if tampered is None:
                    continue
                url = build_url(
                    app, rule, world, world.referral, referral_id=tampered, handover_id=tampered
                )
                data = {"csrf_token": token, **form_data(rule.endpoint, world)}
                response = client.open(url, method=method, data=data)
                assert response.status_code in (403, 404), (rule.endpoint, method, actor, url)


def test_every_post_needs_a_csrf_token(app, session, world):
    """A POST without the form's token is refused with a normal page, whoever sends it."""
    clients = clients_for(app, world)
    posts = [(rule, method) for rule, method in rules(app) if method == "POST"]
    assert posts
    for rule, _method in posts:
        for actor in ("worker_a", "member_r", "coordinator"):
            url = build_url(app, rule, world, world.referral)
            response = clients[actor].post(url, data=form_data(rule.endpoint, world))
            assert response.status_code == 400, (rule.endpoint, actor, response.status_code)
            assert "<html" in response.text
    session.expire_all()
    assert session.get(Referral, world.referral.id).status.value == "requested"


def test_every_response_carries_the_security_headers(app, session, world):
    """Every route, for a stranger and for a coordinator, whatever its status: no inline
    script, no framing, no content sniffing, no address leaked to other sites."""
    from directory.security import CONTENT_SECURITY_POLICY

    clients = clients_for(app, world)
    missing = []
    for actor in ("anonymous", "coordinator"):
        token = csrf_token(clients[actor], "/en/")
        for rule, method in rules(app):
            if rule.endpoint == "accounts.sign_out":
                continue
            url = build_url(app, rule, world, world.referral)
            data = {"csrf_token": token, **form_data(rule.endpoint, world)}
            response = clients[actor].open(url, method=method, data=data)
            response.close()
            headers = response.headers
            if (
                headers.get("Content-Security-Policy") != CONTENT_SECURITY_POLICY
                or headers.get("X-Content-Type-Options") != "nosniff"
                or headers.get("X-Frame-Options") != "DENY"
                or headers.get("Referrer-Policy") not in ("same-origin", "no-referrer")
                or "Strict-Transport-Security" in headers  # plain http here
            ):
                missing.append((rule.endpoint, method, actor, response.status_code))
    assert missing == []
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY


def test_https_responses_ask_for_https_from_then_on(client):
    response = client.get("/en/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    not_found = client.get("/en/nothing-here", base_url="https://localhost")
    assert "Strict-Transport-Security" in not_found.headers
