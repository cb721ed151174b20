"""Error pages, in the page's language, never a stack trace."""

from __future__ import annotations

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException, InternalServerError, NotFound


def init_app(app: Flask) -> None:
    app.register_error_handler(NotFound, _not_found)
    app.register_error_handler(InternalServerError, _server_error)
    app.register_error_handler(HTTPException, _http_error)


def _not_found(_error: NotFound):
    return render_template("errors/404.html"), 404


def _server_error(_error: InternalServerError):
    return render_template("errors/500.html"), 500


def _http_error(error: HTTPException):
    return render_template("errors/http.html", error=error), error.code or 500
