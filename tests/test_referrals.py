"""The warm handover through the pages: a worker refers a client with consent, the receiving
organisation answers, both follow it up; double submits, bad input, privacy and retention."""

from __future__ import annotations

import html
import json
import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from directory import mail
from directory.clock import BRUSSELS
from directory.models import (
    Account,
    AccountSession,
    DeclineReason,
    Referral,
    ReferralAccess,
    ReferralEvent,
    ReferralStatus,
    Role,
)
from directory.referrals import access, handover, lifecycle
from directory.referrals.states import TransitionError
from tests import factories
from tests.factories import csrf_token, make_account, sign_in

PASSWORD = "correct horse battery staple"
MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=BRUSSELS)


@pytest.fixture
def world(app, session, tmp_path):
    """Two info points with a worker each, two receiving organisations with a member each,
    one organisation without accounts but with an email address, and a coordinator."""
    app.config["MAIL_OUTBOX_DIR"] = str(tmp_path / "mail")
    app.config["FIXED_NOW"] = MONDAY
    w = type("World", (), {})()
    w.info_a = factories.organization(session, "Infopunt A")
    w.info_b = factories.organization(session, "Infopunt B")
    w.org_r = factories.organization(session, "Buurthulp R")
    w.org_s = factories.organization(session, "Taalcafé S")
    w.org_mail = factories.organization(session, "Huiswerkklas M", email="m@example.org")
    w.service_r = factories.service(session, w.org_r, "Boodschappenhulp", ("shopping",))
    w.service_s = factories.service(session, w.org_s, "Taalcafé", ("language-classes",))
    w.service_m = factories.service(session, w.org_mail, "Huiswerk", ())
    w.worker_a = make_account(session, Role.INFO_POINT_WORKER, [w.info_a], password=PASSWORD)
    w.worker_a2 = make_account(session, Role.INFO_POINT_WORKER, [w.info_a], password=PASSWORD)
    w.worker_b = make_account(session, Role.INFO_POINT_WORKER, [w.info_b], password=PASSWORD)
    w.member_r = make_account(session, Role.ORGANIZATION_MEMBER, [w.org_r], password=PASSWORD)
    w.member_s = make_account(session, Role.ORGANIZATION_MEMBER, [w.org_s], password=PASSWORD)
    w.coordinator = make_account(session, Role.COORDINATOR, [], password=PASSWORD)
    session.commit()
    w.mail_dir = tmp_path / "mail"
    return w


def referral_form(service_id, **overrides):
    data = {
        "service": str(service_id),
        "client_name": "Mohammed B.",
        "contact_channel": "phone",
        "client_phone": "+32 470 00 00 00",
        "reachable_when": "weekday mornings",
        "client_languages": ["ar", "fr"],
        "need_terms": ["shopping"],
        "need_text": "Cannot carry heavy shopping since his operation.",
        "urgency": "soon",
        "consent_locale": "fr",
        "consent_shares_contact": "y",
        "consent_shares_need": "y",
        "consent_given": "y",
    }
    data.update(overrides)
    return data


def send_referral(client, service_id, **overrides):
    """Fill in and send the referral form as a browser would (with its hidden fields)."""
    url = f"/en/referrals/new?service={service_id}"
    page = client.get(url)
    assert page.status_code == 200, page.text
    hidden = dict(
        re.findall(r'<input[^>]*name="(\w+)"[^>]*type="hidden"[^>]*value="([^"]*)"', page.text)
    )
    hidden.update(
        re.findall(r'<input[^>]*type="hidden"[^>]*name="(\w+)"[^>]*value="([^"]*)"', page.text)
    )
    data = {**hidden, **referral_form(service_id, **overrides)}
    return client.post("/en/referrals/new", data=data), data


def open_emailed_link(client, path):
    """What the organisation does with the emailed link: open it, then click the button."""
    page = client.get(path)
    if page.status_code != 200:
        return page
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page.text).group(1)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
    lang = path.strip("/").split("/")[0]
    return client.post(f"/{lang}/referrals/link", data={"csrf_token": csrf, "token": token})


def referrals_in(session):
    session.expire_all()
    return session.scalars(select(Referral).order_by(Referral.created_at)).all()


