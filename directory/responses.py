"""What a response may be kept as: pages for one person, forms with a token, and anything a
client's data is on are never stored by a browser or a proxy."""

from __future__ import annotations

from flask import Blueprint, Response


def no_store(response: Response, no_referrer: bool = False) -> Response:
    """Mark `response` as not to be kept; `no_referrer`: the next page is not told its
    address either (single-use links and referral ids are in some of them)."""
    response.headers["Cache-Control"] = "no-store"
    if no_referrer:
        response.headers["Referrer-Policy"] = "no-referrer"
    return response


def never_stored(blueprint: Blueprint, no_referrer: bool = False) -> None:
    """Every response of `blueprint` is `no_store`."""
    blueprint.after_request(lambda response: no_store(response, no_referrer))
