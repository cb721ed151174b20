"""Who is there: sessions held on the server and the cookie that names one (the view
decorators that ask for an account are in `directory.accounts.permissions`).

The cookie carries a random token; the database keeps only its SHA-256, so a leaked copy of
the database signs nobody in. Because the session lives on the server, signing out,
deactivating an account or changing its password ends its sessions at once.

A session is one of three kinds:
- an account's, once signed in (`current_account()` is that account);
- an account's still waiting for the second factor (`current_account()` is None until the
  code is given);
- a guest's, made from a single-use referral link: no account, `referral_id` set; it may
  read and answer that one referral and nothing else.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import timedelta

from flask import Flask, Response, current_app, g, request
from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from directory import clock
from directory.extensions import db
from directory.models import Account, AccountSession
from directory.responses import no_store

COOKIE_NAME = "nabij_session"
LAST_SEEN_EVERY = timedelta(minutes=1)  # write last_seen_at at most this often


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def init_app(app: Flask) -> None:
    app.before_request(_load)
    app.after_request(_write_cookie)
    app.context_processor(lambda: {"current_account": current_account})


def current_session() -> AccountSession | None:
    """This request's live session, of any kind (see the module's docstring)."""
    return g.get("account_session")


def current_account() -> Account | None:
    """The signed-in account: None for guests, guest sessions and sessions still waiting for
    the second factor. Ended, idle, too old and deactivated ones never get this far."""
    live = current_session()
    if live is None or live.account is None or live.awaiting_second_factor:
        return None
    return live.account


def begin(
    account: Account | None = None,
    referral_id: uuid.UUID | None = None,
    *,
    awaiting_second_factor: bool = False,
) -> str:
    """Start a new session for this browser (ending the one it had: a session id is never
    reused across a sign-in) and return its raw token. The cookie is set when the response
    leaves; the caller commits."""
    end()
    raw = secrets.token_urlsafe(32)
    now = clock.utc_now()
    new = AccountSession(
        token_hash=hash_token(raw),
        account=account,
        referral_id=referral_id,
        created_at=now,
        last_seen_at=now,
        awaiting_second_factor=awaiting_second_factor,
    )
    db.session().add(new)
    db.session().flush()
    g.account_session = new
    g.new_session_token = raw
    return raw


def end() -> None:
    """End this browser's session (sign-out); the cookie is removed when the response leaves.
    The caller commits."""
    live = current_session()
    if live is not None:
        live.ended_at = clock.utc_now()
    g.account_session = None
    g.pop("new_session_token", None)
    g.clear_session_cookie = True


def end_all(session: Session, account: Account) -> int:
    """End every session of `account` (deactivation, new password); returns how many."""
    result = session.execute(
        update(AccountSession)
        .where(AccountSession.account_id == account.id, AccountSession.ended_at.is_(None))
        .values(ended_at=clock.utc_now())
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount


def is_live(candidate: AccountSession) -> bool:
    """Not ended, not idle too long, not too old, and its account (if any) still active."""
    if candidate.ended_at is not None:
        return False
    if candidate.account is not None and not candidate.account.is_active:
        return False
    now = clock.utc_now()
    config = current_app.config
    idle = timedelta(minutes=config["SESSION_IDLE_MINUTES"])
    absolute = timedelta(hours=config["SESSION_ABSOLUTE_HOURS"])
    return (
        now - clock.as_utc(candidate.last_seen_at) <= idle
        and now - clock.as_utc(candidate.created_at) <= absolute
    )


def _load() -> None:
    raw = request.cookies.get(COOKIE_NAME)
    if not raw or request.endpoint == "static":
        return
    g.had_session_cookie = True
    session = db.session()
    found = session.scalars(
        select(AccountSession)
        .options(joinedload(AccountSession.account))
        .where(AccountSession.token_hash == hash_token(raw))
    ).one_or_none()
    # Any page loads the session, read-only pages too: their transaction started as a
    # reader, so the read ends before a write, which then waits its turn (see database).
    if found is None or not is_live(found):
        if found is not None and found.ended_at is None:
            session.commit()
            found.ended_at = clock.utc_now()
            session.commit()
        g.clear_session_cookie = True
        return
    now = clock.utc_now()
    if now - clock.as_utc(found.last_seen_at) >= LAST_SEEN_EVERY:
        session.commit()
        found.last_seen_at = now
        session.commit()
    g.account_session = found


def _write_cookie(response: Response) -> Response:
    config = current_app.config
    if token := g.pop("new_session_token", None):
        response.set_cookie(
            COOKIE_NAME,
            token,
            httponly=True,
            samesite="Lax",
            secure=bool(config.get("SESSION_COOKIE_SECURE")),
            path="/",
        )
    elif g.get("clear_session_cookie"):
        response.delete_cookie(
            COOKIE_NAME,
            httponly=True,
            samesite="Lax",
            secure=bool(config.get("SESSION_COOKIE_SECURE")),
            path="/",
        )
    if g.get("had_session_cookie") or "Set-Cookie" in response.headers:
        # A page made for someone signed in must not be kept by a browser or a proxy.
        no_store(response)
        response.vary.add("Cookie")
    return response