def test_a_worker_refers_a_client_and_the_organisation_accepts(app, client, session, world):
    sign_in(client, world.worker_a.email, PASSWORD)
    response, _ = send_referral(client, world.service_r.id)
    assert response.status_code == 303
    [referral] = referrals_in(session)
    assert referral.status is ReferralStatus.REQUESTED
    assert referral.sender_organization_id == world.info_a.id
    assert referral.receiving_organization_id == world.org_r.id
    assert referral.client_languages == ["ar", "fr"]
    assert referral.consent_locale == "fr"
    assert "Buurthulp R" in referral.consent_text
    assert referral.consent_version
    # The URL the worker lands on names no client.
    assert "Mohammed" not in response.headers["Location"]

    # The member is told by email, without personal data, and finds it in the inbox.
    [message] = mail.outbox(world.mail_dir)
    assert message["To"] == world.member_r.email
    body = message.get_content()
    assert "Mohammed" not in body + message["Subject"]
    assert "heavy shopping" not in body
    client.post("/en/account/sign-out", data={"csrf_token": csrf_token(client, "/en/referrals/")})

    member = app.test_client()
    sign_in(member, world.member_r.email, PASSWORD)
    inbox = member.get("/en/referrals/")
    assert "1 new" in inbox.text
    assert "Mohammed B." in inbox.text
    detail = member.get(f"/en/referrals/{referral.id}")
    assert "+32 470 00 00 00" in detail.text
    assert "heavy shopping" in detail.text
    token = csrf_token(member, f"/en/referrals/{referral.id}")
    answered = member.post(
        f"/en/referrals/{referral.id}/status",
        data={"csrf_token": token, "to": "accepted", "note": "We call him tomorrow."},
    )
    assert answered.status_code == 303

    # The worker sees it accepted, with the note, and was told by email.
    worker = app.test_client()
    sign_in(worker, world.worker_a.email, PASSWORD)
    page = worker.get(f"/en/referrals/{referral.id}")
    assert "Accepted" in page.text
    assert "We call him tomorrow." in page.text
    assert [m["To"] for m in mail.outbox(world.mail_dir)][-1] == world.worker_a.email
    # A colleague at the same info point follows it up too.
    colleague = app.test_client()
    sign_in(colleague, world.worker_a2.email, PASSWORD)
    assert "Accepted" in colleague.get("/en/referrals/?show=all").text


def test_referral_pages_are_never_cached(client, session, world):
    sign_in(client, world.worker_a.email, PASSWORD)
    send_referral(client, world.service_r.id)
    [referral] = referrals_in(session)
    for url in ["/en/referrals/", f"/en/referrals/{referral.id}"]:
        assert client.get(url).headers["Cache-Control"] == "no-store"


def test_a_double_submit_creates_one_referral(client, session, world):
    sign_in(client, world.worker_a.email, PASSWORD)
    first, data = send_referral(client, world.service_r.id)
    again = client.post("/en/referrals/new", data=data)  # a double click, or a resubmission
    assert first.status_code == again.status_code == 303
    assert first.headers["Location"] == again.headers["Location"]
    assert len(referrals_in(session)) == 1


