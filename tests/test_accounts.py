"""Accounts as the people using them notice: signing in and out, timeouts, deactivation,
single-use links, the second step, rate limits, CSRF, redirects and caching."""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app import create_app
from directory import mail, ratelimit
from directory.accounts import sessions
from directory.clock import BRUSSELS
from directory.extensions import db
from directory.models import Account, AccountSession, Organization, Provenance, Role
from tests.factories import PASSWORD, csrf_token, make_account, sign_in, totp_code

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=BRUSSELS)
HOME = "/en/account/"
SIGN_IN = "/en/account/sign-in"


@pytest.fixture
def outbox(app, tmp_path):
    app.config["MAIL_OUTBOX_DIR"] = str(tmp_path / "mail")
    return lambda: mail.outbox(tmp_path / "mail")


@pytest.fixture
def fixed_time(app):
    app.config["FIXED_NOW"] = T0
    return app


def post(client, path, data, form_page=None):
    """A POST as a browser sends it: with the CSRF token of the page holding the form."""
    return client.post(path, data={"csrf_token": csrf_token(client, form_page or path), **data})


def cookie(client) -> str | None:
    found = client.get_cookie(sessions.COOKIE_NAME)
    return found.value if found else None


def is_signed_in(client) -> bool:
    response = client.get(HOME)
    return response.status_code == 200


def link_in(message) -> str:
    body = message.get_content()
    found = re.search(r"http://127\.0\.0\.1:8000(/\S+)", body)
    assert found, body
    return found.group(1)


# Signing in and out -----------------------------------------------------------------------


