"""Signals of concern through the pages: a neighbour signals someone without an account, the
info points covering that place (or the coordinators) get it, one takes it up and the
signaller is told once, it is followed up, handed over as a referral with the person's
consent, or closed; spam, privacy, the access log, retention and escalation; the migration
both ways."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, inspect, select, update

from directory import mail, schema
from directory.clock import BRUSSELS
from directory.models import (
    Account,
    Municipality,
    Neighbourhood,
    Referral,
    ReferralStatus,
    Role,
    Signal,
    SignalAccess,
    SignalArea,
    SignalStatus,
)
from directory.signals import access, lifecycle, states
from directory.signals.states import TransitionError
from tests import factories
from tests.factories import csrf_token, make_account, sign_in
from tests.test_pages import page_text

PASSWORD = "correct horse battery staple"
MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=BRUSSELS)
HIDDEN = re.compile(r'<input[^>]*name="(\w+)"[^>]*type="hidden"[^>]*value="([^"]*)"')
MAROLLES = 8  # a neighbourhood of the City of Brussels (NIS 21004)
TEXT = "I have not seen him at the pharmacy for three weeks; his shutters stay down."


def area(session, organization, *, nis_code=None, number=None) -> None:
    if nis_code:
        place = session.scalars(select(Municipality).where(Municipality.nis_code == nis_code))
        session.add(SignalArea(organization_id=organization.id, municipality_id=place.one().id))
    else:
        place = session.scalars(select(Neighbourhood).where(Neighbourhood.number == number))
        session.add(SignalArea(organization_id=organization.id, neighbourhood_id=place.one().id))
    session.flush()


@pytest.fixture
def world(app, session, tmp_path):
    """Info point A takes the Marolles, info point B the whole City of Brussels, info point M
    Molenbeek; an organisation taking Anderlecht has no worker who can sign in; a receiving
    organisation with a member and a service; a coordinator."""
    app.config["MAIL_OUTBOX_DIR"] = str(tmp_path / "mail")
    app.config["FIXED_NOW"] = MONDAY
    w = type("World", (), {})()
    w.info_a = factories.organization(session, "Infopunt Marollen")
    w.info_b = factories.organization(session, "Infopunt Brussel")
    w.info_m = factories.organization(session, "Infopunt Molenbeek")
    w.silent = factories.organization(session, "Zonder medewerkers")
    w.org_r = factories.organization(session, "Buurthulp R")
    w.service_r = factories.service(session, w.org_r, "Bezoek aan huis", ("shopping",))
    area(session, w.info_a, number=MAROLLES)
    area(session, w.info_b, nis_code="21004")
    area(session, w.info_m, nis_code="21012")
    area(session, w.silent, nis_code="21001")
    w.worker_a = make_account(session, Role.INFO_POINT_WORKER, [w.info_a], password=PASSWORD)
    w.worker_a2 = make_account(session, Role.INFO_POINT_WORKER, [w.info_a], password=PASSWORD)
    w.worker_b = make_account(session, Role.INFO_POINT_WORKER, [w.info_b], password=PASSWORD)
    w.worker_m = make_account(session, Role.INFO_POINT_WORKER, [w.info_m], password=PASSWORD)
    w.member_r = make_account(session, Role.ORGANIZATION_MEMBER, [w.org_r], password=PASSWORD)
    w.coordinator = make_account(session, Role.COORDINATOR, [], password=PASSWORD)
    # Invited to the Anderlecht organisation, never signed in: reads nothing.
    make_account(session, Role.INFO_POINT_WORKER, [w.silent], password=None)
    session.commit()
    w.mail_dir = tmp_path / "mail"
    return w


def later(app, seconds: float) -> None:
    app.config["FIXED_NOW"] = app.config["FIXED_NOW"] + timedelta(seconds=seconds)


def a_signal(**overrides):
    data = {
        "observations": ["lives_alone", "no_longer_goes_out"],
        "text": TEXT,
        "postcode": "",
        "neighbourhood": str(MAROLLES),
        "person_language": "ar",
        "person_aware": "no",
        "signaller_email": "buur@example.org",
        "signaller_phone": "",
    }
    data.update(overrides)
    return data


def send_signal(client, app, data=None, *, wait=20, address="192.0.2.1", lang="en", **hidden):
    """Open the public form and send it back `wait` seconds later, as a person would."""
    page = client.get(f"/{lang}/signals/new", environ_base={"REMOTE_ADDR": address})
    assert page.status_code == 200, page.text
    fields = dict(HIDDEN.findall(page.text))
    fields.update(hidden)
    later(app, wait)
    return client.post(
        f"/{lang}/signals/new",
        data={**fields, **(a_signal() if data is None else data)},
        environ_base={"REMOTE_ADDR": address},
    )


def signals_in(session) -> list[Signal]:
    session.expire_all()
    return session.scalars(select(Signal).order_by(Signal.created_at)).all()


def signed_in(app, account) -> object:
    client = app.test_client()
    sign_in(client, account.email, PASSWORD)
    return client


def step(client, signal_id, to, **data):
    token = csrf_token(client, f"/en/signals/{signal_id}")
    return client.post(
        f"/en/signals/{signal_id}/status", data={"csrf_token": token, "to": to, **data}
    )


def outbox(world):
    return mail.outbox(world.mail_dir)


# The public form -------------------------------------------------------------------------


def test_the_home_page_leads_to_the_form(client):
    page = client.get("/nl/").text
    assert "/nl/signals/new" in page


def test_the_form_asks_no_name_or_address_and_warns_against_them(client, world):
    page = client.get("/en/signals/new")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    names = set(re.findall(r'name="(\w+)"', page.text))
    assert not {"name", "address", "street", "person_name"} & names
    assert "Please do not write the person's name or address" in page_text(page)
    # The honeypot and the stamp of the error reports.
    assert '<div class="honeypot" aria-hidden="true">' in page.text
    assert 'name="stamp"' in page.text


def test_a_neighbour_signals_someone_and_the_info_points_of_that_place_get_it(
    app, client, session, world
):
    response = send_signal(client, app, lang="fr")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/fr/signals/received")
    receipt = client.get(response.headers["Location"])
    assert receipt.status_code == 200
    assert "112" in receipt.text
    [signal] = signals_in(session)
    assert signal.status is SignalStatus.NEW
    assert signal.neighbourhood.number == MAROLLES
    assert signal.observations == ["lives_alone", "no_longer_goes_out"]
    assert signal.person_language == "ar"
    assert signal.locale == "fr"
    # A takes the Marolles, B the whole City of Brussels; M (Molenbeek) and the
    # organisation without workers (Anderlecht) do not get it.
    assert {route.organization_id for route in signal.routes} == {world.info_a.id, world.info_b.id}
    # Their workers are told, with nothing about the person.
    messages = outbox(world)
    assert sorted(m["To"] for m in messages) == sorted(
        [world.worker_a.email, world.worker_a2.email, world.worker_b.email]
    )
    for message in messages:
        body = message.get_content() + message["Subject"]
        assert "pharmacy" not in body
        assert "buur@example.org" not in body
        assert f"/signals/{signal.id}" in body


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"observations": [], "text": ""}, "Tick what you noticed, or say it in a few words."),
        ({"neighbourhood": "", "postcode": ""}, "Give the postcode or choose the neighbourhood."),
        ({"neighbourhood": "", "postcode": "9999"}, "not a postcode of the Brussels region"),
        ({"postcode": "1080"}, "This neighbourhood is not in the municipality of that postcode."),
        ({"person_aware": ""}, "Say whether the person knows."),
        ({"signaller_email": "not an address"}, "Enter an email address like name@example.org."),
        ({"text": "see http://a.example http://b.example http://c.example"}, "at most 2 links"),
        ({"text": "x" * 1001}, "At most 1000 characters."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_keeps_what_was_typed(
    app, client, session, world, overrides, message
):
    response = send_signal(client, app, a_signal(**overrides))
    assert response.status_code == 400
    assert message in page_text(response)
    assert "error-summary" in response.text
    if "text" not in overrides:
        assert "three weeks" in response.text
    assert signals_in(session) == []


def test_only_ticks_or_only_words_are_enough(app, client, session, world):
    assert send_signal(client, app, a_signal(text="")).status_code == 303
    assert send_signal(client, app, a_signal(observations=[])).status_code == 303
    assert len(signals_in(session)) == 2


@pytest.mark.parametrize(
    ("wait", "overrides"),
    [
        (20, {"website": "http://spam.example"}),  # the honeypot filled in
        (1, {}),  # sent a second after the form was issued
        (20, {"stamp": ""}),  # no stamp
        (20, {"stamp": "eyJzIjoic2lnbmFsIn0.forged"}),  # a stamp we did not sign
    ],
)
def test_bots_get_the_same_receipt_and_nothing_is_stored(
    app, client, session, world, wait, overrides
):
    bot = send_signal(app.test_client(), app, wait=wait, **overrides)
    assert bot.status_code == 303
    assert bot.headers["Location"].endswith("/en/signals/received")
    assert signals_in(session) == []
    assert outbox(world) == []


def test_a_form_left_open_for_days_is_shown_again_filled_in(app, client, session, world):
    response = send_signal(client, app, wait=3 * 24 * 3600)
    assert response.status_code == 400
    assert "This page was open for a long time" in response.text
    assert "three weeks" in response.text
    assert signals_in(session) == []


def test_a_double_submit_stores_one_signal(app, client, session, world):
    page = client.get("/en/signals/new")
    fields = {**dict(HIDDEN.findall(page.text)), **a_signal()}
    later(app, 20)
    assert client.post("/en/signals/new", data=fields).status_code == 303
    assert client.post("/en/signals/new", data=fields).status_code == 303
    assert len(signals_in(session)) == 1


def test_signals_are_rate_limited_per_address(app, client, session, world):
    app.config["SIGNAL_LIMIT_PER_IP"] = "2/hour"
    for _ in range(2):
        assert send_signal(client, app).status_code == 303
    limited = send_signal(client, app)
    assert limited.status_code == 429
    assert "three weeks" in limited.text
    assert len(signals_in(session)) == 2
    # Another address is not held back.
    assert send_signal(client, app, address="192.0.2.99").status_code == 303


# Routing ---------------------------------------------------------------------------------


def test_a_postcode_alone_goes_to_the_info_points_of_its_municipality(app, client, session, world):
    send_signal(client, app, a_signal(neighbourhood="", postcode="1080"))
    [signal] = signals_in(session)
    assert [route.organization_id for route in signal.routes] == [world.info_m.id]
    assert [m["To"] for m in outbox(world)] == [world.worker_m.email]


def test_a_place_no_info_point_takes_goes_to_the_coordinators(app, client, session, world):
    """Anderlecht is taken only by an organisation whose one worker never accepted their
    invitation: that counts as none."""
    send_signal(client, app, a_signal(neighbourhood="", postcode="1070"))
    [signal] = signals_in(session)
    assert signal.routes == []
    assert [m["To"] for m in outbox(world)] == [world.coordinator.email]
    coordinator = signed_in(app, world.coordinator)
    inbox = coordinator.get("/en/signals/")
    assert inbox.status_code == 200
    assert "1 new" in page_text(inbox)
    assert "No info point: the coordinators" in page_text(inbox)
    # No worker sees it.
    worker = signed_in(app, world.worker_a)
    assert worker.get(f"/en/signals/{signal.id}").status_code == 404


def test_a_coordinator_forwards_a_signal_to_an_info_point(app, client, session, world):
    send_signal(client, app, a_signal(neighbourhood="", postcode="1070"))
    [signal] = signals_in(session)
    coordinator = signed_in(app, world.coordinator)
    page = coordinator.get(f"/en/signals/{signal.id}")
    assert "Infopunt Molenbeek" in page.text  # a choice of info point
    assert "Zonder medewerkers" not in page.text  # no workers: no info point
    token = csrf_token(coordinator, f"/en/signals/{signal.id}")
    forwarded = coordinator.post(
        f"/en/signals/{signal.id}/forward",
        data={"csrf_token": token, "organization": str(world.info_m.id), "note": "Close by."},
    )
    assert forwarded.status_code == 303
    assert forwarded.headers["Location"].endswith("/en/signals/")  # out of their sight
    [signal] = signals_in(session)
    assert [route.organization_id for route in signal.routes] == [world.info_m.id]
    assert world.worker_m.email in [m["To"] for m in outbox(world)]
    worker = signed_in(app, world.worker_m)
    detail = worker.get(f"/en/signals/{signal.id}")
    assert detail.status_code == 200
    assert "Forwarded to Infopunt Molenbeek" in page_text(detail)
    assert coordinator.get(f"/en/signals/{signal.id}").status_code == 404


def test_a_coordinator_cannot_forward_to_an_organisation_without_workers(
    app, client, session, world
):
    send_signal(client, app, a_signal(neighbourhood="", postcode="1070"))
    [signal] = signals_in(session)
    coordinator = signed_in(app, world.coordinator)
    token = csrf_token(coordinator, f"/en/signals/{signal.id}")
    refused = coordinator.post(
        f"/en/signals/{signal.id}/forward",
        data={"csrf_token": token, "organization": str(world.silent.id)},
    )
    assert refused.status_code == 303
    assert signals_in(session)[0].routes == []


def test_a_worker_sets_the_places_of_their_info_point(app, client, session, world):
    worker = signed_in(app, world.worker_m)
    own = worker.get("/en/signals/places")
    assert own.status_code == 302
    assert own.headers["Location"].endswith(f"/en/signals/places/{world.info_m.id}")
    page = worker.get(own.headers["Location"])
    assert page.status_code == 200
    assert 'value="m:21012" checked' in page.text
    token = csrf_token(worker, own.headers["Location"])
    saved = worker.post(
        own.headers["Location"], data={"csrf_token": token, "areas": ["m:21001", "n:8"]}
    )
    assert saved.status_code == 303
    session.expire_all()
    areas = session.scalars(
        select(SignalArea).where(SignalArea.organization_id == world.info_m.id)
    ).all()
    assert [a.municipality.nis_code for a in areas if a.municipality] == ["21001"]
    assert [a.neighbourhood.number for a in areas if a.neighbourhood] == [8]
    # A new signal from Anderlecht now goes to M.
    send_signal(client, app, a_signal(neighbourhood="", postcode="1070"))
    [signal] = signals_in(session)
    assert [route.organization_id for route in signal.routes] == [world.info_m.id]


def test_places_are_set_only_by_the_info_points_workers_and_coordinators(
    app, client, session, world
):
    url = f"/en/signals/places/{world.info_a.id}"
    assert signed_in(app, world.worker_b).get(url).status_code == 404
    assert signed_in(app, world.member_r).get(url).status_code == 403
    assert signed_in(app, world.coordinator).get(url).status_code == 200
    assert client.get(url).status_code == 302  # to the sign-in page
    # A place code that is not one of ours is refused.
    worker = signed_in(app, world.worker_a)
    token = csrf_token(worker, url)
    bad = worker.post(url, data={"csrf_token": token, "areas": ["m:99999"]})
    assert bad.status_code == 400
    overview = signed_in(app, world.coordinator).get("/en/signals/places")
    assert "Infopunt Marollen" in overview.text
    assert "Zonder medewerkers" not in overview.text


# The inbox and the steps -----------------------------------------------------------------


def test_only_those_who_must_see_a_signal_see_it(app, client, session, world):
    send_signal(client, app)
    [signal] = signals_in(session)
    url = f"/en/signals/{signal.id}"
    worker_a = signed_in(app, world.worker_a)
    detail = worker_a.get(url)
    assert detail.status_code == 200
    assert detail.headers["Cache-Control"] == "no-store"
    assert detail.headers["Referrer-Policy"] == "no-referrer"
    assert TEXT.split(";")[0] in page_text(detail)
    assert "buur@example.org" in detail.text
    assert signed_in(app, world.worker_b).get(url).status_code == 200  # also sent to B
    assert signed_in(app, world.worker_m).get(url).status_code == 404
    assert signed_in(app, world.member_r).get(url).status_code == 403
    assert signed_in(app, world.coordinator).get(url).status_code == 404  # an info point has it
    assert client.get(url).status_code == 302
    assert worker_a.get(f"/en/signals/{uuid.uuid4()}").status_code == 404
    # Taken up by A: B no longer sees it.
    assert step(worker_a, signal.id, "taken_up").status_code == 303
    assert signed_in(app, world.worker_b).get(url).status_code == 404
    assert signed_in(app, world.worker_a2).get(url).status_code == 200  # A's colleague


def test_the_inbox_counts_and_the_header_says_how_many_wait(app, client, session, world):
    send_signal(client, app)
    send_signal(client, app, a_signal(text="Another one."))
    worker = signed_in(app, world.worker_a)
    home = worker.get("/en/")
    assert re.search(r"Signals of concern <span class=\"waiting\">2", home.text)
    inbox = worker.get("/en/signals/")
    assert inbox.status_code == 200
    assert "2 new" in page_text(inbox)
    # In languages where "new" names what is new, the signals inbox says signals, not
    # referrals (the referral inbox's words).
    assert "2 تنبيهان جديدان" in page_text(worker.get("/ar/signals/"))
    assert "nieuwe zorgsignalen" in page_text(worker.get("/nl/signals/"))
    # The list shows no words of the signaller.
    assert "three weeks" not in inbox.text
    first = signals_in(session)[0]
    step(worker, first.id, "taken_up")
    assert "1 being followed up" in page_text(worker.get("/en/signals/"))
    member = signed_in(app, world.member_r)
    assert member.get("/en/signals/").status_code == 403
    assert "Signals of concern" not in member.get("/en/").text


def test_taking_up_tells_the_signaller_once_and_nothing_about_the_person(
    app, client, session, world
):
    send_signal(client, app, lang="fr")
    [signal] = signals_in(session)
    before = len(outbox(world))
    worker = signed_in(app, world.worker_a)
    assert step(worker, signal.id, "taken_up").status_code == 303
    [signal] = signals_in(session)
    assert signal.status is SignalStatus.TAKEN_UP
    assert signal.taken_by_organization_id == world.info_a.id
    assert signal.taken_by_account_id == world.worker_a.id
    new = outbox(world)[before:]
    assert [m["To"] for m in new] == ["buur@example.org"]
    body = new[0].get_content()
    assert "Infopunt Marollen" in body
    assert "pharmacy" not in body
    assert "Marolles" not in body
    assert "/signals/" not in body  # no link to anything about the person
    # Followed up and closed: no further email to the signaller.
    step(worker, signal.id, "contacted", note="Visited him with a neighbour.")
    step(worker, signal.id, "closed", outcome="He joins the Tuesday coffee.")
    assert [m["To"] for m in outbox(world)].count("buur@example.org") == 1


def test_of_two_workers_taking_up_at_once_the_second_is_told(app, client, session, world):
    """Two workers take up the same signal at the same moment: this request read it as new,
    the other took it up since; this one records nothing."""
    send_signal(client, app)
    [signal] = signals_in(session)
    reader = access.reader_for(session.get(Account, world.worker_b.id), None)
    assert signal.status is SignalStatus.NEW  # as this request read it
    session.execute(  # the other info point's take-up, committed in the meantime
        update(Signal)
        .where(Signal.id == signal.id)
        .values(status=SignalStatus.TAKEN_UP, taken_by_organization_id=world.info_a.id)
        .execution_options(synchronize_session=False)
    )
    with app.test_request_context("/en/"), pytest.raises(TransitionError):
        lifecycle.transition(session, reader, signal, SignalStatus.TAKEN_UP)
    [after] = signals_in(session)
    assert after.taken_by_organization_id == world.info_a.id
    assert [event.to_status for event in after.events] == [SignalStatus.NEW]


def test_the_second_click_on_take_up_is_told_and_changes_nothing(app, client, session, world):
    send_signal(client, app)
    [signal] = signals_in(session)
    first, second = signed_in(app, world.worker_a), signed_in(app, world.worker_a2)
    token = csrf_token(second, f"/en/signals/{signal.id}")  # both have the page open
    assert step(first, signal.id, "taken_up").status_code == 303
    late = second.post(
        f"/en/signals/{signal.id}/status", data={"csrf_token": token, "to": "taken_up"}
    )
    assert late.status_code == 303
    told = second.get(late.headers["Location"])
    assert "the signal has changed in the meantime" in page_text(told)
    [after] = signals_in(session)
    assert after.taken_by_account_id == world.worker_a.id
    assert len(after.events) == 2


def test_each_step_follows_the_rules(app, client, session, world):
    send_signal(client, app)
    [signal] = signals_in(session)
    worker = signed_in(app, world.worker_a)
    # Not taken up yet: nothing else than taking it up.
    step(worker, signal.id, "contacted")
    assert signals_in(session)[0].status is SignalStatus.NEW
    step(worker, signal.id, "taken_up")
    # A hand-over makes a referral: never through the plain step.
    step(worker, signal.id, "handed_over")
    assert signals_in(session)[0].status is SignalStatus.TAKEN_UP
    # Closing needs an outcome.
    refused = step(worker, signal.id, "closed", outcome="  ")
    assert "Describe the outcome" in page_text(worker.get(refused.headers["Location"]))
    step(worker, signal.id, "unreachable", note="Rang three times.")
    [closed] = signals_in(session)
    assert closed.status is SignalStatus.UNREACHABLE
    assert closed.closed_at is not None
    assert "Rang three times." in page_text(worker.get(f"/en/signals/{signal.id}"))
    # Nothing goes back.
    step(worker, signal.id, "taken_up")
    assert signals_in(session)[0].status is SignalStatus.UNREACHABLE
    assert states.next_steps(SignalStatus.UNREACHABLE, states.Actor.INFO_POINT) == ()


def test_a_coordinator_may_close_a_signal_nobody_has(app, client, session, world):
    send_signal(client, app, a_signal(neighbourhood="", postcode="1070"))
    [signal] = signals_in(session)
    coordinator = signed_in(app, world.coordinator)
    assert step(coordinator, signal.id, "taken_up").status_code == 303  # not theirs to take
    assert signals_in(session)[0].status is SignalStatus.NEW
    closed = step(coordinator, signal.id, "closed", outcome="A joke, no one lives there.")
    assert closed.headers["Location"].endswith("/en/signals/")
    assert signals_in(session)[0].status is SignalStatus.CLOSED


# The hand-over to a referral ------------------------------------------------------------


def referral_fields(**overrides):
    data = {
        "client_name": "M.",
        "contact_channel": "through_referrer",
        "client_languages": ["ar"],
        "need_terms": ["shopping"],
        "need_text": "Company and shopping, weekly.",
        "urgency": "routine",
        "consent_locale": "ar",
        "consent_shares_need": "y",
        "consent_given": "y",
    }
    data.update(overrides)
    return data


def hand_over(worker, signal_id, service_id, **overrides):
    url = f"/en/signals/{signal_id}/handover?service={service_id}"
    page = worker.get(url)
    assert page.status_code == 200, page.text
    hidden = dict(HIDDEN.findall(page.text))
    hidden.update(
        re.findall(r'<input[^>]*type="hidden"[^>]*name="(\w+)"[^>]*value="([^"]*)"', page.text)
    )
    data = {**hidden, **referral_fields(**overrides)}
    return worker.post(f"/en/signals/{signal_id}/handover", data=data), data


def test_a_signal_becomes_a_referral_with_the_persons_consent(app, client, session, world):
    send_signal(client, app)
    [signal] = signals_in(session)
    worker = signed_in(app, world.worker_a)
    # Not before it is taken up.
    early = worker.get(f"/en/signals/{signal.id}/handover")
    assert early.status_code == 303
    step(worker, signal.id, "taken_up")
    step(worker, signal.id, "contacted")
    chooser = worker.get(f"/en/signals/{signal.id}/handover")
    assert chooser.status_code == 200
    assert "Buurthulp R" in chooser.text
    form = worker.get(f"/en/signals/{signal.id}/handover?service={world.service_r.id}")
    assert 'value="ar" checked' in form.text  # the person's language, from the signal
    response, data = hand_over(worker, signal.id, world.service_r.id)
    assert response.status_code == 303
    [referral] = session.scalars(select(Referral)).all()
    assert response.headers["Location"].endswith(f"/en/referrals/{referral.id}")
    # A real referral, from the info point that took the signal up, with the consent.
    assert referral.status is ReferralStatus.REQUESTED
    assert referral.sender_organization_id == world.info_a.id
    assert referral.receiving_organization_id == world.org_r.id
    assert referral.consent_locale == "ar"
    assert referral.consent_version
    assert "Buurthulp R" in referral.consent_text
    assert referral.consent_shares_need
    assert not referral.consent_shares_contact
    [signal] = signals_in(session)
    assert signal.status is SignalStatus.HANDED_OVER
    assert signal.referral_id == referral.id
    assert signal.closed_at is not None
    # The receiving organisation was told, the way referrals tell.
    assert world.member_r.email in [m["To"] for m in outbox(world)]
    member = signed_in(app, world.member_r)
    assert member.get(f"/en/referrals/{referral.id}").status_code == 200
    # The same form sent again makes nothing new.
    again = worker.post(f"/en/signals/{signal.id}/handover", data=data)
    assert again.status_code in (303, 400)
    assert session.scalar(select(func.count()).select_from(Referral)) == 1


def test_a_hand_over_without_consent_makes_nothing(app, client, session, world):
    send_signal(client, app)
    [signal] = signals_in(session)
    worker = signed_in(app, world.worker_a)
    step(worker, signal.id, "taken_up")
    response, _ = hand_over(worker, signal.id, world.service_r.id, consent_given="")
    assert response.status_code == 400
    assert "Without the client's consent there is no referral." in page_text(response)
    assert session.scalar(select(func.count()).select_from(Referral)) == 0
    assert signals_in(session)[0].status is SignalStatus.TAKEN_UP


def test_a_hand_over_refused_meanwhile_makes_and_announces_no_referral(
    app, client, session, world, monkeypatch
):
    """A colleague closed the signal while this worker filled in the referral: the referral
    made in the same request is undone, and its email to the organisation never leaves."""
    send_signal(client, app)
    [signal] = signals_in(session)
    worker = signed_in(app, world.worker_a)
    step(worker, signal.id, "taken_up")
    before = len(outbox(world))

    def closed_meanwhile(*_args, **_kwargs):
        raise TransitionError("not_allowed")

    monkeypatch.setattr(lifecycle, "hand_over", closed_meanwhile)
    response, _ = hand_over(worker, signal.id, world.service_r.id)
    assert response.status_code == 303
    assert "changed in the meantime" in page_text(worker.get(response.headers["Location"]))
    assert session.scalar(select(func.count()).select_from(Referral)) == 0
    assert len(outbox(world)) == before


def test_only_the_info_point_that_took_it_up_hands_it_over(app, client, session, world):
    send_signal(client, app)
    [signal] = signals_in(session)
    step(signed_in(app, world.worker_a), signal.id, "taken_up")
    url = f"/en/signals/{signal.id}/handover?service={world.service_r.id}"
    assert signed_in(app, world.worker_b).get(url).status_code == 404
    assert signed_in(app, world.member_r).get(url).status_code == 403
    assert signed_in(app, world.coordinator).get(url).status_code == 403
    # A service whose organisation cannot receive referrals is not offered.
    silent_service = factories.service(session, world.silent, "Niets")
    session.commit()
    worker = signed_in(app, world.worker_a)
    page = worker.get(f"/en/signals/{signal.id}/handover?service={silent_service.id}")
    assert page.status_code == 200
    assert 'name="client_name"' not in page.text


# Privacy: the access log, the logs -------------------------------------------------------


def test_every_view_list_and_change_is_logged_without_personal_data(app, client, session, world):
    send_signal(client, app)
    [signal] = signals_in(session)
    worker = signed_in(app, world.worker_a)
    worker.get("/en/signals/")
    worker.get(f"/en/signals/{signal.id}")
    step(worker, signal.id, "taken_up")
    worker.get(f"/en/signals/{signal.id}/handover")
    rows = session.scalars(select(SignalAccess).where(SignalAccess.signal_id == signal.id)).all()
    actions = [row.action for row in rows]
    assert "list" in actions
    assert "view" in actions
    assert "status:taken_up" in actions
    assert "view:handover" in actions
    assert {row.account_id for row in rows} == {world.worker_a.id}
    columns = {column.key for column in inspect(SignalAccess).columns}
    assert columns == {"id", "signal_id", "account_id", "session_id", "action", "created_at"}


def test_signal_data_stays_out_of_the_logs_and_urls(app, client, session, world, caplog):
    caplog.set_level("DEBUG")
    response = send_signal(client, app)
    assert "three weeks" not in caplog.text
    assert "buur@example.org" not in caplog.text
    assert "buur" not in response.headers["Location"]
    worker = signed_in(app, world.worker_a)
    [signal] = signals_in(session)
    step(worker, signal.id, "taken_up", note="Called the pharmacist back.")
    assert "pharmacist" not in caplog.text


# Retention and escalation ----------------------------------------------------------------


def test_closed_signals_are_deleted_after_the_keeping_time(app, client, session, world):
    send_signal(client, app)
    send_signal(client, app, a_signal(text="Still open."))
    closed, still_open = signals_in(session)
    worker = signed_in(app, world.worker_a)
    step(worker, closed.id, "taken_up")
    step(worker, closed.id, "closed", outcome="Her daughter visits again.")
    closed_id = closed.id
    runner = app.test_cli_runner()
    days = app.config["SIGNAL_KEEP_DAYS"]
    assert days == 90
    app.config["FIXED_NOW"] = MONDAY + timedelta(days=days - 1)
    assert "Signals deleted: 0." in runner.invoke(args=["signals", "purge"]).output
    app.config["FIXED_NOW"] = MONDAY + timedelta(days=days + 1)
    assert "Signals deleted: 1." in runner.invoke(args=["signals", "purge"]).output
    assert [s.id for s in signals_in(session)] == [still_open.id]
    # The access log outlives it, holding ids only.
    assert session.scalar(select(func.count()).where(SignalAccess.signal_id == closed_id))


def test_a_signal_nobody_takes_up_is_escalated_once(app, client, session, world):
    send_signal(client, app)
    [signal] = signals_in(session)
    coordinator = signed_in(app, world.coordinator)
    assert coordinator.get(f"/en/signals/{signal.id}").status_code == 404  # an info point has it
    runner = app.test_cli_runner()
    days = app.config["SIGNAL_ESCALATE_DAYS"]
    assert days == 14
    app.config["FIXED_NOW"] = MONDAY + timedelta(days=days - 1)
    assert "coordinators: 0." in runner.invoke(args=["signals", "escalate"]).output
    app.config["FIXED_NOW"] = MONDAY + timedelta(days=days, hours=1)
    assert "coordinators: 1." in runner.invoke(args=["signals", "escalate"]).output
    assert "coordinators: 0." in runner.invoke(args=["signals", "escalate"]).output
    escalations = [m for m in outbox(world) if m["To"] == world.coordinator.email]
    assert len(escalations) == 1
    assert "nobody has taken up" in escalations[0]["Subject"]
    assert "pharmacy" not in escalations[0].get_content()
    # The coordinators see it now, beside those sent to nobody; the info points still do.
    coordinator = signed_in(app, world.coordinator)  # a fortnight later: a new session
    page = coordinator.get(f"/en/signals/{signal.id}")
    assert page.status_code == 200
    assert "Nobody took this signal up in time" in page_text(page)
    assert "1 waiting too long" in page_text(coordinator.get("/en/signals/"))
    assert signed_in(app, world.worker_a).get(f"/en/signals/{signal.id}").status_code == 200
    # Once taken up, it leaves the coordinators' sight.
    step(signed_in(app, world.worker_a), signal.id, "taken_up")
    assert coordinator.get(f"/en/signals/{signal.id}").status_code == 404


def test_a_taken_up_signal_is_not_escalated(app, client, session, world):
    send_signal(client, app)
    [signal] = signals_in(session)
    step(signed_in(app, world.worker_a), signal.id, "taken_up")
    app.config["FIXED_NOW"] = MONDAY + timedelta(days=30)
    output = app.test_cli_runner().invoke(args=["signals", "escalate"]).output
    assert "coordinators: 0." in output


# The signaller's contact and idle signals -------------------------------------------------

PHONE = "02 511 22 33"


def contact_of(session, signal_id) -> tuple[str | None, str | None]:
    session.expire_all()
    signal = session.get(Signal, signal_id)
    return signal.signaller_email, signal.signaller_phone


def close_by_outcome(app, session, world, signal):
    step(signed_in(app, world.worker_a), signal.id, "closed", outcome="Her son visits again.")


def close_as_unreachable(app, session, world, signal):
    step(signed_in(app, world.worker_a), signal.id, "unreachable", note="Rang three times.")


def hand_it_over(app, session, world, signal):
    response, _ = hand_over(signed_in(app, world.worker_a), signal.id, world.service_r.id)
    assert response.status_code == 303


@pytest.mark.parametrize(
    ("close", "closed_as"),
    [
        (close_by_outcome, SignalStatus.CLOSED),
        (close_as_unreachable, SignalStatus.UNREACHABLE),
        (hand_it_over, SignalStatus.HANDED_OVER),
    ],
)
def test_closing_a_signal_erases_the_signallers_contact(
    app, client, session, world, close, closed_as
):
    send_signal(client, app, a_signal(signaller_phone=PHONE))
    [signal] = signals_in(session)
    worker = signed_in(app, world.worker_a)
    step(worker, signal.id, "taken_up")
    # Open: the info point may still call the signaller back.
    assert contact_of(session, signal.id) == ("buur@example.org", PHONE)
    assert "buur@example.org" in worker.get(f"/en/signals/{signal.id}").text
    before = len(outbox(world))
    close(app, session, world, signal)
    [closed] = signals_in(session)
    assert closed.status is closed_as
    assert contact_of(session, signal.id) == (None, None)
    # The page says so; no email to the signaller follows the one when it was taken up.
    page = worker.get(f"/en/signals/{signal.id}")
    assert page.status_code == 200
    assert "buur@example.org" not in page.text
    assert "Any contact details they left were erased when the signal" in page_text(page)
    assert "They left no way to reach them." not in page_text(page)
    assert "buur@example.org" not in [m["To"] for m in outbox(world)[before:]]


def test_a_coordinator_closing_a_signal_erases_the_signallers_contact(app, client, session, world):
    send_signal(client, app, a_signal(neighbourhood="", postcode="1070", signaller_phone=PHONE))
    [signal] = signals_in(session)
    assert contact_of(session, signal.id) == ("buur@example.org", PHONE)
    step(signed_in(app, world.coordinator), signal.id, "closed", outcome="Nobody lives there.")
    assert signals_in(session)[0].status is SignalStatus.CLOSED
    assert contact_of(session, signal.id) == (None, None)


def test_the_form_says_the_signallers_contact_is_kept_only_while_open(client, world):
    page = page_text(client.get("/en/signals/new"))
    assert "erase them as soon as it is closed" in page


def purge(app) -> str:
    result = app.test_cli_runner().invoke(args=["signals", "purge"])
    assert result.exit_code == 0, result.output
    return result.output


def purged(output: str) -> tuple[int, int, int]:
    """(reminded, closed as idle, deleted) from the purge's output."""
    lines = (
        r"^Signals reminded that they will be closed as idle: (\d+)\.$",
        r"^Signals closed as idle: (\d+)\.$",
        r"^Signals deleted: (\d+)\.$",
    )
    return tuple(int(re.search(line, output, re.M)[1]) for line in lines)


