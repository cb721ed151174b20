"""Listings stay true: when a listing was last checked, the "is this still right?" email
after six months with its one-click confirmation, "may be out of date" after nine months, the
coordinators' list, and informal groups' join links shown to info points only."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from directory import mail
from directory.clock import BRUSSELS
from directory.freshness import rules
from directory.models import ListingChange, Organization, OrganizationKind, Role
from tests import factories
from tests.factories import csrf_token, make_account, sign_in

CHECKED = date(2026, 1, 10)


def at(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), BRUSSELS).replace(hour=9)


@pytest.fixture
def checked(app, session, tmp_path):
    """An organisation checked on CHECKED, with a member and a service."""
    app.config["MAIL_OUTBOX_DIR"] = str(tmp_path / "mail")
    organization = factories.organization(
        session, "Wijkhuis Noord", assured_date=CHECKED, assurer="Wijkhuis Noord"
    )
    factories.service(session, organization, "Soep op vrijdag", assured_date=CHECKED)
    member = make_account(session, Role.ORGANIZATION_MEMBER, [organization])
    session.commit()
    return organization, member


def mails(app):
    return mail.outbox(Path(app.config["MAIL_OUTBOX_DIR"]))


@pytest.mark.parametrize(
    ("days", "stale", "due"),
    [(100, False, False), (184, False, True), (275, True, True)],
)
def test_six_months_to_ask_nine_to_stale(days, stale, due):
    today = CHECKED + timedelta(days=days)
    assert rules.is_stale(CHECKED, today) is stale
    assert rules.is_due_for_asking(CHECKED, today) is due
    assert not rules.is_stale(None, today)  # never checked: "not checked yet", not stale


def test_a_listing_says_when_it_was_checked_and_when_it_may_be_out_of_date(app, client, checked):
    organization, _member = checked
    app.config["FIXED_NOW"] = at(CHECKED + timedelta(days=30))
    page = client.get(f"/en/organizations/{organization.id}").text
    assert "Checked on 10 January 2026 by Wijkhuis Noord." in page
    assert "may be out of date" not in page
    app.config["FIXED_NOW"] = at(CHECKED + timedelta(days=280))
    page = client.get(f"/en/organizations/{organization.id}").text
    assert "may be out of date" in page


def test_seed_listings_say_honestly_they_were_never_checked(app, client, session):
    seed = session.scalars(select(Organization).where(Organization.assured_date.is_(None))).first()
    app.config["FIXED_NOW"] = at(date(2030, 1, 1))
    page = client.get(f"/en/organizations/{seed.id}").text
    assert "Not checked yet." in page
    assert "may be out of date" not in page


def test_after_six_months_the_organisation_is_asked_once_and_confirms_in_one_click(
    app, client, session, checked
):
    organization, member = checked
    runner = app.test_cli_runner()
    app.config["FIXED_NOW"] = at(CHECKED + timedelta(days=150))
    assert "asked: 0" in runner.invoke(args=["listings", "ask"]).output
    app.config["FIXED_NOW"] = at(CHECKED + timedelta(days=190))
    assert "asked: 1" in runner.invoke(args=["listings", "ask"]).output
    assert "asked: 0" in runner.invoke(args=["listings", "ask"]).output  # not twice
    [message] = mails(app)
    assert message["To"] == member.email
    assert message["Subject"] == "Nabij: klopt je vermelding nog?"  # in the member's Dutch
    body = message.get_content()
    path = re.search(r"/nl/listings/confirm/[\w-]+", body).group(0)

    # Opening the link changes nothing (a mail scanner may open it); the button confirms.
    page = client.get(path)
    assert page.status_code == 200
    session.expire_all()
    assert session.get(Organization, organization.id).assured_date == CHECKED
    token = re.search(r'name="token"[^>]*value="([^"]+)"', page.text).group(1)
    done = client.post(
        "/nl/listings/confirm",
        data={"csrf_token": csrf_token(client, path), "token": token},
    )
    assert done.status_code == 200
    session.expire_all()
    confirmed = session.get(Organization, organization.id)
    today = CHECKED + timedelta(days=190)
    assert confirmed.assured_date == today
    assert all(service.assured_date == today for service in confirmed.services)
    changes = session.scalars(
        select(ListingChange).where(ListingChange.organization_id == organization.id)
    ).all()
    assert {(c.resource_type, c.field_name) for c in changes} >= {
        ("organization", "assured_date"),
        ("service", "assured_date"),
    }
    # The link worked once.
    assert client.get(path).status_code == 410
    again = client.post(
        "/nl/listings/confirm", data={"csrf_token": csrf_token(client, "/nl/"), "token": token}
    )
    assert again.status_code == 410


def test_an_organisation_without_members_is_asked_at_its_own_address(app, session, tmp_path):
    factories.organization(
        session,
        "Koor",
        email="koor@example.org",
        assured_date=CHECKED,
        kind=OrganizationKind.NEIGHBOURHOOD_COMMITTEE,
    )
    session.commit()
    app.config["MAIL_OUTBOX_DIR"] = str(tmp_path / "mail")
    app.config["FIXED_NOW"] = at(CHECKED + timedelta(days=200))
    app.test_cli_runner().invoke(args=["listings", "ask"])
    [message] = mails(app)
    assert message["To"] == "koor@example.org"
    # An informal group is asked whether it is still active, in both official languages.
    assert "nog actief" in message.get_content()
    assert "toujours actif" in message.get_content()
    assert "/nl/listings/confirm/" in message.get_content()
    assert "/fr/listings/confirm/" in message.get_content()


def test_a_confirmation_link_expires(app, client, checked):
    app.config["FIXED_NOW"] = at(CHECKED + timedelta(days=190))
    app.test_cli_runner().invoke(args=["listings", "ask"])
    path = re.search(r"/nl/listings/confirm/[\w-]+", mails(app)[0].get_content()).group(0)
    app.config["FIXED_NOW"] = at(CHECKED + timedelta(days=221))
    assert client.get(path).status_code == 410


def test_members_confirm_their_own_listing_only(app, client, session, checked):
    organization, member = checked
    other_org = factories.organization(session, "Ander", assured_date=CHECKED)
    other = make_account(session, Role.ORGANIZATION_MEMBER, [other_org])
    session.commit()
    app.config["FIXED_NOW"] = at(CHECKED + timedelta(days=300))
    url = f"/en/organizations/{organization.id}/still-right"

    sign_in(client, other.email)
    assert "Everything here is still right" not in client.get(url.rsplit("/", 1)[0]).text
    refused = client.post(url, data={"csrf_token": csrf_token(client, "/en/account/")})
    assert refused.status_code == 404

    mine = app.test_client()
    sign_in(mine, member.email)
    page = mine.get(url.rsplit("/", 1)[0])
    assert "Everything here is still right" in page.text
    done = mine.post(url, data={"csrf_token": csrf_token(mine, url.rsplit("/", 1)[0])})
    assert done.status_code == 303
    session.expire_all()
    assert session.get(Organization, organization.id).assured_date == CHECKED + timedelta(300)
    assert session.get(Organization, organization.id).assurer == member.display_name


def test_coordinators_list_stale_listings(app, client, session, checked):
    organization, _member = checked
    coordinator = make_account(session, Role.COORDINATOR)
    session.commit()
    app.config["FIXED_NOW"] = at(CHECKED + timedelta(days=300))
    sign_in(client, coordinator.email)
    page = client.get("/en/coordination/stale").text
    assert "Wijkhuis Noord" in page


def test_an_informal_groups_join_link_is_for_info_points_only(app, client, session):
    group = factories.organization(
        session,
        "Buren helpen buren",
        kind=OrganizationKind.NEIGHBOUR_HELP_NETWORK,
        join_link="https://chat.example.org/join/abc",
    )
    worker = make_account(session, Role.INFO_POINT_WORKER, [factories.organization(session)])
    member = make_account(session, Role.ORGANIZATION_MEMBER, [group])
    session.commit()
    url = f"/en/organizations/{group.id}"
    assert "chat.example.org" not in client.get(url).text  # the public
    other = app.test_client()
    sign_in(other, member.email)
    assert "chat.example.org" not in other.get(url).text
    sign_in(client, worker.email)
    assert "chat.example.org/join/abc" in client.get(url).text


def row_of(page: str, name: str) -> str:
    """The table row (or card) of the list that names `name`."""
    rows = [row.split("</tr>")[0] for row in page.split("<tr")[1:]]
    [row] = [row for row in rows if name in row]
    return re.sub(r"<[^>]+>", " ", row)


def test_a_confirmed_seed_listing_says_who_checked_it_and_nothing_against_it(app, client, session):
    """One rule: the "Is this still right?" section says whether and when someone checked;
    the line on where the facts come from never speaks of checking."""
    seed = session.scalars(
        select(Organization).where(Organization.assured_date.is_(None)).order_by(Organization.id)
    ).first()
    coordinator = make_account(session, Role.COORDINATOR, name="Sara Coordinator")
    session.commit()
    app.config["FIXED_NOW"] = at(date(2026, 12, 6))
    before = client.get(f"/en/organizations/{seed.id}").text
    assert "Not checked yet." in before
    assert "Written by the Nabij team from public documents." in before

    sign_in(client, coordinator.email)
    url = f"/en/organizations/{seed.id}"
    done = client.post(f"{url}/still-right", data={"csrf_token": csrf_token(client, url)})
    assert done.status_code == 303
    for page in (client.get(url).text, app.test_client().get(url).text):
        assert "Checked on 6 December 2026 by Sara Coordinator." in page
        assert "Written by the Nabij team from public documents." in page
        assert "Not checked yet" not in page
        assert "has checked it yet" not in page
        assert "Nobody" not in page


def test_the_stale_list_gives_each_organisation_its_own_reason(app, client, session, tmp_path):
    app.config["MAIL_OUTBOX_DIR"] = str(tmp_path / "mail")
    asked = factories.organization(
        session, "Gevraagd", email="gevraagd@example.org", assured_date=CHECKED
    )
    nobody = factories.organization(session, "Onbereikbaar", assured_date=CHECKED)
    session.commit()
    app.config["FIXED_NOW"] = at(CHECKED + timedelta(days=200))
    assert "asked: 1" in app.test_cli_runner().invoke(args=["listings", "ask"]).output
    # Checked as long ago, its email address known, but not asked yet (the old list said
    # "no email address and no member" of it).
    factories.organization(session, "Nog niet", email="nog@example.org", assured_date=CHECKED)
    member_only = factories.organization(session, "Met lid", assured_date=CHECKED)
    make_account(session, Role.ORGANIZATION_MEMBER, [member_only])
    coordinator = make_account(session, Role.COORDINATOR)
    session.commit()

    app.config["FIXED_NOW"] = at(CHECKED + timedelta(days=300))
    sign_in(client, coordinator.email)
    page = client.get("/en/coordination/stale").text
    assert "Asked on 29 July 2026, no answer yet." in row_of(page, "Gevraagd")
    assert "Cannot be asked: no email address and no member." in row_of(page, "Onbereikbaar")
    assert "Not asked yet" in row_of(page, "Nog niet")
    assert "Not asked yet" in row_of(page, "Met lid")
    assert "no email address" not in row_of(page, "Nog niet")
    session.expire_all()
    assert session.get(Organization, asked.id).verification_requested_at is not None
    assert session.get(Organization, nobody.id).verification_requested_at is None


def test_an_organisation_with_nobody_to_ask_is_asked_once_it_has_an_address(app, session, tmp_path):
    app.config["MAIL_OUTBOX_DIR"] = str(tmp_path / "mail")
    organization = factories.organization(session, "Later bereikbaar", assured_date=CHECKED)
    session.commit()
    runner = app.test_cli_runner()
    app.config["FIXED_NOW"] = at(CHECKED + timedelta(days=200))
    assert "asked: 0" in runner.invoke(args=["listings", "ask"]).output
    session.get(Organization, organization.id).email = "later@example.org"
    session.commit()
    app.config["FIXED_NOW"] = at(CHECKED + timedelta(days=201))
    assert "asked: 1" in runner.invoke(args=["listings", "ask"]).output
    assert [message["To"] for message in mails(app)] == ["later@example.org"]


def test_never_checked_listings_are_in_the_coordinators_list_with_what_is_missing(
    app, client, session
):
    never = session.scalars(
        select(Organization).where(
            Organization.assured_date.is_(None), Organization.provenance == "source_documents"
        )
    ).all()
    assert len(never) == 61  # the seed catalogue: written from public documents, unchecked
    factories.organization(session, "Heeft een adres", email="a@example.org")
    with_member = factories.organization(session, "Heeft een lid")
    make_account(session, Role.ORGANIZATION_MEMBER, [with_member])
    coordinator = make_account(session, Role.COORDINATOR)
    session.commit()
    sign_in(client, coordinator.email)
    page = client.get("/en/coordination/stale").text
    listed = page.split("Never checked", 1)[1].split("Due to be asked", 1)[0]
    for organization in never:
        assert f"/en/organizations/{organization.id}" in listed
    # The seed carries no email address and nobody has claimed a seed listing yet.
    assert listed.count("No email address and no member") == len(never)
    assert "No member (it has an email address)" in row_of(listed, "Heeft een adres")
    assert "No email address (it has a member)" in row_of(listed, "Heeft een lid")
