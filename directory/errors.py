"""Error pages, in the page's language, never a stack trace.

A server error may come from a broken database session (a failed flush leaves it needing a
rollback): the session is rolled back before the page is drawn, and if the page still cannot
be drawn (the database is gone), a bare page in the reader's language is sent instead of
gunicorn's English "Internal Server Error".
"""

from __future__ import annotations

import logging

from flask import Flask, Response, render_template
from flask_babel import gettext as _
from markupsafe import escape
from werkzeug.exceptions import HTTPException, InternalServerError, NotFound

from directory.extensions import db
from directory.i18n import current_language, ui_languages

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    app.register_error_handler(NotFound, _not_found)
    app.register_error_handler(InternalServerError, _server_error)
    app.register_error_handler(HTTPException, _http_error)


def _not_found(_error: NotFound):
    return render_template("errors/404.html"), 404


def _server_error(_error: InternalServerError):
    try:
        db.session.rollback()
    except Exception:  # the connection itself may be gone
        log.warning("could not roll back the session of a failed request")
    try:
        return render_template("errors/500.html"), 500
    except Exception:
        log.warning("the error page could not be drawn; sending the bare one")
        return _bare_error_page()


def _bare_error_page() -> Response:
    title = escape(_("Something went wrong"))
    text = escape(_("This is our fault, not yours. Please try again in a moment."))
    lang = current_language()
    direction = next((ui.direction for ui in ui_languages() if ui.code == lang), "ltr")
    html = (
        f'<!doctype html><html lang="{escape(lang)}" dir="{direction}"><meta charset="utf-8">'
        f"<title>{title}</title><h1>{title}</h1><p>{text}</p></html>"
    )
    return Response(html, 500, content_type="text/html; charset=utf-8")


def _http_error(error: HTTPException):
    return render_template("errors/http.html", error=error), error.code or 500
