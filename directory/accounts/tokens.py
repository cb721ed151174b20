"""Single-use links: an invitation, a password reset, an answer to one referral, the
confirmation that a listing is still right.

The link carries a random token; the database keeps only its SHA-256. A token works once,
for one purpose, until it expires.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from directory import clock
from directory.accounts.sessions import hash_token
from directory.models import Account, SingleUseToken, TokenPurpose

INVITATION_LIFETIME = timedelta(days=7)
RESET_LIFETIME = timedelta(hours=1)
MAX_RAW_LENGTH = 100  # ours are 43 characters; anything much longer is not one of ours


def issue(
    session: Session,
    purpose: TokenPurpose,
    *,
    account: Account | None = None,
    referral_id: uuid.UUID | None = None,
    organization_id: uuid.UUID | None = None,
    lifetime: timedelta,
) -> str:
    """Store a new token and return the raw value to put in a link (shown nowhere else)."""
    raw = secrets.token_urlsafe(32)
    now = clock.utc_now()
    session.add(
        SingleUseToken(
            purpose=purpose,
            token_hash=hash_token(raw),
            account_id=account.id if account is not None else None,
            referral_id=referral_id,
            organization_id=organization_id,
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    session.flush()
    return raw


def peek(session: Session, purpose: TokenPurpose, raw: str) -> SingleUseToken | None:
    """The token if it would redeem now, without using it (to show the form it opens)."""
    if not raw or len(raw) > MAX_RAW_LENGTH:
        return None
    token = session.scalars(
        select(SingleUseToken).where(SingleUseToken.token_hash == hash_token(raw))
    ).one_or_none()
    if token is None or token.purpose != purpose or token.used_at is not None:
        return None
    if clock.utc_now() >= clock.as_utc(token.expires_at):
        return None
    return token


def redeem(session: Session, purpose: TokenPurpose, raw: str) -> SingleUseToken | None:
    """Use the token: None if unknown, used, expired or for another purpose. The caller
    commits; two requests racing with one token cannot both win (the update checks
    `used_at` is still empty)."""
    token = peek(session, purpose, raw)
    if token is None:
        return None
    now = clock.utc_now()
    claimed = session.execute(
        update(SingleUseToken)
        .where(SingleUseToken.id == token.id, SingleUseToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        return None
    set_committed_value(token, "used_at", now)
    return token


def void(session: Session, account: Account, purpose: TokenPurpose) -> None:
    """Use up every open token of `account` for `purpose` (an older reset link must not work
    once the password has been set)."""
    session.execute(
        update(SingleUseToken)
        .where(
            SingleUseToken.account_id == account.id,
            SingleUseToken.purpose == purpose,
            SingleUseToken.used_at.is_(None),
        )
        .values(used_at=clock.utc_now())
        .execution_options(synchronize_session=False)
    )
