"""Organisations keeping their listing true, through the pages: trusted members publish at
once and the change is searchable right after; other members' edits wait for a coordinator,
who reads a before/after diff and approves or rejects with a reason; every published change
is recorded field by field. Members reach only their own organisations, posted fields
outside the form change nothing, and bad input gives translated messages, never a 500."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import select

from directory import schema
from directory.extensions import db
from directory.hours import WEEKDAY_CODES
from directory.i18n import SUPPORTED_LOCALES
from directory.indexing import sync
from directory.listings import fields
from directory.listings.forms import PERIODS_PER_DAY
from directory.models import (
    ChangeRequest,
    ListingChange,
    Membership,
    Organization,
    OrganizationKind,
    Provenance,
    RequestStatus,
    Role,
    Service,
)
from search import SearchRequest
from tests import factories
from tests.conftest import seeded_app
from tests.factories import csrf_token, make_account, sign_in

PASSWORD = "correct horse battery staple"


@pytest.fixture
def world(app, session):
    w = type("World", (), {})()
    w.org_a = factories.organization(session, "Buurthuis A")
    w.org_b = factories.organization(session, "Buurthuis B")
    w.informal = factories.organization(
        session, "Burenhulp C", kind=OrganizationKind.NEIGHBOUR_HELP_NETWORK
    )
    w.service_a = factories.service(session, w.org_a, "Koffie A", ("shopping",), neighbourhood=8)
    w.service_b = factories.service(session, w.org_b, "Koffie B", ())
    w.member_a = make_account(session, Role.ORGANIZATION_MEMBER, [w.org_a], password=PASSWORD)
    w.trusted_a = make_account(session, Role.ORGANIZATION_MEMBER, [w.org_a], password=PASSWORD)
    session.get(Membership, (w.trusted_a.id, w.org_a.id)).is_trusted = True
    w.member_b = make_account(session, Role.ORGANIZATION_MEMBER, [w.org_b], password=PASSWORD)
    w.member_c = make_account(session, Role.ORGANIZATION_MEMBER, [w.informal], password=PASSWORD)
    w.worker = make_account(session, Role.INFO_POINT_WORKER, [w.org_a], password=PASSWORD)
    w.coordinator = make_account(session, Role.COORDINATOR, [], password=PASSWORD)
    session.commit()
    return w


def client_for(app, account):
    client = app.test_client()
    sign_in(client, account.email, PASSWORD)
    return client


def service_url(world, service=None, org=None) -> str:
    service = service or world.service_a
    org = org or world.org_a
    return f"/en/manage/organizations/{org.id}/services/{service.id}"


def form_data(values: dict, token: str) -> dict:
    """What a browser posts for a listing whose fields are `values` (`fields.snapshot`)."""
    data: dict = {"csrf_token": token}
    for locale in SUPPORTED_LOCALES:
        for part in fields.TEXT_PARTS:
            data[f"text_{locale}-{part}"] = values.get(fields.text_field(part, locale)) or ""
    for index, number in enumerate(values.get("phones") or []):
        data[f"phones-{index}"] = number
    if "help" not in values:  # an organisation
        for name in ("email", "website", "kbo", "join_link"):
            data[name] = values.get(name) or ""
        for index, other in enumerate(values.get("other_ids") or []):
            data[f"other_ids-{index}-scheme"] = other["scheme"]
            data[f"other_ids-{index}-identifier"] = other["identifier"]
        relay = values.get("relay") or {}
        for part in ("name", "email", "phone"):
            data[f"relay_{part}"] = relay.get(part) or ""
        return data
    data.update(help=values["help"], languages=values["languages"], areas=values["areas"])
    data["locations"] = values.get("locations") or []
    for index in range(len(WEEKDAY_CODES) * PERIODS_PER_DAY):  # a browser sends every row
        data[f"hours-{index}-opens"] = data[f"hours-{index}-closes"] = ""
    taken: dict[str, int] = {}
    for period in values["hours"]:
        nth = taken.get(period["byday"], 0)
        taken[period["byday"]] = nth + 1
        index = WEEKDAY_CODES.index(period["byday"]) * PERIODS_PER_DAY + nth
        data[f"hours-{index}-opens"] = period["opens"]
        data[f"hours-{index}-closes"] = period["closes"]
    for index, closure in enumerate(values["closures"]):
        data[f"closures-{index}-starts_on"] = closure["starts_on"]
        data[f"closures-{index}-ends_on"] = closure["ends_on"]
        data[f"closures-{index}-reason"] = closure.get("reason") or ""
    for name in ("email", "url", "application_process", "fees_description"):
        data[name] = values.get(name) or ""
    data["is_free"] = {True: "yes", False: "no"}.get(values.get("is_free"), "")
    return data


def current(session, listing):
    session.expire_all()
    return fields.snapshot(session.get(type(listing), listing.id))


def post_service(client, session, world, **changes):
    values = {**current(session, world.service_a), **changes}
    return client.post(
        service_url(world), data=form_data(values, csrf_token(client, "/en/manage/"))
    )


TWO_PERIODS_ON_MONDAY = [
    {"byday": "MO", "opens": "09:00", "closes": "12:00"},
    {"byday": "MO", "opens": "13:30", "closes": "17:00"},
    {"byday": "TH", "opens": "18:00", "closes": "20:00"},
]


def test_a_trusted_member_publishes_at_once_and_each_field_is_recorded(app, session, world):
    client = client_for(app, world.trusted_a)
    response = post_service(
        client,
        session,
        world,
        **{
            "description.nl": "Elke maandag koffie en een babbel.",
            "hours": TWO_PERIODS_ON_MONDAY,
            "help": ["listening-ear", "shopping"],
            "closures": [{"starts_on": "2026-12-24", "ends_on": "2027-01-02", "reason": "Kerst"}],
            "is_free": True,
        },
    )
    assert response.status_code == 303
    session.expire_all()
    service = session.get(Service, world.service_a.id)
    assert service.texts["nl"].description == "Elke maandag koffie en een babbel."
    assert [(s.byday, str(s.opens_at)) for s in service.schedules] == [
        ("MO", "09:00:00"),
        ("MO", "13:30:00"),
        ("TH", "18:00:00"),
    ]
    assert service.is_free is True
    assert service.provenance is Provenance.ORGANIZATION
    changes = session.scalars(
        select(ListingChange).where(ListingChange.resource_id == service.id)
    ).all()
    by_field = {change.field_name: change for change in changes}
    assert set(by_field) == {
        "description.nl",
        "hours",
        "help",
        "closures",
        "is_free",
        "provenance",
    }
    assert all(change.updated_by_id == world.trusted_a.id for change in changes)
    assert json.loads(by_field["description.nl"].previous_value) == "Koffie A description"
    assert json.loads(by_field["help"].replacement_value) == ["listening-ear", "shopping"]
    assert not session.scalars(select(ChangeRequest)).all()
    page = app.test_client().get(f"/nl/services/{service.id}").text
    assert "Elke maandag koffie en een babbel." in page
    history = client.get(f"/en/manage/organizations/{world.org_a.id}/history").text
    assert "Elke maandag koffie en een babbel." in history
    assert "Opening hours" in history


def test_saving_without_changes_records_nothing(app, session, world):
    client = client_for(app, world.trusted_a)
    assert post_service(client, session, world).status_code == 303
    assert not session.scalars(select(ListingChange)).all()


def test_an_untrusted_edit_waits_for_a_coordinator_and_the_public_page_is_unchanged(
    app, session, world
):
    client = client_for(app, world.member_a)
    response = post_service(client, session, world, **{"description.nl": "Nieuwe tekst X"})
    assert response.status_code == 303
    [request] = session.scalars(select(ChangeRequest)).all()
    assert request.status is RequestStatus.PENDING
    assert request.after == {"description.nl": "Nieuwe tekst X"}
    assert request.before == {"description.nl": "Koffie A description"}
    assert "Nieuwe tekst X" not in app.test_client().get(f"/nl/services/{world.service_a.id}").text
    assert not session.scalars(select(ListingChange)).all()
    # The member sees it waiting, and the form starts from the proposal.
    assert "Waiting for a coordinator" in client.get("/en/manage/").text
    assert "Nieuwe tekst X" in client.get(service_url(world)).text


def test_a_newer_proposal_replaces_the_older_one(app, session, world):
    client = client_for(app, world.member_a)
    post_service(client, session, world, **{"description.nl": "Eerste voorstel"})
    values = {**current(session, world.service_a), "description.nl": "Eerste voorstel"}
    values["summary.nl"] = "Tweede voorstel"
    client.post(service_url(world), data=form_data(values, csrf_token(client, "/en/manage/")))
    requests = session.scalars(select(ChangeRequest).order_by(ChangeRequest.created_at)).all()
    assert [r.status for r in requests] == [RequestStatus.WITHDRAWN, RequestStatus.PENDING]
    assert requests[1].after == {
        "description.nl": "Eerste voorstel",
        "summary.nl": "Tweede voorstel",
    }


def propose(app, session, world, **changes) -> ChangeRequest:
    post_service(client_for(app, world.member_a), session, world, **changes)
    return session.scalars(
        select(ChangeRequest).where(ChangeRequest.status == RequestStatus.PENDING)
    ).one()


def test_a_coordinator_reads_the_diff_and_approves(app, session, world):
    request = propose(
        app,
        session,
        world,
        **{"description.nl": "Goedgekeurde tekst", "languages": ["ar", "nl"]},
    )
    coordinator = client_for(app, world.coordinator)
    queue = coordinator.get("/en/manage/requests").text
    assert f"/en/manage/requests/{request.id}" in queue
    page = coordinator.get(f"/en/manage/requests/{request.id}").text
    assert "Koffie A description" in page
    assert "Goedgekeurde tekst" in page
    assert "Arabic" in page
    assert "Added" in page
    token = csrf_token(coordinator, f"/en/manage/requests/{request.id}")
    response = coordinator.post(
        f"/en/manage/requests/{request.id}/approve", data={"csrf_token": token}
    )
    assert response.status_code == 303
    session.expire_all()
    request = session.get(ChangeRequest, request.id)
    assert request.status is RequestStatus.APPROVED
    assert request.decided_by_id == world.coordinator.id
    service = session.get(Service, world.service_a.id)
    assert service.texts["nl"].description == "Goedgekeurde tekst"
    assert {language.code for language in service.languages} == {"ar", "nl"}
    changes = session.scalars(
        select(ListingChange).where(ListingChange.change_request_id == request.id)
    ).all()
    assert {c.field_name for c in changes} == {"description.nl", "languages", "provenance"}
    assert {c.updated_by_id for c in changes} == {world.member_a.id}  # the author
    assert "Goedgekeurde tekst" in app.test_client().get(f"/nl/services/{service.id}").text
    # Approving twice does nothing more.
    again = coordinator.post(
        f"/en/manage/requests/{request.id}/approve", data={"csrf_token": token}
    )
    assert again.status_code == 303
    assert "already decided" in coordinator.get(again.location).text


def test_a_rejection_needs_a_reason_leaves_the_listing_and_the_member_reads_it(app, session, world):
    request = propose(app, session, world, **{"description.nl": "Afgewezen tekst"})
    coordinator = client_for(app, world.coordinator)
    token = csrf_token(coordinator, f"/en/manage/requests/{request.id}")
    url = f"/en/manage/requests/{request.id}/reject"
    empty = coordinator.post(url, data={"csrf_token": token, "reason": "  "})
    assert "Say why the request is rejected" in coordinator.get(empty.location).text
    too_long = coordinator.post(url, data={"csrf_token": token, "reason": "x" * 1001})
    assert too_long.status_code == 303
    session.expire_all()
    assert session.get(ChangeRequest, request.id).status is RequestStatus.PENDING
    coordinator.post(url, data={"csrf_token": token, "reason": "Schrijf de uren erbij."})
    session.expire_all()
    request = session.get(ChangeRequest, request.id)
    assert request.status is RequestStatus.REJECTED
    assert request.reason == "Schrijf de uren erbij."
    service = session.get(Service, world.service_a.id)
    assert service.texts["nl"].description == "Koffie A description"
    member = client_for(app, world.member_a)
    assert "Schrijf de uren erbij." in member.get("/en/manage/").text
    assert "Schrijf de uren erbij." in member.get(f"/en/manage/requests/{request.id}").text


def test_a_stale_request_is_refused_with_a_clear_message(app, session, world):
    request = propose(app, session, world, **{"description.nl": "Oud voorstel"})
    trusted = client_for(app, world.trusted_a)
    # Someone who publishes starts from the published listing, not from the proposal.
    assert "Oud voorstel" not in trusted.get(service_url(world)).text
    post_service(trusted, session, world, **{"description.nl": "Intussen gewijzigd"})
    coordinator = client_for(app, world.coordinator)
    page = coordinator.get(f"/en/manage/requests/{request.id}").text
    assert "cannot be approved as it is" in page
    token = csrf_token(coordinator, f"/en/manage/requests/{request.id}")
    response = coordinator.post(
        f"/en/manage/requests/{request.id}/approve", data={"csrf_token": token}
    )
    assert "someone changed the listing after this request was made" in (
        coordinator.get(response.location).text
    )
    session.expire_all()
    assert session.get(ChangeRequest, request.id).status is RequestStatus.PENDING
    service = session.get(Service, world.service_a.id)
    assert service.texts["nl"].description == "Intussen gewijzigd"


def test_a_coordinator_may_trust_a_member_who_then_publishes_directly(app, session, world):
    request = propose(app, session, world, **{"summary.nl": "Eerst gemodereerd"})
    coordinator = client_for(app, world.coordinator)
    token = csrf_token(coordinator, f"/en/manage/requests/{request.id}")
    coordinator.post(f"/en/manage/requests/{request.id}/trust", data={"csrf_token": token})
    session.expire_all()
    assert session.get(Membership, (world.member_a.id, world.org_a.id)).is_trusted
    post_service(client_for(app, world.member_a), session, world, **{"summary.nl": "Meteen"})
    session.expire_all()
    assert session.get(Service, world.service_a.id).texts["nl"].summary == "Meteen"


def test_an_untrusted_new_service_is_created_only_on_approval(app, session, world):
    client = client_for(app, world.member_a)
    values = {
        **dict.fromkeys(fields.SERVICE_FIELDS),
        "help": ["shopping"],
        "languages": ["fr"],
        "areas": ["region"],
        "hours": [],
        "closures": [],
        "phones": ["02 218 00 00"],
        "name.fr": "Nouveau service",
    }
    url = f"/en/manage/organizations/{world.org_a.id}/services/new"
    response = client.post(url, data=form_data(values, csrf_token(client, url)))
    assert response.status_code == 303
    request = session.scalars(select(ChangeRequest)).one()
    assert request.service_id is None
    assert request.after["name.fr"] == "Nouveau service"
    count = len(session.get(Organization, world.org_a.id).services)
    coordinator = client_for(app, world.coordinator)
    token = csrf_token(coordinator, f"/en/manage/requests/{request.id}")
    coordinator.post(f"/en/manage/requests/{request.id}/approve", data={"csrf_token": token})
    session.expire_all()
    organization = session.get(Organization, world.org_a.id)
    assert len(organization.services) == count + 1
    created = session.get(ChangeRequest, request.id).service
    assert created.texts["fr"].name == "Nouveau service"
    # Numbers are kept in their international form, however they were typed.
    assert [phone.number for phone in created.phones] == ["+32 2 218 00 00"]
    assert created.areas[0].is_whole_region


def test_an_informal_group_edit_with_a_relay_and_a_join_link(app, session, world):
    client = client_for(app, world.coordinator)
    url = f"/en/manage/organizations/{world.informal.id}"
    join = "https://chat.example.org/burenhulp-c"
    values = {
        **current(session, world.informal),
        "relay": {"name": "Mia", "email": "mia@example.org", "phone": "+32 470 12 34 56"},
        "join_link": join,
        "name.fr": "Entraide C",
    }
    response = client.post(url, data=form_data(values, csrf_token(client, url)))
    assert response.status_code == 303
    assert current(session, world.informal) == values
    assert "Mia" in client.get(f"/en/manage/organizations/{world.informal.id}/history").text
    # The join link is for info-point workers only, never the public.
    public = f"/en/organizations/{world.informal.id}"
    assert join not in app.test_client().get(public).text
    assert join in client_for(app, world.worker).get(public).text


def test_a_formal_organisation_has_no_join_link_to_set(app, session, world):
    client = client_for(app, world.trusted_a)
    url = f"/en/manage/organizations/{world.org_a.id}"
    page = client.get(url).text
    assert 'name="join_link"' not in page
    values = {**current(session, world.org_a), "join_link": "https://spam.example.org"}
    assert client.post(url, data=form_data(values, csrf_token(client, url))).status_code == 303
    assert current(session, world.org_a)["join_link"] is None


# -- who may reach what --------------------------------------------------------------------


def test_a_member_cannot_reach_another_organisation_by_tampering_with_ids(app, session, world):
    other = propose(app, session, world, **{"summary.nl": "Voorstel van A"})
    client = client_for(app, world.member_b)
    token = csrf_token(client, "/en/manage/")
    a, b = world.org_a.id, world.org_b.id
    refused = [
        f"/en/manage/organizations/{a}",
        f"/en/manage/organizations/{a}/history",
        f"/en/manage/organizations/{a}/services/new",
        f"/en/manage/organizations/{a}/services/{world.service_a.id}",
        # B's own organisation in the URL with A's service: still not found.
        f"/en/manage/organizations/{b}/services/{world.service_a.id}",
        f"/en/manage/organizations/{uuid.uuid4()}",
        f"/en/manage/requests/{other.id}",
        f"/en/manage/requests/{uuid.uuid4()}",
    ]
    for url in refused:
        assert client.get(url).status_code == 404, url
    for url in (refused[0], *refused[2:5]):
        values = {**current(session, world.service_a), "summary.nl": "Gekaapt"}
        assert client.post(url, data=form_data(values, token)).status_code == 404, url
    for action in ("approve", "reject", "trust"):
        response = client.post(
            f"/en/manage/requests/{other.id}/{action}", data={"csrf_token": token}
        )
        assert response.status_code == 403
    assert "Voorstel van A" not in client.get("/en/manage/").text
    session.expire_all()
    assert session.get(Service, world.service_a.id).texts["nl"].summary == "Koffie A summary"
    assert session.get(ChangeRequest, other.id).status is RequestStatus.PENDING
    # Info-point workers do not manage listings, even of their own info point.
    worker = client_for(app, world.worker)
    assert worker.get(f"/en/manage/organizations/{a}").status_code == 403


def test_fields_outside_the_form_change_nothing(app, session, world):
    client = client_for(app, world.trusted_a)
    values = {**current(session, world.service_a), "summary.nl": "Toegelaten wijziging"}
    data = form_data(values, csrf_token(client, "/en/manage/"))
    data.update(
        organization_id=str(world.org_b.id),
        status="defunct",
        assured_date="2026-01-01",
        assurer="Me",
        provenance="coordinator",
        provenance_note="trust me",
        id=str(uuid.uuid4()),
        last_modified="2000-01-01",
    )
    assert client.post(service_url(world), data=data).status_code == 303
    session.expire_all()
    service = session.get(Service, world.service_a.id)
    assert service.texts["nl"].summary == "Toegelaten wijziging"
    assert service.organization_id == world.org_a.id
    assert service.status.value == "active"
    assert service.assured_date is None
    assert service.assurer is None
    assert service.provenance is Provenance.ORGANIZATION  # set by publishing, not the form
    assert service.provenance_note is None
    org_data = form_data(current(session, world.org_a), csrf_token(client, "/en/manage/"))
    org_data.update(kind="public_service", assured_date="2026-01-01", join_link="https://x.y")
    client.post(f"/en/manage/organizations/{world.org_a.id}", data=org_data)
    session.expire_all()
    organization = session.get(Organization, world.org_a.id)
    assert organization.kind is OrganizationKind.ASSOCIATION
    assert organization.assured_date is None
    assert organization.join_link is None


# -- bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"hours": [{"byday": "TU", "opens": "14:00", "closes": "09:00"}]},
            "The closing time must come after the opening time.",
        ),
        (
            {"hours": [{"byday": "TU", "opens": "10:00", "closes": "10:00"}]},
            "The closing time must come after the opening time.",
        ),
        ({"description.nl": "x" * 10_000}, "At most 5000 characters."),
        ({"url": "javascript:alert(1)"}, "starting with https:// or http://"),
        ({"url": "ftp://example.org"}, "starting with https:// or http://"),
        ({"email": "not-an-email"}, "does not look like an email address"),
        ({"phones": ["call me"]}, "does not look like a phone number"),
        ({"name.nl": None, "name.fr": None}, "Give the name in at least one language."),
        ({"summary.fr": "Un résumé sans nom"}, "Give the name in this language too."),
        ({"help": ["not-a-kind-of-help"]}, "not a valid choice"),
        ({"areas": ["n:9999"]}, "not a valid choice"),
        (
            {"closures": [{"starts_on": "2026-12-31", "ends_on": "2026-12-01", "reason": ""}]},
            "The last day cannot come before the first day.",
        ),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_lost(
    app, session, world, changes, message
):
    client = client_for(app, world.trusted_a)
    before = current(session, world.service_a)
    response = post_service(client, session, world, **{"summary.nl": "Getypte tekst"}, **changes)
    assert response.status_code == 400
    text = response.text
    assert message in text.replace("&#39;", "'")
    assert "Getypte tekst" in text  # what was typed is kept
    assert "has-error" in text
    assert current(session, world.service_a) == before


def test_bad_input_in_another_language_is_translated(app, session, world):
    client = client_for(app, world.trusted_a)
    values = {**current(session, world.service_a), "url": "javascript:alert(1)"}
    url = f"/nl/manage/organizations/{world.org_a.id}/services/{world.service_a.id}"
    response = client.post(url, data=form_data(values, csrf_token(client, url)))
    assert response.status_code == 400
    assert '<html lang="nl"' in response.text


def test_malformed_times_and_dates_are_messages_not_errors(app, session, world):
    client = client_for(app, world.trusted_a)
    data = form_data(current(session, world.service_a), csrf_token(client, "/en/manage/"))
    data.update({"hours-0-opens": "25:99", "hours-0-closes": "x", "closures-0-starts_on": "31/12"})
    data["hours-999-opens"] = "09:00"  # beyond the table: ignored
    response = client.post(service_url(world), data=data)
    assert response.status_code == 400


# -- search follows ---------------------------------------------------------------------


@pytest.fixture
def indexed_app(scratch, tmp_path):
    """Reference data, a listing with a trusted member, and its search index."""
    url = scratch.create()
    schema.upgrade(url)

    def build(session):
        org = factories.organization(session, "Wijkpunt Zuid")
        service = factories.service(session, org, "Soep op zondag", ("meals",), neighbourhood=8)
        member = make_account(session, Role.ORGANIZATION_MEMBER, [org], password=PASSWORD)
        member.memberships[0].is_trusted = True
        session.commit()
        return {"org": org.id, "service": service.id, "member": member.email}

    app = seeded_app(url, tmp_path, catalogue=False, build=build)
    yield app
    with app.app_context():
        db.session.remove()
    app.extensions["database.engine"].dispose()


def test_a_published_edit_is_searchable_right_after_the_request(indexed_app):
    app = indexed_app
    index = sync.search_index(app)
    assert index.search(SearchRequest(text="zeldzaamwoordsoep")).total == 0
    client = app.test_client()
    sign_in(client, app.ids["member"], PASSWORD)
    url = f"/en/manage/organizations/{app.ids['org']}/services/{app.ids['service']}"
    with app.app_context():
        service = db.session().get(Service, app.ids["service"])
        values = {**fields.snapshot(service), "description.nl": "Warme zeldzaamwoordsoep"}
        db.session.remove()
    response = client.post(url, data=form_data(values, csrf_token(client, url)))
    assert response.status_code == 303
    found = index.search(SearchRequest(text="zeldzaamwoordsoep"))
    assert [listing.id for listing in found.listings] == [str(app.ids["service"])]
    # An organisation text reaches its services' documents too.
    org_url = f"/en/manage/organizations/{app.ids['org']}"
    with app.app_context():
        organization = db.session().get(Organization, app.ids["org"])
        org_values = {**fields.snapshot(organization), "name.nl": "Wijkpunt Kwispelzuid"}
        db.session.remove()
    client.post(org_url, data=form_data(org_values, csrf_token(client, org_url)))
    assert index.search(SearchRequest(text="kwispelzuid")).total == 1
    assert "Warme zeldzaamwoordsoep" in client.get("/nl/search?q=zeldzaamwoordsoep").text or (
        "Soep op zondag" in client.get("/nl/search?q=zeldzaamwoordsoep").text
    )