def test_one_handover_to_two_organisations_makes_two_linked_referrals(app, client, session, world):
    sign_in(client, world.worker_a.email, PASSWORD)
    send_referral(client, world.service_r.id, second_service=str(world.service_s.id))
    first, second = referrals_in(session)
    assert first.handover_id == second.handover_id
    assert {first.receiving_organization_id, second.receiving_organization_id} == {
        world.org_r.id,
        world.org_s.id,
    }
    # Each organisation sees its own referral only.
    member_s = app.test_client()
    sign_in(member_s, world.member_s.email, PASSWORD)
    mine = first if first.receiving_organization_id == world.org_s.id else second
    other = second if mine is first else first
    assert member_s.get(f"/en/referrals/{mine.id}").status_code == 200
    assert member_s.get(f"/en/referrals/{other.id}").status_code == 404


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"consent_given": ""}, "Without the client's consent there is no referral."),
        ({"client_name": ""}, "Give the client's first name or initials."),
        ({"need_text": "x" * 1001}, "At most 1000 characters."),
        ({"client_phone": ""}, "Give a phone number, or choose another way."),
        ({"client_phone": "call me"}, "This does not look like a phone number."),
        (
            {"contact_channel": "email", "client_email": "nope"},
            "This does not look like an email address.",
        ),
        ({"consent_shares_contact": ""}, "did not agree to be contacted directly"),
        ({"need_terms": []}, "Choose at least one kind of help."),
        ({"need_terms": ["no-such-kind"]}, "is not a valid choice"),
        ({"client_name": "A\x00B"}, "Remove the invisible control characters"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_keeps_what_was_typed(
    client, session, world, overrides, message
):
    sign_in(client, world.worker_a.email, PASSWORD)
    response, _ = send_referral(client, world.service_r.id, **overrides)
    assert response.status_code == 200
    assert message in html.unescape(response.text)
    assert "weekday mornings" in response.text  # nothing typed is lost
    assert referrals_in(session) == []


def test_the_form_speaks_the_workers_language(client, world):
    sign_in(client, world.worker_a.email, PASSWORD)
    page = client.get(f"/fr/referrals/new?service={world.service_r.id}")
    assert page.status_code == 200
    assert 'lang="fr"' in page.text


def test_html_bidi_and_control_characters_are_stored_as_given_and_printed_escaped(
    app, client, session, world
):
    name = "<script>alert(1)</script>\u202e\u0007Ann"
    sign_in(client, world.worker_a.email, PASSWORD)
    response, _ = send_referral(client, world.service_r.id, client_name=name)
    assert response.status_code == 303
    [referral] = referrals_in(session)
    assert referral.client_name == name
    page = client.get(f"/en/referrals/{referral.id}").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "\u202e" not in page
    assert "\u0007" not in page


def test_only_the_two_sides_see_a_referral(app, client, session, world):
    sign_in(client, world.worker_a.email, PASSWORD)
    send_referral(client, world.service_r.id)
    [referral] = referrals_in(session)
    for account, expected in [
        (world.worker_b, 404),  # another info point
        (world.member_s, 404),  # another organisation
        (world.coordinator, 404),  # counts only
    ]:
        other = app.test_client()
        sign_in(other, account.email, PASSWORD)
        assert other.get(f"/en/referrals/{referral.id}").status_code == expected
        assert "Mohammed" not in other.get("/en/referrals/", follow_redirects=True).text
        token = csrf_token(other, "/en/account/")
        changed = other.post(
            f"/en/referrals/{referral.id}/status", data={"csrf_token": token, "to": "cancelled"}
        )
        assert changed.status_code in (403, 404)
    assert referrals_in(session)[0].status is ReferralStatus.REQUESTED
    anonymous = app.test_client().get(f"/en/referrals/{referral.id}")
    assert anonymous.status_code == 302
    assert "/account/sign-in" in anonymous.headers["Location"]


def test_each_side_may_take_only_its_own_steps(app, client, session, world):
    sign_in(client, world.worker_a.email, PASSWORD)
    send_referral(client, world.service_r.id)
    [referral] = referrals_in(session)
    token = csrf_token(client, f"/en/referrals/{referral.id}")
    # The sender cannot accept on the organisation's behalf.
    client.post(f"/en/referrals/{referral.id}/status", data={"csrf_token": token, "to": "accepted"})
    assert referrals_in(session)[0].status is ReferralStatus.REQUESTED

    member = app.test_client()
    sign_in(member, world.member_r.email, PASSWORD)
    token = csrf_token(member, f"/en/referrals/{referral.id}")
    # A decline needs a reason; without one nothing changes and the page says why.
    refused = member.post(
        f"/en/referrals/{referral.id}/status",
        data={"csrf_token": token, "to": "declined"},
        follow_redirects=True,
    )
    assert "Choose a reason to decline." in refused.text
    assert referrals_in(session)[0].status is ReferralStatus.REQUESTED
    member.post(
        f"/en/referrals/{referral.id}/status",
        data={"csrf_token": token, "to": "declined", "reason": "no_capacity"},
    )
    declined = referrals_in(session)[0]
    assert declined.status is ReferralStatus.DECLINED
    assert declined.decline_reason.value == "no_capacity"
    # Closed: nothing goes back.
    back = member.post(
        f"/en/referrals/{referral.id}/status",
        data={"csrf_token": token, "to": "accepted"},
        follow_redirects=True,
    )
    assert "not possible any more" in back.text
    assert referrals_in(session)[0].status is ReferralStatus.DECLINED
    history = [e.to_status for e in session.scalars(select(ReferralEvent)).all()]
    assert history.count(ReferralStatus.DECLINED) == 1


def test_every_view_and_change_is_logged(app, client, session, world):
    sign_in(client, world.worker_a.email, PASSWORD)
    send_referral(client, world.service_r.id)
    [referral] = referrals_in(session)
    client.get(f"/en/referrals/{referral.id}")
    member = app.test_client()
    sign_in(member, world.member_r.email, PASSWORD)
    member.get(f"/en/referrals/{referral.id}")
    token = csrf_token(member, f"/en/referrals/{referral.id}")
    member.post(f"/en/referrals/{referral.id}/status", data={"csrf_token": token, "to": "received"})
    logged = {
        (row.account_id, row.action)
        for row in session.scalars(
            select(ReferralAccess).where(ReferralAccess.referral_id == referral.id)
        )
    }
    assert (world.worker_a.id, "create") in logged
    assert (world.worker_a.id, "view") in logged
    assert (world.member_r.id, "view") in logged
    assert (world.member_r.id, "status:received") in logged


def test_an_organisation_without_accounts_answers_through_a_single_use_link(
    app, client, session, world
):
    sign_in(client, world.worker_a.email, PASSWORD)
    send_referral(client, world.service_m.id)
    [referral] = referrals_in(session)
    [message] = mail.outbox(world.mail_dir)
    assert message["To"] == "m@example.org"
    body = message.get_content()
    assert "Mohammed" not in body
    link = re.search(r"http://[^\s]+/nl/referrals/link/[\w-]+", body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]

    guest = app.test_client()
    # Opening the link (or a mail scanner following it) uses nothing up; the click does.
    assert app.test_client().get(f"/{path}").status_code == 200
    opened = open_emailed_link(guest, f"/{path}")
    assert opened.status_code == 303
    assert guest.get(f"/en/referrals/{referral.id}").status_code == 200
    token = csrf_token(guest, f"/en/referrals/{referral.id}")
    guest.post(f"/en/referrals/{referral.id}/status", data={"csrf_token": token, "to": "accepted"})
    assert referrals_in(session)[0].status is ReferralStatus.ACCEPTED
    # The link works once.
    assert app.test_client().get(f"/{path}").status_code == 410
    assert open_emailed_link(app.test_client(), f"/{path}").status_code == 410
    # The guest sees that one referral and nothing else.
    send_referral(client, world.service_m.id, client_name="Other client")
    other = [r for r in referrals_in(session) if r.id != referral.id][0]
    assert guest.get(f"/en/referrals/{other.id}").status_code == 404


def test_a_link_expires(app, client, session, world):
    sign_in(client, world.worker_a.email, PASSWORD)
    send_referral(client, world.service_m.id)
    body = mail.outbox(world.mail_dir)[0].get_content()
    path = re.search(r"/nl/referrals/link/[\w-]+", body).group(0)
    app.config["FIXED_NOW"] = MONDAY + timedelta(days=8)
    assert app.test_client().get(path).status_code == 410


def test_consent_withdrawn_erases_the_clients_details_at_once(app, client, session, world):
    sign_in(client, world.worker_a.email, PASSWORD)
    send_referral(client, world.service_r.id)
    [referral] = referrals_in(session)
    token = csrf_token(client, f"/en/referrals/{referral.id}")
    client.post(
        f"/en/referrals/{referral.id}/status",
        data={"csrf_token": token, "to": "consent_withdrawn"},
    )
    withdrawn = referrals_in(session)[0]
    assert withdrawn.status is ReferralStatus.CONSENT_WITHDRAWN
    assert withdrawn.client_phone is None
    assert withdrawn.need_text is None
    assert "Mohammed" not in withdrawn.client_name


def test_the_inbox_counts_new_unanswered_and_overdue(app, client, session, world):
    sign_in(client, world.worker_a.email, PASSWORD)
    send_referral(client, world.service_r.id)
    app.config["FIXED_NOW"] = MONDAY + timedelta(days=1)
    sign_in(client, world.worker_a.email, PASSWORD)  # the session idled out overnight
    send_referral(client, world.service_r.id, client_name="Second")
    # Monday + 2 working days is Wednesday; on Thursday the first is overdue.
    app.config["FIXED_NOW"] = datetime(2026, 11, 26, 9, 0, tzinfo=BRUSSELS)
    member = app.test_client()
    sign_in(member, world.member_r.email, PASSWORD)
    inbox = member.get("/en/referrals/").text
    assert "2 new" in inbox
    assert "2 not yet answered" in inbox
    assert "1 overdue" in inbox
    assert inbox.count('<tr class="overdue">') == 1


def test_a_reminder_goes_once_when_the_response_target_passes(app, client, session, world):
    sign_in(client, world.worker_a.email, PASSWORD)
    send_referral(client, world.service_r.id)
    runner = app.test_cli_runner()
    app.config["FIXED_NOW"] = datetime(2026, 11, 25, 9, 0, tzinfo=BRUSSELS)  # Wednesday
    assert "for 0 referrals" in runner.invoke(args=["referrals", "remind"]).output
    app.config["FIXED_NOW"] = datetime(2026, 11, 25, 11, 0, tzinfo=BRUSSELS)
    assert "for 1 referrals" in runner.invoke(args=["referrals", "remind"]).output
    assert "for 0 referrals" in runner.invoke(args=["referrals", "remind"]).output
    recipients = [m["To"] for m in mail.outbox(world.mail_dir)]
    assert recipients.count(world.worker_a.email) == 1
    reminder = [m for m in mail.outbox(world.mail_dir) if m["To"] == world.worker_a.email][0]
    assert "no answer yet" in reminder["Subject"]
    assert "Mohammed" not in reminder.get_content()


def test_purge_deletes_declined_and_anonymises_old_closed_referrals(app, client, session, world):
    sign_in(client, world.worker_a.email, PASSWORD)
    for name in ("Declined", "Completed", "Open"):
        send_referral(client, world.service_r.id, client_name=name)
    # All three were sent at the same (fixed) moment: tell them apart by name, not order.
    by_name = {referral.client_name: referral for referral in referrals_in(session)}
    declined, completed, still_open = (by_name[n] for n in ("Declined", "Completed", "Open"))
    declined_id, completed_id, open_id = declined.id, completed.id, still_open.id
    member = app.test_client()
    sign_in(member, world.member_r.email, PASSWORD)
    token = csrf_token(member, f"/en/referrals/{declined.id}")

    def step(referral, **data):
        member.post(f"/en/referrals/{referral.id}/status", data={"csrf_token": token, **data})

    step(declined, to="declined", reason="not_eligible")
    step(completed, to="accepted")
    step(completed, to="completed", outcome="Two volunteers visit him weekly.")
    step(still_open, to="accepted")
    runner = app.test_cli_runner()

    app.config["FIXED_NOW"] = MONDAY + timedelta(days=29)
    assert "deleted: 0; anonymised: 0" in runner.invoke(args=["referrals", "purge"]).output
    app.config["FIXED_NOW"] = MONDAY + timedelta(days=31)
    assert "deleted: 1; anonymised: 0" in runner.invoke(args=["referrals", "purge"]).output
    app.config["FIXED_NOW"] = MONDAY + timedelta(days=370)
    assert "deleted: 0; anonymised: 1" in runner.invoke(args=["referrals", "purge"]).output
    left = {r.id: r for r in referrals_in(session)}
    assert declined_id not in left
    assert left[completed_id].client_name == "—"
    assert left[completed_id].outcome is None
    assert left[completed_id].need_terms == ["shopping"]  # counts survive
    assert left[open_id].client_name == "Open"  # in progress: kept as it is
    # The access log outlives the deleted referral, and holds no client data.
    assert session.scalar(select(func.count()).where(ReferralAccess.referral_id == declined_id))


def test_a_client_can_have_their_data_exported_and_erased(app, client, session, world):
    sign_in(client, world.worker_a.email, PASSWORD)
    send_referral(client, world.service_r.id)
    [referral] = referrals_in(session)
    referral_id = referral.id
    token = csrf_token(client, f"/en/referrals/{referral.id}")
    exported = client.post(
        f"/en/referrals/handover/{referral.handover_id}/export", data={"csrf_token": token}
    )
    assert exported.status_code == 200
    assert "attachment" in exported.headers["Content-Disposition"]
    document = json.loads(exported.data)
    assert document["referrals"][0]["client_name"] == "Mohammed B."
    assert document["referrals"][0]["consent"]["language"] == "fr"
    # Another info point cannot export or erase it.
    other = app.test_client()
    sign_in(other, world.worker_b.email, PASSWORD)
    other_token = csrf_token(other, "/en/referrals/")
    url = f"/en/referrals/handover/{referral.handover_id}"
    assert other.post(f"{url}/export", data={"csrf_token": other_token}).status_code == 404
    assert other.post(f"{url}/erase", data={"csrf_token": other_token}).status_code == 404
    assert client.get(f"{url}/erase").status_code == 200  # asks to confirm first
    erased = client.post(f"{url}/erase", data={"csrf_token": token})
    assert erased.status_code == 303
    assert referrals_in(session) == []
    assert session.scalar(
        select(func.count()).where(
            ReferralAccess.referral_id == referral_id, ReferralAccess.action == "erase"
        )
    )


def test_coordinators_see_anonymous_counts_only(app, client, session, world):
    sign_in(client, world.worker_a.email, PASSWORD)
    send_referral(client, world.service_r.id)
    coordinator = app.test_client()
    sign_in(coordinator, world.coordinator.email, PASSWORD)
    page = coordinator.get("/en/referrals/overview")
    assert page.status_code == 200
    assert "1 referral in all." in page.text
    assert "Mohammed" not in page.text
    assert "Buurthulp R" not in page.text
    assert client.get("/en/referrals/overview").status_code == 403


def test_referral_submissions_are_rate_limited(app, client, session, world):
    app.config["REFERRAL_SUBMIT_LIMIT"] = "2/hour"
    sign_in(client, world.worker_a.email, PASSWORD)
    assert send_referral(client, world.service_r.id, client_name="One")[0].status_code == 303
    assert send_referral(client, world.service_r.id, client_name="Two")[0].status_code == 303
    limited, _ = send_referral(client, world.service_r.id, client_name="Three")
    assert limited.status_code == 429
    assert "nothing you typed is lost" in limited.text
    assert 'value="Three"' in limited.text
    assert len(referrals_in(session)) == 2


def test_an_organisation_that_cannot_receive_says_so(client, session, world):
    silent = factories.organization(session, "Geen account")
    service = factories.service(session, silent, "Niets")
    session.commit()
    sign_in(client, world.worker_a.email, PASSWORD)
    page = client.get(f"/en/referrals/new?service={service.id}")
    assert "cannot receive referrals through Nabij yet" in page.text


def test_referral_data_stays_out_of_the_logs(app, client, session, world, caplog):
    caplog.set_level("DEBUG")
    sign_in(client, world.worker_a.email, PASSWORD)
    send_referral(client, world.service_r.id)
    assert "Mohammed" not in caplog.text
    assert "470 00" not in caplog.text


def test_guest_sessions_end_with_the_referral_erased(app, client, session, world):
    sign_in(client, world.worker_a.email, PASSWORD)
    send_referral(client, world.service_m.id)
    [referral] = referrals_in(session)
    path = re.search(r"/nl/referrals/link/[\w-]+", mail.outbox(world.mail_dir)[0].get_content())
    guest = app.test_client()
    assert open_emailed_link(guest, path.group(0)).status_code == 303
    token = csrf_token(client, f"/en/referrals/{referral.id}")
    client.post(f"/en/referrals/handover/{referral.handover_id}/erase", data={"csrf_token": token})
    assert guest.get(f"/en/referrals/{referral.id}").status_code in (302, 404)
    assert not session.scalar(select(func.count()).where(AccountSession.referral_id == referral.id))


def test_of_two_answers_at_once_only_the_first_counts(app, client, session, world):
    """Two members answer the same referral at the same moment: this request read it as
    "requested", the other accepted it since; this one's "decline" records nothing."""
    sign_in(client, world.worker_a.email, PASSWORD)
    send_referral(client, world.service_r.id)
    [referral] = referrals_in(session)
    with app.test_request_context("/en/"):
        actor = access.actor_for(session.get(Account, world.member_r.id), None)
        assert referral.status is ReferralStatus.REQUESTED  # as this request read it
        session.execute(  # the other member's answer, committed in the meantime
            update(Referral)
            .where(Referral.id == referral.id)
            .values(status=ReferralStatus.ACCEPTED)
            .execution_options(synchronize_session=False)
        )
        with pytest.raises(TransitionError):
            lifecycle.transition(
                session, actor, referral, ReferralStatus.DECLINED, reason=DeclineReason.OTHER
            )
    [after] = referrals_in(session)
    assert after.status is ReferralStatus.ACCEPTED
    assert after.decline_reason is None
    assert [e.to_status for e in after.events] == [ReferralStatus.REQUESTED]


def test_another_info_points_submission_key_never_shows_their_referral(app, client, session, world):
    """The hidden key only recognises one's own double submit: B sending A's key gets a
    referral of their own, not A's."""
    sign_in(client, world.worker_a.email, PASSWORD)
    first, data = send_referral(client, world.service_r.id)
    other = app.test_client()
    sign_in(other, world.worker_b.email, PASSWORD)
    _, b_data = send_referral(other, world.service_r.id)
    b_data["submission_key"] = data["submission_key"]
    copied = other.post("/en/referrals/new", data=b_data)
    assert copied.status_code == 303
    assert copied.headers["Location"] != first.headers["Location"]
    senders = sorted(str(r.sender_organization_id) for r in referrals_in(session))
    assert senders == sorted([str(world.info_a.id)] + [str(world.info_b.id)] * 2)


@pytest.mark.parametrize("key", ["\x00" * 32, "x" * 5000, "../../etc", ""])
def test_a_tampered_submission_key_is_refused_without_a_500(client, session, world, key):
    sign_in(client, world.worker_a.email, PASSWORD)
    _, data = send_referral(client, world.service_r.id)
    referrals_in(session)  # the first one exists
    data["submission_key"] = key
    data["client_name"] = "Someone else"
    response = client.post("/en/referrals/new", data=data)
    assert response.status_code == 200
    assert "error-summary" in response.text
    assert "Someone else" in response.text  # what was typed is still there
    assert [r.client_name for r in referrals_in(session)] == ["Mohammed B."]


def test_a_submission_that_saves_nothing_shows_the_form_again(client, session, world, monkeypatch):
    """The rare case where the key collided with something other than this form's earlier
    copy: nothing is saved, the worker is told and keeps what they typed."""
    monkeypatch.setattr(handover, "create", lambda *args, **kwargs: [])
    sign_in(client, world.worker_a.email, PASSWORD)
    response, _ = send_referral(client, world.service_r.id)
    assert response.status_code == 409
    assert "could not be saved" in response.text
    assert "weekday mornings" in response.text
    assert referrals_in(session) == []


def test_the_response_target_is_said_as_a_day_in_the_readers_language(app, client, session, world):
    """Sent on a Saturday, a referral is due two working days after Monday began: 00:00 on
    Wednesday, which people read as "by Tuesday", never as "Wednesday 12:00 AM"."""
    app.config["FIXED_NOW"] = datetime(2026, 12, 5, 11, 0, tzinfo=BRUSSELS)
    sign_in(client, world.worker_a.email, PASSWORD)
    send_referral(client, world.service_r.id)
    [referral] = referrals_in(session)
    detail = client.get(f"/en/referrals/{referral.id}").text
    assert "To be acknowledged by Tuesday 8 December." in detail
    assert "Tuesday 8 December" in client.get("/en/referrals/").text
    member = app.test_client()
    sign_in(member, world.member_r.email, PASSWORD, lang="nl")
    assert "dinsdag 8 december" in member.get("/nl/referrals/").text
    assert "12:00 AM" not in detail
