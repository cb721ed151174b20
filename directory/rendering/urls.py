"""Building URLs cheaply: every page links to the same few places, and building a URL takes
longer than printing it."""

from __future__ import annotations

from urllib.parse import quote_plus

from flask import current_app, has_request_context, request, url_for

from directory.i18n import current_language

URL_SAFE = "!$'()*,/:;?@"  # what werkzeug.urls leaves unencoded in a query string
URLS_KEPT = 4096
EXTENSION = "kept urls"


def query_pair(name: str, value: str) -> str:
    """One name=value of a query string, encoded as Werkzeug's `url_for` would."""
    return f"{quote_plus(name, safe=URL_SAFE)}={quote_plus(value, safe=URL_SAFE)}"


def kept_url_for(endpoint: str, **values) -> str:
    """`url_for`, remembering what it built (the style sheet, home, sign in, the search
    form). Only relative URLs of full endpoint names, built from plain values, are kept, per
    app, language and script root (what else goes into them). Templates call it as
    `url_for`."""
    if endpoint.startswith(".") or not has_request_context():
        return url_for(endpoint, **values)
    if any(name.startswith("_") for name in values):  # _external, _anchor, ...
        return url_for(endpoint, **values)
    key = (endpoint, request.script_root, current_language(), *sorted(values.items()))
    kept: dict[tuple, str] = current_app.extensions[EXTENSION]
    try:
        url = kept.get(key)
    except TypeError:  # a list of values: built each time
        return url_for(endpoint, **values)
    if url is None:
        url = url_for(endpoint, **values)
        if len(kept) >= URLS_KEPT:
            kept.clear()
        kept[key] = url
    return url
