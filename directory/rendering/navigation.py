"""The header's "your work" links: each signed-in person sees where their work waits (the
referral inbox, the coordinators' queues, their organisation), with how many things wait.

Features add their own links (`add_work_links(app, provider)` in their `init_app`); a
provider gets the account and a database session and returns the links that role has. The
header asks once per page (`work_links(account)`), only for signed-in people: a public page pays
nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app, g

from directory.extensions import db
from directory.models import Account

EXTENSION = "rendering.work_links"


@dataclass(frozen=True)
class WorkLink:
    label: str
    url: str
    waiting: int | None = None  # things waiting there (None: not counted)
    order: int = 50  # where it stands in the header, lower first


Provider = Callable[[Account, object], list[WorkLink]]


def add_work_links(app: Flask, provider: Provider) -> None:
    app.extensions.setdefault(EXTENSION, []).append(provider)


def work_links(account: Account | None) -> list[WorkLink]:
    """The signed-in reader's work links, in header order (kept for the request)."""
    if account is None:
        return []
    if "work_links" not in g:
        session = db.session()
        links = [
            link
            for provider in current_app.extensions.get(EXTENSION, [])
            for link in provider(account, session)
        ]
        g.work_links = sorted(links, key=lambda link: link.order)
    return g.work_links


def init_app(app: Flask) -> None:
    app.extensions.setdefault(EXTENSION, [])
    app.jinja_env.globals.update(work_links=work_links)
