"""Sending email: through SMTP when `MAIL_SMTP_HOST` is set, else into a folder of `.eml`
files (`MAIL_OUTBOX_DIR`, default `instance/mail-outbox/`) that a developer can read.

Messages about referrals carry no personal data: the subject and body say that something
happened and link to a page behind sign-in (or to a single-use link), never who or why.
Messages are handed over after the database commit, so a rolled-back change sends nothing:
a request sends its queue when it answers without error, a command when its work is done
(`in_a_command`). Links in messages are built on PUBLIC_URL (`public_link`).
"""

from __future__ import annotations

import smtplib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import Flask, Response, current_app, g, has_request_context, url_for


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    body: str


def init_app(app: Flask) -> None:
    @app.after_request
    def _send_queued(response: Response) -> Response:
        # Handlers commit before they return; an error response sends nothing.
        if response.status_code < 400:
            flush()
        else:
            discard()
        return response


def send_after_commit(message: Message) -> None:
    """Queue a message for the end of this request or command (see `flush`)."""
    g.setdefault("outgoing_mail", []).append(message)


@contextmanager
def in_a_command() -> Iterator[None]:
    """For a command (`flask ...`, cron): what it queues is sent when the block ends without
    error, so put its transaction inside (`with mail.in_a_command(), db.transaction()`:
    the transaction commits first); an error drops the queue. Inside, links are built on
    PUBLIC_URL, as in a request."""
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        try:
            yield
        except BaseException:
            discard()
            raise
        flush()


def public_link(endpoint: str, **values: object) -> str:
    """An absolute link for an email, on PUBLIC_URL: never on the request's Host header,
    which a client chooses. Works in a command too."""
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    if has_request_context():
        return base + url_for(endpoint, **values)
    with current_app.test_request_context("/"):
        return base + url_for(endpoint, **values)


def flush() -> None:
    """Send what this request queued; called once its transaction has committed."""
    for message in g.pop("outgoing_mail", []):
        deliver(message)


def discard() -> None:
    g.pop("outgoing_mail", None)


def deliver(message: Message) -> None:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_FROM"]
    email["To"] = message.to
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = make_msgid(domain="nabij")
    email.set_content(message.body)

    host = current_app.config.get("MAIL_SMTP_HOST")
    if host:
        port = current_app.config["MAIL_SMTP_PORT"]
        with smtplib.SMTP(host, port, timeout=20) as smtp:
            if current_app.config.get("MAIL_SMTP_STARTTLS", True):
                smtp.starttls()
            if user := current_app.config.get("MAIL_SMTP_USER"):
                smtp.login(user, current_app.config.get("MAIL_SMTP_PASSWORD", ""))
            smtp.send_message(email)
        return
    folder = Path(current_app.config["MAIL_OUTBOX_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{uuid.uuid4().hex}.eml").write_bytes(email.as_bytes())


def outbox(folder: Path) -> list[EmailMessage]:
    """The messages in an outbox folder, oldest first (for developers and tests)."""
    files = sorted(folder.glob("*.eml"), key=lambda path: path.stat().st_mtime_ns)
    return [message_from_bytes(path.read_bytes(), policy=policy.default) for path in files]
