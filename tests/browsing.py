"""What the browser tests share: serving an app on loopback, signing in through the page, and
collecting axe-core's serious and critical findings page after page."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from werkzeug.serving import make_server

from directory.extensions import db
from tests.factories import PASSWORD


@contextmanager
def serve(app: Flask) -> Iterator[str]:
    """`app` served on a free loopback port while the block runs; yields its base URL."""
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{http.server_port}"
    finally:
        http.shutdown()
        with app.app_context():
            db.session.remove()
        app.extensions["database.engine"].dispose()


def sign_in(page, base: str, lang: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/{lang}/account/sign-in")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


class AxeCheck:
    """Runs axe-core on pages (every <details> opened first, so it sees every control) and
    keeps what it finds serious or critical, to assert on once at the end."""

    def __init__(self, base: str) -> None:
        self.base, self.axe, self.problems = base, Axe(), []

    def __call__(self, page, path: str) -> None:
        page.goto(self.base + path if path.startswith("/") else path)
        self.current(page, path)

    def current(self, page, label: str) -> None:
        """The page as it is now (a form sent back with its errors, say)."""
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        for violation in self.axe.run(page).response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [node["target"] for node in violation["nodes"]][:3]
                self.problems.append(
                    f"{label}: {violation['id']} ({violation['impact']}) {targets}"
                )

    def report(self) -> str:
        return "\n".join(self.problems)
