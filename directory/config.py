"""Configuration from the environment, with the embedded default (SQLite, on-disk index)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = Path(os.environ.get("NABIJ_INSTANCE_DIR", PROJECT_ROOT / "instance"))


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one kept in the instance folder across restarts
    (so gunicorn workers and restarts agree on it)."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        # Written aside and linked into place: several gunicorn workers starting together
        # on a new instance folder all get the one key that won, and none reads it half
        # written.
        aside = path.with_name(f".secret_key.{os.getpid()}")
        fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
        try:
            os.link(aside, path)
        except FileExistsError:
            pass  # another worker's key won
        finally:
            aside.unlink()
    return path.read_text().strip()


# Where `scripts/run` serves the app unless BIND says otherwise.
DEFAULT_BIND = "127.0.0.1:8000"


def public_url_from_bind(bind: str) -> str:
    """The address a browser on this machine opens for gunicorn's `--bind` value: the links
    in emails and in `flask accounts invite` lead there when PUBLIC_URL is not set. A
    wildcard host (0.0.0.0, ::) becomes this machine's loopback address; a Unix socket has
    no address of its own (set PUBLIC_URL to the proxy's)."""
    if bind.startswith(("unix:", "fd://")):
        return f"http://{DEFAULT_BIND}"
    if bind.startswith("["):  # [IPv6]:port
        host, _, port = bind[1:].partition("]")
        port = port.removeprefix(":")
        host = "::1" if host in ("", "::") else host
        host = f"[{host}]"
    else:
        host, _, port = bind.partition(":")
        host = "127.0.0.1" if host in ("", "0.0.0.0") else host  # noqa: S104 (a wildcard, read)
    return f"http://{host}:{port or 8000}"


def from_environment() -> dict[str, object]:
    return {
        "SECRET_KEY": _secret_key(),
        "DATABASE_URL": os.environ.get(
            "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'nabij.sqlite3'}"
        ),
        "SEARCH_INDEX_DIR": os.environ.get("SEARCH_INDEX_DIR", str(INSTANCE_DIR / "search-index")),
        "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "translations"),
        "BABEL_DEFAULT_LOCALE": "nl",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Brussels",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        # Behind HTTPS in production: the session cookies are then sent over HTTPS only.
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "") in ("1", "true"),
        # Links in emails are built on this address, never on the request's Host header; by
        # default the address `scripts/run` serves on (BIND).
        "PUBLIC_URL": os.environ.get("PUBLIC_URL")
        or public_url_from_bind(os.environ.get("BIND") or DEFAULT_BIND),
        # Rate limits are shared by every gunicorn worker: in Redis when it is given, else in
        # a file in the instance folder (see directory/ratelimit.py).
        "REDIS_URL": os.environ.get("REDIS_URL"),
        **(
            {"RATELIMIT_STORAGE": os.environ["RATELIMIT_STORAGE"]}
            if os.environ.get("RATELIMIT_STORAGE")
            else {}
        ),
        # How many reverse proxies (TLS terminators) stand before gunicorn: their
        # X-Forwarded-For and -Proto are then trusted, so rate limits see each person's
        # address rather than the proxy's. 0: none (the embedded default).
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", 0)),
        # Searches that found nothing are written together this long after the first of them
        # (see directory/catalogue/gaps.py); 0 writes each at once.
        "ZERO_RESULT_LOG_SECONDS": float(os.environ.get("ZERO_RESULT_LOG_SECONDS", 10)),
        # The index is compared with the database beside the first request of a process (it
        # takes seconds on a large catalogue); "0" compares before answering it (tests).
        "SEARCH_CHECK_IN_BACKGROUND": os.environ.get("SEARCH_CHECK_IN_BACKGROUND", "1") != "0",
        # Search pages kept whole per process for readers without a session, per address,
        # index version and minute (see directory/rendering/search_page.py), 15 to 40 KB
        # each; 0 draws every page.
        "SEARCH_PAGES_KEPT": int(os.environ.get("SEARCH_PAGES_KEPT", 128)),
        "SESSION_IDLE_MINUTES": 30,
        "SESSION_ABSOLUTE_HOURS": 12,
        "SIGN_IN_LIMIT_PER_EMAIL": "5/minute",
        "SIGN_IN_LIMIT_PER_IP": "30/minute",
        "REFERRAL_SUBMIT_LIMIT": "30/hour",  # per account
        # Retention of referrals (see directory/referrals/retention.py).
        "REFERRAL_DELETE_AFTER_DAYS": int(os.environ.get("REFERRAL_DELETE_AFTER_DAYS", 30)),
        # A decided claim keeps the claimant's name and address this long (then only the
        # decision stays).
        "CLAIM_KEEP_DAYS": int(os.environ.get("CLAIM_KEEP_DAYS", 90)),
        # A reader's address on an error report goes when the report is handled, and after
        # this long if it is still open (it was only given for a thank-you).
        "REPORT_EMAIL_KEEP_DAYS": int(os.environ.get("REPORT_EMAIL_KEEP_DAYS", 90)),
        "ZERO_RESULT_KEEP_DAYS": int(os.environ.get("ZERO_RESULT_KEEP_DAYS", 180)),
        "REFERRAL_ANONYMISE_AFTER_DAYS": int(os.environ.get("REFERRAL_ANONYMISE_AFTER_DAYS", 365)),
        # Email: SMTP when a host is given, else .eml files in instance/mail-outbox/.
        "MAIL_SMTP_HOST": os.environ.get("MAIL_SMTP_HOST"),
        "MAIL_SMTP_PORT": int(os.environ.get("MAIL_SMTP_PORT", 587)),
        "MAIL_SMTP_USER": os.environ.get("MAIL_SMTP_USER"),
        "MAIL_SMTP_PASSWORD": os.environ.get("MAIL_SMTP_PASSWORD"),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "Nabij <no-reply@nabij.invalid>"),
        "MAIL_OUTBOX_DIR": os.environ.get("MAIL_OUTBOX_DIR", str(INSTANCE_DIR / "mail-outbox")),
    }
