"""Password hashing (scrypt, through Werkzeug) and the rules a new password follows."""

from __future__ import annotations

from functools import cache

from werkzeug.security import check_password_hash, generate_password_hash

from directory.models import Account

MIN_LENGTH = 12
MAX_LENGTH = 200  # hashing a megabyte of "password" is work we need not offer


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


@cache
def _dummy_hash() -> str:
    return hash_password("not a real password, only here to spend the same time")


def check(account: Account | None, password: str) -> bool:
    """Whether `password` is this account's. Without an account (unknown email, invitation
    not yet accepted) a dummy hash is checked, so the answer takes as long either way."""
    stored = account.password_hash if account is not None else None
    if stored is None:
        check_password_hash(_dummy_hash(), password)
        return False
    return check_password_hash(stored, password)
