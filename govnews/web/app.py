"""The Flask application: what it reads (the store's database, the site registry, the WARC
folder), its template filters, and the headers every answer carries."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import Flask

from cleaners.record import low_confidence
from govnews.overview import when
from govnews.web.policy import PAGE_POLICY, http_url
from govnews.web.views import views


@dataclass(frozen=True)
class Context:
    database: object              # pymongo Database holding articles and runs
    registry: dict                # {name: crawler.sites.Site}
    warc_dir: Path | None = None
    per_page: int = 50            # articles a list page shows


def percent(value) -> str:
    """A share as a percentage ("" for none).

    >>> percent(0.755), percent(None)
    ('76%', '')
    """
    return f"{value:.0%}" if isinstance(value, (int, float)) else ""


def create_app(database, registry: dict, *, warc_dir: Path | None = None, per_page: int = 50) -> Flask:
    """The review app over ``database`` (articles, runs) for the sites of ``registry``."""
    app = Flask(__name__)
    app.extensions["govnews"] = Context(database, registry, warc_dir, per_page)
    app.jinja_env.autoescape = True
    app.jinja_env.filters.update(when=when, percent=percent, http_url=http_url)
    app.jinja_env.tests["low_confidence"] = low_confidence
    app.register_blueprint(views)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", PAGE_POLICY)   # /raw sets its own
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        return response
    return app