def test_sign_in_opens_the_account_page_and_stores_only_a_hash(app, client, session):
    account = make_account(session, Role.COORDINATOR, name="Amina Coordinator")
    response = sign_in(client, account.email.upper(), PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == HOME
    page = client.get(HOME).get_data(as_text=True)
    assert "Amina Coordinator" in page
    assert "Coordinator" in page

    set_cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in set_cookie
    assert "SameSite=Lax" in set_cookie
    assert "Secure" not in set_cookie
    raw = cookie(client)
    stored = session.scalars(
        select(AccountSession.token_hash).where(AccountSession.account_id == account.id)
    ).all()
    assert stored == [hashlib.sha256(raw.encode()).hexdigest()]


def test_session_cookie_is_secure_when_configured(app, client, session):
    app.config["SESSION_COOKIE_SECURE"] = True
    account = make_account(session)
    assert "Secure" in sign_in(client, account.email).headers["Set-Cookie"]


def test_wrong_password_and_unknown_email_get_the_same_refusal(client, session):
    account = make_account(session)
    wrong = sign_in(client, account.email, "not the password at all")
    unknown = sign_in(client, "nobody@example.org", PASSWORD)
    for response in (wrong, unknown):
        assert response.status_code == 400
        assert "do not match an active account" in response.get_data(as_text=True)
    assert cookie(client) is None
    assert not is_signed_in(client)


def test_invited_account_without_password_cannot_sign_in(client, session):
    account = make_account(session, password=None)
    assert sign_in(client, account.email, "").status_code == 400
    assert sign_in(client, account.email, PASSWORD).status_code == 400


def test_sign_in_replaces_the_session_it_had(client, session):
    account = make_account(session)
    sign_in(client, account.email)
    first = cookie(client)
    sign_in(client, account.email)
    assert cookie(client) != first
    ended = session.scalars(
        select(AccountSession).where(
            AccountSession.token_hash == hashlib.sha256(first.encode()).hexdigest()
        )
    ).one()
    assert ended.ended_at is not None


def test_sign_out_ends_the_session_on_the_server(app, client, session):
    account = make_account(session)
    sign_in(client, account.email)
    stolen = cookie(client)
    response = post(client, "/en/account/sign-out", {}, form_page=HOME)
    assert response.status_code == 302
    assert "You have signed out." in client.get(SIGN_IN).get_data(as_text=True)
    assert not is_signed_in(client)

    replay = app.test_client()
    replay.set_cookie(sessions.COOKIE_NAME, stolen)
    response = replay.get(HOME)
    assert response.status_code == 302
    assert response.headers["Location"].startswith(SIGN_IN)


def test_deactivation_ends_every_session_at_once(app, client, session):
    coordinator = make_account(session, Role.COORDINATOR)
    worker = make_account(session, Role.ORGANIZATION_MEMBER)
    worker_browser = app.test_client()
    sign_in(worker_browser, worker.email)
    assert is_signed_in(worker_browser)

    sign_in(client, coordinator.email)
    response = post(client, f"/en/account/people/{worker.id}/deactivate", {}, "/en/account/people")
    assert response.status_code == 302

    assert not is_signed_in(worker_browser)
    assert sign_in(worker_browser, worker.email).status_code == 400
    post(client, f"/en/account/people/{worker.id}/reactivate", {}, "/en/account/people")
    assert sign_in(worker_browser, worker.email).status_code == 302


def test_a_coordinator_cannot_deactivate_themselves(client, session):
    coordinator = make_account(session, Role.COORDINATOR)
    sign_in(client, coordinator.email)
    response = post(
        client, f"/en/account/people/{coordinator.id}/deactivate", {}, "/en/account/people"
    )
    assert response.status_code == 403
    assert is_signed_in(client)


def test_idle_session_ends_after_30_minutes(fixed_time, client, session):
    account = make_account(session)
    sign_in(client, account.email)
    fixed_time.config["FIXED_NOW"] = T0 + timedelta(minutes=29)
    assert is_signed_in(client)  # activity moves the idle deadline
    fixed_time.config["FIXED_NOW"] = T0 + timedelta(minutes=58)
    assert is_signed_in(client)
    fixed_time.config["FIXED_NOW"] = T0 + timedelta(minutes=58 + 31)
    assert not is_signed_in(client)
    fixed_time.config["FIXED_NOW"] = T0 + timedelta(minutes=58 + 32)
    assert not is_signed_in(client)  # and it stays ended


def test_session_ends_after_12_hours_however_active(fixed_time, client, session):
    account = make_account(session)
    sign_in(client, account.email)
    for step in range(1, 36):  # every 20 minutes for 11 h 40
        fixed_time.config["FIXED_NOW"] = T0 + timedelta(minutes=20 * step)
        assert is_signed_in(client), step
    fixed_time.config["FIXED_NOW"] = T0 + timedelta(hours=12, minutes=1)
    assert not is_signed_in(client)


def test_guest_is_sent_to_sign_in_and_comes_back(client, session):
    response = client.get("/en/account/password")
    assert response.status_code == 302
    assert response.headers["Location"] == f"{SIGN_IN}?next=/en/account/password"
    account = make_account(session)
    token = csrf_token(client, response.headers["Location"])
    response = client.post(
        SIGN_IN,
        data={
            "csrf_token": token,
            "email": account.email,
            "password": PASSWORD,
            "next": "/en/account/password",
        },
    )
    assert response.headers["Location"] == "/en/account/password"


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "/\r\nLocation: x",
        "/\tevil",
    ],
)
def test_next_never_leaves_the_site(client, session, target):
    account = make_account(session)
    page = client.get(SIGN_IN, query_string={"next": target}).get_data(as_text=True)
    assert 'name="next" type="hidden" value=""' in page
    token = csrf_token(client, SIGN_IN)
    response = client.post(
        SIGN_IN,
        data={"csrf_token": token, "email": account.email, "password": PASSWORD, "next": target},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == HOME


def test_role_required_refuses_other_roles(client, session):
    worker = make_account(session, Role.INFO_POINT_WORKER)
    sign_in(client, worker.email)
    assert client.get("/en/account/people").status_code == 403
    assert client.get("/en/account/people/invite").status_code == 403


# Single-use links --------------------------------------------------------------------------


def test_reset_link_works_once(app, client, session, outbox):
    account = make_account(session, name="Jan Peeters")
    other_browser = app.test_client()
    sign_in(other_browser, account.email, lang="fr")

    response = post(client, "/en/account/forgot-password", {"email": account.email})
    assert "If this address belongs to an account" in response.get_data(as_text=True)
    [message] = outbox()
    assert message["To"] == account.email
    assert "Jan" not in message.get_content()
    assert "Peeters" not in message["Subject"]
    link = link_in(message)

    response = client.get(link)
    assert response.status_code == 302
    # The token leaves the URL; the link is in the language the account last signed in with.
    assert response.headers["Location"] == "/fr/account/reset"
    new_password = "a brand new passphrase"
    data = {"password": new_password, "confirm": new_password}
    response = post(client, "/fr/account/reset", data)
    assert response.status_code == 302

    assert not is_signed_in(other_browser)  # a new password ends every session
    assert sign_in(app.test_client(), account.email, PASSWORD).status_code == 400
    assert sign_in(app.test_client(), account.email, new_password).status_code == 302
    assert app.test_client().get(link).status_code == 410


def test_reset_link_expires_after_an_hour(fixed_time, client, session, outbox):
    account = make_account(session)
    post(client, "/en/account/forgot-password", {"email": account.email})
    link = link_in(outbox()[0])
    assert client.get(link).status_code == 302  # still fine, opened in time
    fixed_time.config["FIXED_NOW"] = T0 + timedelta(minutes=61)
    data = {"password": "x" * 12, "confirm": "x" * 12}
    response = post(client, "/nl/account/reset", data, form_page=SIGN_IN)
    assert response.status_code == 410
    assert fixed_time.test_client().get(link).status_code == 410
    assert sign_in(fixed_time.test_client(), account.email, PASSWORD).status_code == 302


def test_forgot_password_says_the_same_for_unknown_addresses(client, outbox):
    response = post(client, "/en/account/forgot-password", {"email": "nobody@example.org"})
    assert response.status_code == 200
    assert "If this address belongs to an account" in response.get_data(as_text=True)
    assert outbox() == []


def test_reset_form_checks_the_new_password(client, session, outbox):
    account = make_account(session)
    post(client, "/en/account/forgot-password", {"email": account.email})
    client.get(link_in(outbox()[0]))
    response = post(client, "/en/account/reset", {"password": "short", "confirm": "short"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Your password needs 12 to 200 characters." in page
    assert 'aria-describedby="password-hint password-error"' in page
    response = post(
        client, "/en/account/reset", {"password": "long enough one", "confirm": "another one!!"}
    )
    assert "The two passwords are not the same." in response.get_data(as_text=True)


def invite_through_the_page(client, session, outbox, **fields):
    coordinator = make_account(session, Role.COORDINATOR)
    sign_in(client, coordinator.email)
    return post(client, "/en/account/people/invite", fields)


def test_invitation_is_accepted_once(app, client, session, outbox):
    organization = session.scalars(
        select(Organization).where(Organization.provenance != Provenance.SYNTHETIC).limit(1)
    ).one()
    response = invite_through_the_page(
        client,
        session,
        outbox,
        email="New.Member@Example.org",
        display_name="Sofia Member",
        role="organization_member",
        organizations=str(organization.id),
        locale="fr",
    )
    assert response.status_code == 302
    assert "Sofia Member" in client.get("/en/account/people").get_data(as_text=True)
    [message] = outbox()
    assert message["To"] == "new.member@example.org"
    assert "Sofia" not in message.get_content()
    link = link_in(message)
    assert link.startswith("/fr/account/invitation/")

    invited = app.test_client()
    assert invited.get(link).headers["Location"] == "/fr/account/invitation"
    password = "my own good password"
    response = post(invited, "/fr/account/invitation", {"password": password, "confirm": password})
    assert response.status_code == 302
    page = invited.get(HOME).get_data(as_text=True)
    assert "Sofia Member" in page
    assert "Organisation member" in page

    assert app.test_client().get(link).status_code == 410
    assert sign_in(app.test_client(), "new.member@example.org", password).status_code == 302


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"role": "info_point_worker"}, "An info-point worker acts for exactly one info point."),
        ({"role": "organization_member"}, "Choose at least one organisation."),
        ({"role": "coordinator", "organizations": "ORG"}, "acts for no organisation"),
        ({"role": "pirate"}, "Choose a role."),
        ({"role": "coordinator", "organizations": "not-a-uuid"}, "Choose organisations"),
        ({"role": "coordinator", "email": "not an email"}, "Enter an email address like"),
        ({"role": "coordinator", "display_name": ""}, "Enter the person"),
        ({"role": "coordinator", "display_name": "A\x00B"}, "cannot be typed"),
        ({"role": "coordinator", "locale": "xx"}, "Choose a language."),
    ],
)
def test_invite_form_refuses_bad_input_with_a_message(client, session, outbox, fields, message):
    organization = session.scalars(select(Organization).limit(1)).one()
    data = {"email": "someone@example.org", "display_name": "Someone", "locale": "nl", **fields}
    if data.get("organizations") == "ORG":
        data["organizations"] = str(organization.id)
    response = invite_through_the_page(client, session, outbox, **data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert outbox() == []


def test_invite_refuses_an_email_already_used(client, session, outbox):
    existing = make_account(session)
    response = invite_through_the_page(
        client,
        session,
        outbox,
        email=existing.email,
        display_name="X",
        role="coordinator",
        locale="nl",
    )
    assert response.status_code == 400
    assert "already an account" in response.get_data(as_text=True)


def test_cli_invites_the_first_coordinator_and_lists_accounts(app, session):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["accounts", "invite", "first@example.org", "--name", "First", "--role", "coordinator"]
    )
    assert result.exit_code == 0, result.output
    link = re.search(r"http://127\.0\.0\.1:8000(/nl/account/invitation/\S+)", result.output)
    assert link
    client = app.test_client()
    assert client.get(link.group(1)).status_code == 302
    listing = runner.invoke(args=["accounts", "list"])
    assert "first@example.org" in listing.output
    assert "invitation not accepted" in listing.output
    again = runner.invoke(
        args=["accounts", "invite", "first@example.org", "--name", "F", "--role", "coordinator"]
    )
    assert again.exit_code != 0
    unknown_org = runner.invoke(
        args=[
            "accounts",
            "invite",
            "second@example.org",
            "--name",
            "S",
            "--role",
            "organization_member",
            "--organization",
            str(uuid.uuid4()),
        ]
    )
    assert unknown_org.exit_code != 0
    assert "No organisation" in unknown_org.output