def clock_at(app, start: datetime, **delta) -> None:
    """Move the app's clock to `start` plus `delta` of real time (in UTC: a day across a
    change to summer time is still 24 hours)."""
    app.config["FIXED_NOW"] = start.astimezone(UTC) + timedelta(**delta)


def taken_up_signal(app, client, session, world) -> tuple[Signal, datetime]:
    """A signal with the signaller's email and phone, taken up by info point A: and when."""
    send_signal(client, app, a_signal(signaller_phone=PHONE))
    [signal] = signals_in(session)
    step(signed_in(app, world.worker_a), signal.id, "taken_up")
    return signal, app.config["FIXED_NOW"]


def test_a_taken_up_signal_left_without_a_step_is_reminded_closed_and_deleted(
    app, client, session, world
):
    assert app.config["SIGNAL_IDLE_DAYS"] == 180
    signal, taken = taken_up_signal(app, client, session, world)
    team = sorted([world.worker_a.email, world.worker_a2.email])
    mails = len(outbox(world))

    def new_mail():
        nonlocal mails
        fresh = outbox(world)[mails:]
        mails += len(fresh)
        return fresh

    clock_at(app, taken, days=165, hours=23)
    assert purged(purge(app)) == (0, 0, 0)
    assert new_mail() == []
    # 166 days without a step: info point A's workers are reminded, once.
    clock_at(app, taken, days=166, hours=1)
    output = purge(app)
    assert "Signals reminded that they will be closed as idle: 1." in output
    assert purged(output) == (1, 0, 0)
    reminders = new_mail()
    assert sorted(m["To"] for m in reminders) == team
    # In the language worker A last signed in with.
    [reminder] = [m for m in reminders if m["To"] == world.worker_a.email]
    body = reminder.get_content()
    assert "will soon be closed" in reminder["Subject"]
    assert "no step for 166 days" in body
    assert "within 14 days" in body
    assert f"/signals/{signal.id}" in body
    assert "pharmacy" not in body
    assert "buur@example.org" not in body
    clock_at(app, taken, days=167)
    assert purged(purge(app)) == (0, 0, 0)
    assert new_mail() == []
    worker = signed_in(app, world.worker_a)
    assert "closed as idle from" in page_text(worker.get(f"/en/signals/{signal.id}"))
    assert "Closing soon: no recent step" in page_text(worker.get("/en/signals/"))
    # Still open and reachable the day before.
    clock_at(app, taken, days=179, hours=23)
    assert purged(purge(app)) == (0, 0, 0)
    assert contact_of(session, signal.id) == ("buur@example.org", PHONE)
    # 180 days: closed as idle, in its history, the contact erased, the team told once.
    clock_at(app, taken, days=180, hours=1)
    assert purged(purge(app)) == (0, 1, 0)
    [closed] = signals_in(session)
    assert closed.status is SignalStatus.IDLE
    assert states.is_closed(closed.status)
    assert contact_of(session, signal.id) == (None, None)
    closed_at = app.config["FIXED_NOW"]
    last = closed.events[-1]
    assert (last.from_status, last.to_status) == (SignalStatus.TAKEN_UP, SignalStatus.IDLE)
    assert last.actor_account_id is None
    told = new_mail()
    assert sorted(m["To"] for m in told) == team
    [closing] = [m for m in told if m["To"] == world.worker_a.email]
    assert "was closed for lack of steps" in closing["Subject"]
    body = closing.get_content()
    assert "no step for 180 days" in body
    assert "deleted 90 days from now" in body
    assert f"/signals/{signal.id}" in body  # info point A still reads it among its closed ones
    assert "buur@example.org" not in body
    logged = session.scalars(
        select(SignalAccess).where(
            SignalAccess.signal_id == signal.id, SignalAccess.action == "status:idle"
        )
    ).all()
    assert [row.account_id for row in logged] == [None]
    worker = signed_in(app, world.worker_a)  # two weeks on: a new session
    page = worker.get(f"/en/signals/{signal.id}")
    assert "Closed: no step for too long" in page_text(page)
    assert "Any contact details they left were erased" in page_text(page)
    assert "closed as idle from" not in page_text(page)
    assert "Closed: no step for too long" in page_text(worker.get("/en/signals/?show=all"))
    # Told once; then the closed signals' keeping time applies.
    clock_at(app, closed_at, days=1)
    assert purged(purge(app)) == (0, 0, 0)
    assert new_mail() == []
    clock_at(app, closed_at, days=89)
    assert purged(purge(app)) == (0, 0, 0)
    clock_at(app, closed_at, days=90, hours=1)
    assert purged(purge(app)) == (0, 0, 1)
    assert signals_in(session) == []


