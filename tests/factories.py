"""Building listings for tests, with only the fields a test cares about given."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, time

import pyotp
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from directory.accounts import passwords
from directory.extensions import db
from directory.models import (
    Account,
    Line,
    Membership,
    Municipality,
    Neighbourhood,
    Organization,
    OrganizationKind,
    OrganizationText,
    Provenance,
    Role,
    Schedule,
    Service,
    ServiceArea,
    ServiceText,
    TaxonomyTerm,
)


def organization(
    session: Session,
    name: str = "Buurthuis Test",
    kind: OrganizationKind = OrganizationKind.ASSOCIATION,
    line: Line = Line.ZERO,
    texts: dict[str, str] | None = None,
    **fields,
) -> Organization:
    org = Organization(kind=kind, line=line, provenance=Provenance.COORDINATOR, **fields)
    for locale, text_name in (texts or {"nl": name}).items():
        org.texts[locale] = OrganizationText(
            locale=locale,
            name=text_name,
            summary=f"{text_name} summary",
            description=f"{text_name} description",
            is_original=not org.texts,
        )
    session.add(org)
    session.flush()
    return org


def service(
    session: Session,
    owner: Organization,
    name: str = "Koffie in de buurt",
    help_codes: tuple[str, ...] = (),
    neighbourhood: int | None = None,
    weekly: tuple[tuple[str, time, time], ...] = (),
    texts: dict[str, str] | None = None,
    **fields,
) -> Service:
    svc = Service(organization=owner, provenance=Provenance.COORDINATOR, **fields)
    session.add(svc)
    for locale, text_name in (texts or {"nl": name}).items():
        svc.texts[locale] = ServiceText(
            locale=locale,
            name=text_name,
            summary=f"{text_name} summary",
            description=f"{text_name} description",
            is_original=not svc.texts,
        )
    for code in help_codes:
        svc.tag(session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.code == code)).one())
    if neighbourhood is not None:
        place = session.scalars(
            select(Neighbourhood).where(Neighbourhood.number == neighbourhood)
        ).one()
        svc.areas.append(ServiceArea(neighbourhood=place))
    for byday, opens, closes in weekly:
        svc.schedules.append(Schedule(freq="WEEKLY", byday=byday, opens_at=opens, closes_at=closes))
    session.add(svc)
    session.flush()
    return svc


def municipality(session: Session, nis_code: str) -> Municipality:
    return session.scalars(select(Municipality).where(Municipality.nis_code == nis_code)).one()


PASSWORD = "correct horse battery"
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def make_account(
    session: Session,
    role: Role = Role.INFO_POINT_WORKER,
    organizations: Iterable[Organization | uuid.UUID] = (),
    password: str | None = PASSWORD,
    totp: bool | str = False,
    email: str | None = None,
    name: str = "Test Person",
    active: bool = True,
) -> Account:
    """An account that can sign in with `password` (None: invited, not yet accepted). `totp`
    True gives it a fresh second-factor secret (`account.totp_secret`), or pass one."""
    account = Account(
        email=email or f"person-{uuid.uuid4().hex[:10]}@example.org",
        display_name=name,
        role=role,
        password_hash=passwords.hash_password(password) if password else None,
        totp_secret=(pyotp.random_base32() if totp is True else totp) or None,
        is_active=active,
    )
    for organization in organizations:
        organization_id = organization if isinstance(organization, uuid.UUID) else organization.id
        account.memberships.append(Membership(organization_id=organization_id))
    session.add(account)
    session.flush()
    return account


def csrf_token(client: FlaskClient, path: str) -> str:
    """The CSRF token of the form on the page at `path` (as a browser would send it). One
    token serves the whole browser session: a page without a form (a guest's home page)
    falls back to the sign-in page's."""
    page = client.get(path, follow_redirects=True).get_data(as_text=True)
    found = CSRF_FIELD.search(page)
    if found is None:
        page = client.get("/en/account/sign-in", follow_redirects=True).get_data(as_text=True)
        found = CSRF_FIELD.search(page)
    if found is None:
        raise AssertionError(f"no CSRF token on {path}")
    return found.group(1)


def sign_in(
    client: FlaskClient, email: str, password: str = PASSWORD, lang: str = "en"
) -> TestResponse:
    """Sign in through the page, as a person would (the first step only when the account
    has a second factor: then post `totp_code(...)` to /<lang>/account/sign-in/code)."""
    token = csrf_token(client, f"/{lang}/account/sign-in")
    return client.post(
        f"/{lang}/account/sign-in",
        data={"csrf_token": token, "email": email, "password": password},
    )


def totp_code(secret: str, at: datetime | None = None) -> str:
    """The code an authenticator app shows at `at` (pass the app's `FIXED_NOW`), else now."""
    return pyotp.TOTP(secret).at(at or datetime.now(UTC))


def rename_service(app, service_id, name: str) -> None:
    """Give a service a new name in every language, as an edit committed in `app`."""
    with app.app_context():
        session = db.session()
        texts = session.scalars(select(ServiceText).where(ServiceText.service_id == service_id))
        for text in texts:
            text.name = name
        session.commit()