@pytest.fixture
def app_served_on(seeded_url, seeded_engine, monkeypatch, tmp_path):
    """The app as `scripts/run` starts it with BIND (and PUBLIC_URL unset), on the seeded
    database in a transaction rolled back at the end, writing mail to a folder of its own."""
    made = []

    def make(bind: str, public_url: str | None = None):
        monkeypatch.setenv("BIND", bind)
        if public_url:
            monkeypatch.setenv("PUBLIC_URL", public_url)
        else:
            monkeypatch.delenv("PUBLIC_URL", raising=False)
        monkeypatch.setenv("MAIL_OUTBOX_DIR", str(tmp_path / "mail"))
        connection = seeded_engine.connect()
        outer = connection.begin()
        application = create_app(
            {"DATABASE_URL": seeded_url, "DATABASE_BIND": connection, "TESTING": True}
        )
        made.append((application, connection, outer))
        return application

    yield make
    for application, connection, outer in made:
        outer.rollback()
        connection.close()
        application.extensions["database.engine"].dispose()


@pytest.mark.parametrize(
    ("bind", "public_url", "expected"),
    [
        ("127.0.0.1:8000", None, "http://127.0.0.1:8000"),
        ("0.0.0.0:8123", None, "http://127.0.0.1:8123"),
        ("localhost:5000", None, "http://localhost:5000"),
        ("[::]:8080", None, "http://[::1]:8080"),
        ("0.0.0.0:8123", "https://nabij.example.org", "https://nabij.example.org"),
    ],
)
def test_the_first_coordinator_is_one_command_whose_link_and_email_follow_bind(
    app_served_on, bind, public_url, expected
):
    """The README's steps: `flask accounts invite` prints a link on the address the app is
    served on and writes the invitation email to the mail outbox."""
    app = app_served_on(bind, public_url)
    result = app.test_cli_runner().invoke(
        args=["accounts", "invite", "first@example.org", "--name", "First", "--role", "coordinator"]
    )
    assert result.exit_code == 0, result.output
    link = re.search(r"(\S+)(/nl/account/invitation/\S+)", result.output)
    assert link.group(1) == expected
    [message] = mail.outbox(Path(app.config["MAIL_OUTBOX_DIR"]))
    assert message["To"] == "first@example.org"
    assert link.group(0) in message.get_content()
    assert app.config["MAIL_OUTBOX_DIR"] in result.output  # it says where the email is
    assert app.test_client().get(link.group(2)).status_code == 302  # the link works