def test_a_signal_with_a_recent_step_is_left_alone_and_a_step_starts_the_count_again(
    app, client, session, world
):
    signal, taken = taken_up_signal(app, client, session, world)
    clock_at(app, taken, days=166, hours=1)
    assert purged(purge(app)) == (1, 0, 0)
    # A step after the reminder: the signal is followed up again.
    clock_at(app, taken, days=170)
    worker = signed_in(app, world.worker_a)
    step(worker, signal.id, "contacted", note="Reached her at last.")
    contacted = app.config["FIXED_NOW"]
    assert "closed as idle from" not in page_text(worker.get(f"/en/signals/{signal.id}"))
    clock_at(app, taken, days=181)
    assert purged(purge(app)) == (0, 0, 0)
    clock_at(app, contacted, days=165, hours=23)
    assert purged(purge(app)) == (0, 0, 0)
    [still] = signals_in(session)
    assert still.status is SignalStatus.CONTACTED
    assert contact_of(session, signal.id) == ("buur@example.org", PHONE)
    # The quiet since that step earns a reminder of its own, and the closing.
    clock_at(app, contacted, days=166, hours=1)
    assert purged(purge(app)) == (1, 0, 0)
    clock_at(app, contacted, days=180, hours=1)
    assert purged(purge(app)) == (0, 1, 0)
    assert signals_in(session)[0].status is SignalStatus.IDLE


