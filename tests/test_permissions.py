"""The shared rules of who may do what (`directory.accounts.permissions`)."""

from __future__ import annotations

import uuid
from urllib.parse import parse_qs, urlsplit

import pytest

from directory.accounts import permissions
from directory.models import Account, Role
from tests import factories


@pytest.mark.parametrize(
    ("role", "own", "may"),
    [
        (Role.COORDINATOR, False, True),
        (Role.ORGANIZATION_MEMBER, True, True),
        (Role.ORGANIZATION_MEMBER, False, False),
        (Role.INFO_POINT_WORKER, True, False),  # acts for an info point, never edits it
    ],
)
def test_who_may_edit_an_organisation(role, own, may, monkeypatch):
    organization_id = uuid.uuid4()
    account = Account(email="p@example.org", display_name="P", role=role)
    monkeypatch.setattr(
        Account, "organization_ids", property(lambda _self: {organization_id} if own else set())
    )
    assert permissions.can_edit_organization(account, organization_id) is may


def test_nobody_signed_in_edits_nothing():
    assert not permissions.can_edit_organization(None, uuid.uuid4())


@pytest.mark.parametrize(
    "value",
    [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "javascript:alert(1)",
        "/en/x\r\nLocation: https://evil.example",
        "",
        None,
    ],
)
def test_next_never_leaves_the_site(value):
    assert permissions.safe_next(value) is None


def test_next_keeps_a_path_with_its_query():
    assert permissions.safe_next("/nl/search?q=x&place=1") == "/nl/search?q=x&place=1"


def _next_of(response) -> list[str]:
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/en/account/sign-in"
    return parse_qs(location.query).get("next", [])


def test_a_page_asks_to_sign_in_and_comes_back(client):
    assert _next_of(client.get("/en/manage/requests?page=2")) == ["/en/manage/requests?page=2"]
    assert _next_of(client.get("/en/referrals/")) == ["/en/referrals/"]


def test_a_form_posted_signed_out_does_not_come_back_to_its_post_address(client):
    """Coming back to a POST address after signing in would be a 405 page: every feature
    sends the person to sign in without it (the referrals pages used to keep it)."""
    token = factories.csrf_token(client, "/en/account/sign-in")
    posted = client.post(
        f"/en/referrals/{uuid.uuid4()}/note", data={"csrf_token": token, "text": "x"}
    )
    assert _next_of(posted) == []
    posted = client.post(
        f"/en/organizations/{uuid.uuid4()}/still-right", data={"csrf_token": token}
    )
    assert _next_of(posted) == []


def test_a_member_edits_only_their_own_organisation(client, session):
    own = factories.organization(session, name="Own")
    other = factories.organization(session, name="Other")
    member = factories.make_account(session, Role.ORGANIZATION_MEMBER, organizations=[own])
    session.commit()
    factories.sign_in(client, member.email)
    assert client.get(f"/en/manage/organizations/{own.id}").status_code == 200
    assert client.get(f"/en/manage/organizations/{other.id}").status_code == 404
    own_page = client.get(f"/en/organizations/{own.id}").get_data(as_text=True)
    other_page = client.get(f"/en/organizations/{other.id}").get_data(as_text=True)
    assert f"/en/manage/organizations/{own.id}" in own_page
    assert f"/en/manage/organizations/{other.id}" not in other_page