def test_a_refused_invitation_writes_no_email(app_served_on):
    app = app_served_on("127.0.0.1:8000")
    result = app.test_cli_runner().invoke(
        args=[
            "accounts",
            "invite",
            "x@example.org",
            "--name",
            "X",
            "--role",
            "organization_member",
            "--organization",
            str(uuid.uuid4()),
        ]
    )
    assert result.exit_code != 0
    assert not mail.outbox(Path(app.config["MAIL_OUTBOX_DIR"]))


def test_organisation_ids_for_an_invitation_come_from_a_command(app, session):
    runner = app.test_cli_runner()
    everything = runner.invoke(args=["accounts", "organizations"])
    assert everything.exit_code == 0
    ocmw = runner.invoke(args=["accounts", "organizations", "ocmw", "anderlecht"])
    [line] = ocmw.output.splitlines()
    organization_id, name = line.split("\t")
    assert "Anderlecht" in name
    assert line in everything.output
    invited = runner.invoke(
        args=[
            "accounts",
            "invite",
            "m@example.org",
            "--name",
            "M",
            "--role",
            "organization_member",
            "--organization",
            organization_id,
        ]
    )
    assert invited.exit_code == 0, invited.output
    assert organization_id in runner.invoke(args=["accounts", "list"]).output


def test_change_password_signs_out_other_browsers(app, client, session):
    account = make_account(session)
    other = app.test_client()
    sign_in(other, account.email)
    sign_in(client, account.email)
    response = post(
        client,
        "/en/account/password",
        {"current_password": "wrong password!", "password": "x" * 14, "confirm": "x" * 14},
    )
    assert response.status_code == 400
    assert "This is not your current password." in response.get_data(as_text=True)
    assert is_signed_in(other)
    response = post(
        client,
        "/en/account/password",
        {"current_password": PASSWORD, "password": "x" * 14, "confirm": "x" * 14},
    )
    assert response.status_code == 302
    assert is_signed_in(client)
    assert not is_signed_in(other)