def test_a_new_signal_nobody_took_up_is_closed_as_idle_and_its_holders_told(
    app, client, session, world
):
    """Sent to A and B, escalated: all who have it are reminded; once closed, nobody reads
    it any more, so the last email carries no link."""
    send_signal(client, app)
    [signal] = signals_in(session)
    received = app.config["FIXED_NOW"]
    clock_at(app, received, days=15)
    app.test_cli_runner().invoke(args=["signals", "escalate"])
    holders = sorted(
        [world.worker_a.email, world.worker_a2.email, world.worker_b.email, world.coordinator.email]
    )
    before = len(outbox(world))
    clock_at(app, received, days=166, hours=1)
    assert purged(purge(app)) == (1, 0, 0)
    reminders = outbox(world)[before:]
    assert sorted(m["To"] for m in reminders) == holders
    assert all(f"/signals/{signal.id}" in m.get_content() for m in reminders)
    before = len(outbox(world))
    clock_at(app, received, days=180, hours=1)
    assert purged(purge(app)) == (0, 1, 0)
    told = outbox(world)[before:]
    assert sorted(m["To"] for m in told) == holders
    assert not any("/signals/" in m.get_content() for m in told)
    assert signals_in(session)[0].status is SignalStatus.IDLE
    assert contact_of(session, signal.id) == (None, None)
    assert signed_in(app, world.worker_a).get(f"/en/signals/{signal.id}").status_code == 404


