"""`/healthz`: a liveness check for load balancers (and the benchmark's trivial endpoint)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    @app.get("/healthz")
    def healthz():
        return (
            "ok\n",
            200,
            {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"},
        )