# The second step -----------------------------------------------------------------------------


def test_second_step_is_required_and_checked(fixed_time, client, session):
    account = make_account(session, totp=True)
    response = sign_in(client, account.email)
    assert response.headers["Location"].startswith("/en/account/sign-in/code")
    assert not is_signed_in(client)  # the password alone opens nothing

    response = post(client, "/en/account/sign-in/code", {"code": "123456"})
    wrong = "000000" if totp_code(account.totp_secret, T0) != "000000" else "111111"
    response = post(client, "/en/account/sign-in/code", {"code": wrong})
    assert response.status_code == 400
    assert "This code is not right." in response.get_data(as_text=True)
    response = post(client, "/en/account/sign-in/code", {"code": "abc"})
    assert response.status_code == 400
    assert not is_signed_in(client)

    code = totp_code(account.totp_secret, T0)
    response = post(client, "/en/account/sign-in/code", {"code": code})
    assert response.status_code == 302
    assert is_signed_in(client)

    # The same code, seen over a shoulder, does not open a second browser.
    thief = fixed_time.test_client()
    sign_in(thief, account.email)
    assert post(thief, "/en/account/sign-in/code", {"code": code}).status_code == 400
    assert not is_signed_in(thief)


def test_second_step_must_follow_the_password_soon(fixed_time, client, session):
    account = make_account(session, totp=True)
    sign_in(client, account.email)
    fixed_time.config["FIXED_NOW"] = T0 + timedelta(minutes=11)
    token = csrf_token(client, SIGN_IN)
    code = totp_code(account.totp_secret, T0 + timedelta(minutes=11))
    response = client.post("/en/account/sign-in/code", data={"csrf_token": token, "code": code})
    assert response.status_code == 302
    assert response.headers["Location"] == SIGN_IN
    assert not is_signed_in(client)


