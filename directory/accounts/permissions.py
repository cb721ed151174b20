"""Who may do what: the one place for the rules every feature asks about people.

- `sign_in_required` and `role_required` guard views; someone not signed in is sent to the
  sign-in page by `sign_in_redirect`, which comes back only to a GET page of this site;
- `can_edit_organization` says whether an account keeps an organisation's listing (its
  members, and coordinators for every organisation); views use
  `editable_organization_or_404` so another organisation's id is "not found".

Referrals have rules of their own (who sent, who receives): `directory.referrals.access`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import Response, abort, redirect, request, url_for

from directory.accounts.sessions import current_account
from directory.models import Account, Role

EDITORS = (Role.ORGANIZATION_MEMBER, Role.COORDINATOR)


def safe_next(value: str | None) -> str | None:
    """`value` if it is a path on this site, else None: a `next` parameter must never send
    someone to another site after signing in."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return None
    if any(ord(character) < 32 or ord(character) == 127 for character in value):
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return None
    return value


def sign_in_redirect() -> Response:
    """To the sign-in page, coming back here afterwards when here is a page to show again
    (a form's POST address is not: it would answer 405 after signing in)."""
    here = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("accounts.sign_in", next=safe_next(here)))


def sign_in_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """The view needs a signed-in account; others go to the sign-in page and come back."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if current_account() is None:
            return sign_in_redirect()
        return view(*args, **kwargs)

    return wrapper


def role_required(*roles: Role) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The view needs a signed-in account with one of `roles`; any other account gets 403."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            account = current_account()
            if account is None:
                return sign_in_redirect()
            if account.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator


def can_edit_organization(account: Account | None, organization_id: uuid.UUID) -> bool:
    """Whether `account` keeps this organisation's listing true: a coordinator every one, an
    organisation member their own organisations, nobody else."""
    if account is None:
        return False
    if account.role is Role.COORDINATOR:
        return True
    return account.role is Role.ORGANIZATION_MEMBER and organization_id in account.organization_ids


def reader_can_edit(organization_id: uuid.UUID) -> bool:
    """`can_edit_organization` for whoever reads this page (templates' "Edit" links)."""
    return can_edit_organization(current_account(), organization_id)


def require_editable(organization_id: uuid.UUID) -> None:
    """Stop with "not found" unless the reader may edit this organisation: whether another
    organisation exists is nothing a member needs to learn."""
    if not can_edit_organization(current_account(), organization_id):
        abort(404)
