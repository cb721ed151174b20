"""Rate limits: how often one person or one address may try something (sign in, send a
referral).

Counts live in Redis when `REDIS_URL` is set, so every gunicorn worker sees the same ones,
and in the process's memory otherwise (one worker, development, tests). Windows move: "5 per
minute" means at most 5 in any 60 seconds, not 5 per clock minute.
"""

from __future__ import annotations

import hashlib
import logging

from flask import Flask, current_app
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

log = logging.getLogger(__name__)

EXTENSION = "ratelimit"


def init_app(app: Flask) -> None:
    if url := app.config.get("REDIS_URL"):
        prefix = app.config.get("RATELIMIT_KEY_PREFIX", "nabij-limits")
        storage = storage_from_string(url, key_prefix=prefix)
    else:
        storage = storage_from_string("memory://")
    app.extensions[EXTENSION] = MovingWindowRateLimiter(storage)


def allow(scope: str, key: str, rule: str) -> bool:
    """Count one attempt at `scope` by `key` (an email, an address, an account id) and say
    whether it stays within `rule` ("5/minute", "20/hour", "1/2 minutes").

    Keys are hashed: an email address never lands in Redis as such. When the storage cannot
    be reached the attempt is allowed (and logged): a Redis outage must not lock everyone
    out; passwords and second factors still hold.
    """
    limiter: MovingWindowRateLimiter = current_app.extensions[EXTENSION]
    digest = hashlib.sha256(key.encode()).hexdigest()
    try:
        return limiter.hit(parse(rule), scope, digest)
    except Exception:  # the storage's connection errors differ per backend
        log.exception("rate limit storage unavailable; allowing %s", scope)
        return True


def reset() -> None:
    """Forget every count of this app's storage (tests)."""
    current_app.extensions[EXTENSION].storage.reset()