def test_turning_the_second_step_on_and_off(fixed_time, client, session):
    account = make_account(session)
    sign_in(client, account.email)
    page = client.get("/en/account/two-factor").get_data(as_text=True)
    assert "<svg" in page
    secret = re.search(r'name="secret" type="hidden" value="([A-Z2-7]{32})"', page).group(1)
    token = csrf_token(client, "/en/account/")
    response = client.post(
        "/en/account/two-factor", data={"csrf_token": token, "secret": secret, "code": "000000"}
    )
    if totp_code(secret, T0) != "000000":
        assert response.status_code == 400
    response = client.post(
        "/en/account/two-factor",
        data={"csrf_token": token, "secret": secret, "code": totp_code(secret, T0)},
    )
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Account, account.id).totp_secret == secret

    response = post(client, "/en/account/two-factor/off", {"current_password": "wrong one!!!"})
    assert response.status_code == 400
    response = post(client, "/en/account/two-factor/off", {"current_password": PASSWORD})
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Account, account.id).totp_secret is None


def test_enrolment_refuses_a_forged_secret(client, session):
    account = make_account(session)
    sign_in(client, account.email)
    response = post(
        client, "/en/account/two-factor", {"secret": "short", "code": "123456"}, "/en/account/"
    )
    assert response.status_code == 400
    assert "Please start again." in response.get_data(as_text=True)


# Rate limits, CSRF, caching ------------------------------------------------------------------


def test_sign_in_is_limited_per_email(app, client, session):
    account = make_account(session)
    for _attempt in range(5):
        assert sign_in(client, account.email, "wrong password!").status_code == 400
    response = sign_in(client, account.email, PASSWORD)
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)
    assert cookie(client) is None
    # Another person, same address, is not locked out by this one's limit.
    other = make_account(session)
    assert sign_in(app.test_client(), other.email).status_code == 302


def test_sign_in_is_limited_per_address(app, client, session):
    app.config["SIGN_IN_LIMIT_PER_IP"] = "3/minute"
    for attempt in range(3):
        assert sign_in(client, f"n{attempt}@example.org", "wrong password!").status_code == 400
    account = make_account(session)
    assert sign_in(client, account.email).status_code == 429


def redis_app(seeded_url, prefix):
    return create_app(
        {
            "DATABASE_URL": seeded_url,
            "TESTING": True,
            "REDIS_URL": "redis://127.0.0.1:6379/15",
            "RATELIMIT_STORAGE": "redis",
            "RATELIMIT_KEY_PREFIX": prefix,
        }
    )


def assert_limits_shared(first, second) -> None:
    """Three attempts allowed per minute, whichever of the two workers counts them; another
    email is counted apart."""
    results = []
    for worker in (first, second, first, second):
        with worker.app_context():
            results.append(ratelimit.allow("sign-in-email", "a@example.org", "3/minute"))
    assert results == [True, True, True, False]
    with second.app_context():
        assert ratelimit.allow("sign-in-email", "b@example.org", "3/minute")


def test_redis_limits_are_shared_between_workers(seeded_url):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/15").ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = f"nabij-test-{uuid.uuid4().hex}"
    first, second = redis_app(seeded_url, prefix), redis_app(seeded_url, prefix)
    try:
        assert_limits_shared(first, second)
        keys = redis.Redis.from_url("redis://127.0.0.1:6379/15").keys(f"{prefix}*")
        assert keys
        assert not any(b"example.org" in key for key in keys)
    finally:
        with first.app_context():
            ratelimit.reset()
        for worker in (first, second):
            worker.extensions["database.engine"].dispose()
    assert not redis.Redis.from_url("redis://127.0.0.1:6379/15").keys(f"{prefix}*")


