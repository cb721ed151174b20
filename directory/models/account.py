"""People who sign in, the organisations they act for, their server-side sessions and the
single-use links sent to them.

Nobody signs up: a coordinator invites. An info-point worker acts for the info point (an
organisation of the catalogue) they belong to; an organisation member for one or more
organisations; a coordinator for the whole map, and sees referrals only as anonymous counts.
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.models.base import Base, UUIDPrimaryKey, enum_column, utcnow


class Role(enum.StrEnum):
    INFO_POINT_WORKER = "info_point_worker"
    ORGANIZATION_MEMBER = "organization_member"
    COORDINATOR = "coordinator"


class Account(UUIDPrimaryKey, Base):
    __tablename__ = "account"

    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    # None until the invitation is accepted and a password chosen.
    password_hash: Mapped[str | None]
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    # The time step of the last second-factor code accepted: a code is good once.
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    is_active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str] = mapped_column(String(12), default="nl")  # for the emails we send
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sign_in_at: Mapped[datetime | None]

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="account", cascade="all, delete-orphan"
    )

    @property
    def organization_ids(self) -> frozenset[uuid.UUID]:
        """The organisations (info points included) this person acts for."""
        return frozenset(membership.organization_id for membership in self.memberships)

    @property
    def can_sign_in(self) -> bool:
        return self.is_active and self.password_hash is not None


class Membership(Base):
    """An account acting for an organisation: an info point for a worker, a receiving
    organisation for a member."""

    __tablename__ = "membership"

    account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), primary_key=True
    )
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    # A trusted member publishes edits directly; others propose them for moderation.
    is_trusted: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    account: Mapped[Account] = relationship(back_populates="memberships")
    organization: Mapped[Organization] = relationship()  # noqa: F821


class AccountSession(UUIDPrimaryKey, Base):
    """A signed-in browser, held on the server so that signing out or deactivating the
    account ends it at once. The cookie carries a random token; only its hash is stored.

    A guest session (no account) is what a single-use referral link turns into: it may read
    and answer that one referral, nothing else.
    """

    __tablename__ = "account_session"

    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    referral_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("referral.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Password given, second factor still to come: the session may only finish signing in.
    awaiting_second_factor: Mapped[bool] = mapped_column(default=False)
    ended_at: Mapped[datetime | None]

    account: Mapped[Account | None] = relationship()


class TokenPurpose(enum.StrEnum):
    INVITATION = "invitation"
    PASSWORD_RESET = "password_reset"  # noqa: S105 (a purpose, not a password)
    REFERRAL_ANSWER = "referral_answer"  # an organisation without accounts answers one referral
    LISTING_CONFIRMATION = "listing_confirmation"  # "is this still right?" in one click


class SingleUseToken(UUIDPrimaryKey, Base):
    """A link sent by email that works once and expires. Only the token's hash is stored."""

    __tablename__ = "single_use_token"

    purpose: Mapped[TokenPurpose] = mapped_column(enum_column(TokenPurpose, "purpose"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    referral_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("referral.id", ondelete="CASCADE"), index=True
    )
    organization_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
