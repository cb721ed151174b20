"""Rate limits: how often one person or one address may try something (sign in, send a
referral, report an error).

The counts must be the same for every gunicorn worker, or each worker lets through its own
share. Where they live (`RATELIMIT_STORAGE`):
- "redis" (the default when `REDIS_URL` is set): shared by every worker of every app host;
- "file" (the embedded default): a small SQLite file in the instance folder
  (`RATELIMIT_FILE`), shared by every worker of the machine;
- "memory": one process only (tests).

Windows move: "5 per minute" means at most 5 in any 60 seconds, not 5 per clock minute.
When the storage cannot be reached, sign-in and the second factor are refused (fail closed:
guessing must not get easier when Redis is down) and everything else is allowed (a Redis
outage must not stop people reporting an error); either way it is logged, once per process.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
import time
from pathlib import Path

from flask import Flask, current_app
from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from directory import config

log = logging.getLogger(__name__)

EXTENSION = "ratelimit"
LONGEST_WINDOW = 24 * 3600  # no rule of ours counts over more than a day


def init_app(app: Flask) -> None:
    app.config.setdefault("RATELIMIT_STORAGE", "redis" if app.config.get("REDIS_URL") else "file")
    app.config.setdefault("RATELIMIT_FILE", str(config.INSTANCE_DIR / "ratelimits.sqlite3"))
    kind = app.config["RATELIMIT_STORAGE"]
    if kind == "redis":
        prefix = app.config.get("RATELIMIT_KEY_PREFIX", "nabij-limits")
        storage = storage_from_string(app.config["REDIS_URL"], key_prefix=prefix)
        app.extensions[EXTENSION] = _Limits(MovingWindowRateLimiter(storage))
    elif kind == "memory":
        app.extensions[EXTENSION] = _Limits(
            MovingWindowRateLimiter(storage_from_string("memory://"))
        )
    elif kind == "file":
        app.extensions[EXTENSION] = FileWindows(Path(app.config["RATELIMIT_FILE"]))
    else:
        raise ValueError(f"RATELIMIT_STORAGE must be redis, file or memory, not {kind!r}")
    app.extensions[f"{EXTENSION}.warned"] = False


def allow(scope: str, key: str, rule: str, fail_closed: bool = False) -> bool:
    """Count one attempt at `scope` by `key` (an email, an address, an account id) and say
    whether it stays within `rule` ("5/minute", "20/hour", "1/2 minutes").

    Keys are hashed: an email address never lands in the storage as such. `fail_closed`:
    refuse when the storage cannot be reached (sign-in, second factor)."""
    limiter = current_app.extensions[EXTENSION]
    digest = hashlib.sha256(key.encode()).hexdigest()
    try:
        return limiter.hit(parse(rule), scope, digest)
    except Exception as error:  # the storages' connection errors differ
        if not current_app.extensions[f"{EXTENSION}.warned"]:
            current_app.extensions[f"{EXTENSION}.warned"] = True
            log.error(
                "rate limit storage unavailable (%s): sign-in refused, other forms allowed",
                type(error).__name__,
            )
        return not fail_closed


def reset() -> None:
    """Forget every count of this app's storage (tests)."""
    current_app.extensions[EXTENSION].reset()


class _Limits:
    """The `limits` library's moving windows (Redis, memory)."""

    def __init__(self, limiter: MovingWindowRateLimiter) -> None:
        self.limiter = limiter

    def hit(self, item: RateLimitItem, scope: str, digest: str) -> bool:
        return self.limiter.hit(item, scope, digest)

    def reset(self) -> None:
        self.limiter.storage.reset()


class FileWindows:
    """Moving windows in a SQLite file: each attempt is a row, counted and added in one
    write transaction, so workers of the machine take turns and never both let the last
    allowed attempt through."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._hits = 0

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("CREATE TABLE IF NOT EXISTS hit (key TEXT NOT NULL, at REAL)")
            connection.execute("CREATE INDEX IF NOT EXISTS hit_key_at ON hit (key, at)")
            self._local.connection = connection
        return connection

    def hit(self, item: RateLimitItem, scope: str, digest: str) -> bool:
        key, now = f"{scope}/{digest}", time.time()
        connection = self._connection()
        connection.execute("BEGIN IMMEDIATE")
        try:
            connection.execute(
                "DELETE FROM hit WHERE key = ? AND at <= ?", (key, now - item.get_expiry())
            )
            (count,) = connection.execute(
                "SELECT count(*) FROM hit WHERE key = ?", (key,)
            ).fetchone()
            allowed = count < item.amount
            if allowed:
                connection.execute("INSERT INTO hit (key, at) VALUES (?, ?)", (key, now))
            self._hits += 1
            if self._hits % 1000 == 0:  # keys nobody tries again
                connection.execute("DELETE FROM hit WHERE at <= ?", (now - LONGEST_WINDOW,))
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        return allowed

    def reset(self) -> None:
        self._connection().execute("DELETE FROM hit")