def test_post_without_csrf_token_is_refused_with_a_normal_page(app, client, session):
    assert app.config.get("WTF_CSRF_ENABLED", True)
    account = make_account(session)
    response = client.post(SIGN_IN, data={"email": account.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "This request could not be handled" in response.get_data(as_text=True)
    assert cookie(client) is None

    sign_in(client, account.email)
    response = client.post("/en/account/sign-out")
    assert response.status_code == 400
    assert is_signed_in(client)


def test_account_pages_are_never_cached(client, session):
    assert client.get(SIGN_IN).headers["Cache-Control"] == "no-store"
    account = make_account(session, Role.COORDINATOR)
    sign_in(client, account.email)
    for path in (HOME, "/en/account/people", "/en/account/password", "/en/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path


def test_header_shows_sign_in_or_the_account(client, session):
    page = client.get("/en/").get_data(as_text=True)
    assert f'href="{SIGN_IN}"' in page
    account = make_account(session, name="Header Person")
    sign_in(client, account.email)
    page = client.get("/en/").get_data(as_text=True)
    assert "Header Person" in page
    assert 'action="/en/account/sign-out"' in page


@pytest.mark.parametrize(
    ("path", "data"),
    [
        (SIGN_IN, {"email": "x" * 5000 + "@example.org", "password": "p"}),
        (SIGN_IN, {"email": ["a@example.org", "b@example.org"], "password": "p" * 500}),
        ("/en/account/forgot-password", {"email": "\x00@example.org"}),
        (SIGN_IN, {"email": "a\x00@example.org", "password": "p"}),
        ("/en/account/sign-in/code", {"code": "9" * 100}),
    ],
)
def test_bad_input_is_never_a_server_error(client, path, data):
    response = post(client, path, data, form_page=SIGN_IN)
    assert response.status_code < 500


def test_unknown_or_forged_links_are_refused(client):
    assert client.get("/en/account/reset/" + "x" * 43).status_code == 410
    assert client.get("/en/account/invitation/" + "x" * 5000).status_code == 410
    assert client.get("/en/account/reset").status_code == 410
    assert client.get("/en/account/invitation").status_code == 410


# Two workers (or two app hosts): apps of their own on one database -----------------------


def _worker(url, **config):
    return create_app(
        {"DATABASE_URL": url, "TESTING": True, "FIXED_NOW": T0, "SEARCH_CHECK_ON_START": False}
        | config
    )


def test_a_second_factor_code_is_accepted_once_whichever_worker_sees_it(empty_url):
    """Each gunicorn worker used to remember used codes in its own memory: the same code
    opened one browser per worker."""
    first, second = _worker(empty_url), _worker(empty_url)
    try:
        with first.app_context():
            account = make_account(db.session(), totp=True)
            db.session().commit()
        code = totp_code(account.totp_secret, T0)
        opened = []
        for worker in (first, second):
            client = worker.test_client()
            sign_in(client, account.email)
            response = post(client, "/en/account/sign-in/code", {"code": code})
            opened.append(response.status_code == 302 and is_signed_in(client))
        assert opened == [True, False]
        # The next code (30 seconds later) is good once more.
        second.config["FIXED_NOW"] = T0 + timedelta(seconds=30)
        client = second.test_client()
        sign_in(client, account.email)
        later = totp_code(account.totp_secret, T0 + timedelta(seconds=30))
        assert post(client, "/en/account/sign-in/code", {"code": later}).status_code == 302
    finally:
        for worker in (first, second):
            worker.extensions["database.engine"].dispose()


def test_limits_are_shared_by_the_workers_of_the_embedded_default(empty_url, tmp_path):
    shared = {"RATELIMIT_STORAGE": "file", "RATELIMIT_FILE": str(tmp_path / "limits.sqlite3")}
    first, second = _worker(empty_url, **shared), _worker(empty_url, **shared)
    try:
        assert_limits_shared(first, second)
        assert b"example.org" not in (tmp_path / "limits.sqlite3").read_bytes()
    finally:
        for worker in (first, second):
            worker.extensions["database.engine"].dispose()


def test_the_embedded_default_keeps_limits_in_a_file_not_in_memory(empty_url, monkeypatch):
    monkeypatch.delenv("RATELIMIT_STORAGE")
    app = create_app({"DATABASE_URL": empty_url})
    try:
        assert app.config["RATELIMIT_STORAGE"] == "file"
    finally:
        app.extensions["database.engine"].dispose()


def test_an_unreachable_limit_store_refuses_sign_in_and_says_so_once(empty_url, caplog):
    down = {"RATELIMIT_STORAGE": "redis", "REDIS_URL": "redis://127.0.0.1:1/0"}
    app = _worker(empty_url, **down)
    try:
        with app.app_context():
            account = make_account(db.session())
            db.session().commit()
        client = app.test_client()
        with caplog.at_level("ERROR", logger="directory.ratelimit"):
            assert sign_in(client, account.email).status_code == 429
            assert sign_in(client, account.email).status_code == 429
            with app.app_context():
                assert ratelimit.allow("report", "203.0.113.9", "5/hour")  # fails open
        assert not is_signed_in(client)
        assert len([r for r in caplog.records if "unavailable" in r.getMessage()]) == 1
    finally:
        app.extensions["database.engine"].dispose()