def test_a_signal_found_idle_too_long_is_reminded_before_it_is_closed(app, client, session, world):
    """Never closed sooner than 14 days after the reminder: a signal idle for 200 days when
    the purge first sees it (a missed run, a shorter setting) is reminded first."""
    signal, taken = taken_up_signal(app, client, session, world)
    clock_at(app, taken, days=200)
    assert purged(purge(app)) == (1, 0, 0)
    assert signals_in(session)[0].status is SignalStatus.TAKEN_UP
    clock_at(app, taken, days=213, hours=23)
    assert purged(purge(app)) == (0, 0, 0)
    clock_at(app, taken, days=214, hours=1)
    assert purged(purge(app)) == (0, 1, 0)


def test_the_settings_change_the_idle_and_keeping_times(app, client, session, world):
    app.config["SIGNAL_IDLE_DAYS"] = 30
    app.config["SIGNAL_KEEP_DAYS"] = 10
    signal, taken = taken_up_signal(app, client, session, world)
    clock_at(app, taken, days=15, hours=23)
    assert purged(purge(app)) == (0, 0, 0)
    clock_at(app, taken, days=16, hours=1)
    assert purged(purge(app)) == (1, 0, 0)
    clock_at(app, taken, days=29, hours=23)
    assert purged(purge(app)) == (0, 0, 0)
    clock_at(app, taken, days=30, hours=1)
    assert purged(purge(app)) == (0, 1, 0)
    closed_at = app.config["FIXED_NOW"]
    assert contact_of(session, signal.id) == (None, None)
    clock_at(app, closed_at, days=9)
    assert purged(purge(app)) == (0, 0, 0)
    clock_at(app, closed_at, days=10, hours=1)
    assert purged(purge(app)) == (0, 0, 1)


# The migration ---------------------------------------------------------------------------


def test_the_migration_goes_down_and_up_again(scratch):
    url = scratch.create()
    schema.upgrade(url)
    schema.downgrade(url, "0006")
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
    assert not {name for name in tables if name.startswith("signal")}
    schema.upgrade(url)
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
    engine.dispose()
    assert {"signal", "signal_route", "signal_event", "signal_access", "signal_area"} <= tables


def test_the_idle_migration_erases_closed_contacts_and_goes_down_and_up(scratch):
    """0008 allows the status 'idle' and erases the signaller's contact on signals closed
    already; going down, an idle signal becomes a closed one."""
    from sqlalchemy import create_engine
    from sqlalchemy.exc import IntegrityError

    from directory.models import Postcode, SignalEvent

    url = scratch.create()
    schema.upgrade(url, "0007")
    engine = create_engine(url)
    signals, events = Signal.__table__, SignalEvent.__table__
    postcode_id = uuid.uuid4()

    def row(status: SignalStatus) -> dict:
        return {
            "id": uuid.uuid4(),
            "submission_key": uuid.uuid4().hex,
            "status": status,
            "observations": [],
            "postcode_id": postcode_id,
            "person_aware": "no",
            "locale": "nl",
            "signaller_email": "buur@example.org",
            "signaller_phone": PHONE,
        }

    def contacts() -> dict:
        with engine.connect() as connection:
            rows = connection.execute(
                select(signals.c.status, signals.c.signaller_email, signals.c.signaller_phone)
            )
            return {status: (email, phone) for status, email, phone in rows}

    closed, still_open, idle = (
        row(SignalStatus.UNREACHABLE),
        row(SignalStatus.TAKEN_UP),
        row(SignalStatus.IDLE),
    )
    municipality_id = uuid.uuid4()
    with engine.begin() as connection:
        connection.execute(
            Municipality.__table__.insert().values(
                id=municipality_id, nis_code="21004", name_fr="Bruxelles", name_nl="Brussel"
            )
        )
        connection.execute(
            Postcode.__table__.insert().values(
                id=postcode_id,
                code="1000",
                locality_fr="Bruxelles",
                locality_nl="Brussel",
                municipality_id=municipality_id,
            )
        )
        connection.execute(signals.insert(), [closed, still_open])
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(signals.insert(), [idle])
    engine.dispose()

    schema.upgrade(url)
    assert contacts() == {
        SignalStatus.UNREACHABLE: (None, None),
        SignalStatus.TAKEN_UP: ("buur@example.org", PHONE),
    }
    with engine.begin() as connection:
        connection.execute(signals.insert(), [{**idle, "signaller_email": None}])
        connection.execute(
            events.insert().values(
                id=uuid.uuid4(),
                signal_id=idle["id"],
                from_status=SignalStatus.TAKEN_UP,
                to_status=SignalStatus.IDLE,
            )
        )
    engine.dispose()

    schema.downgrade(url, "0007")
    with engine.connect() as connection:
        columns = {column["name"] for column in inspect(connection).get_columns("signal")}
        assert "idle_reminded_at" not in columns
        assert (
            connection.scalar(select(signals.c.status).where(signals.c.id == idle["id"]))
            is SignalStatus.CLOSED
        )
        assert connection.scalar(select(events.c.to_status)) is SignalStatus.CLOSED
    engine.dispose()

    schema.upgrade(url)
    with engine.connect() as connection:
        columns = {column["name"] for column in inspect(connection).get_columns("signal")}
        assert "idle_reminded_at" in columns
    engine.dispose()
