"""The pages of the review web app, all GET: sites, one site's runs, articles, one article,
and the raw page as fetched (for the sandboxed frame of the article page)."""
from __future__ import annotations

import json

from flask import Blueprint, Response, abort, current_app, render_template, request

from crawler.health import site_flags
from govnews.jsonvalues import jsonable
from govnews.overview import site_rows
from govnews.textdiff import version_changes
from govnews.web.params import STATUSES, article_filters
from govnews.web.policy import RAW_POLICY
from govnews.web.rawpage import raw_page
from storage.queries import copies_of, find_article, page_of_articles
from storage.runs import RunStore

views = Blueprint("views", __name__)
LIST_FIELDS = ("url", "title", "site", "published_at", "status", "text_length", "warnings", "extraction",
               "first_seen")
NOT_IN_TABLE = ("_id", "text", "history")


def _ctx():
    return current_app.extensions["govnews"]


def _articles():
    return _ctx().database["articles"]


@views.get("/")
def sites():
    return render_template("sites.html", rows=site_rows(_ctx().registry, _ctx().database))


@views.get("/site")
def site():
    name = request.args.get("name") or abort(404)
    runs = RunStore(_ctx().database).recent(name, 50)
    registered = _ctx().registry.get(name)
    if not runs and registered is None:
        abort(404)
    return render_template("site.html", name=name, site=registered, runs=runs, flags=site_flags(runs))


@views.get("/articles")
def articles():
    params = article_filters(request.args)
    per_page = _ctx().per_page
    docs, total = page_of_articles(_articles(), params.filter, params.page, per_page, LIST_FIELDS)
    known = sorted(set(_ctx().registry) | {s for s in _articles().distinct("site") if s})
    pages = max((total + per_page - 1) // per_page, 1)
    return render_template("articles.html", docs=docs, total=total, params=params, sites=known,
                           statuses=STATUSES, pages=pages, args=request.args.to_dict())


def _shown(value) -> str:
    value = jsonable(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, indent=1)
    return "" if value is None else str(value)


@views.get("/article")
def article():
    doc = find_article(_articles(), request.args.get("url") or "")
    if doc is None:
        abort(404)
    mode = "text" if request.args.get("raw") == "text" else "frame"
    raw = raw_page(doc, _ctx().warc_dir)
    fields = [(name, _shown(doc[name])) for name in doc if name not in NOT_IN_TABLE]
    raw_text = raw.text((doc.get("encoding") or {}).get("used")) if raw is not None and mode == "text" else None
    return render_template("article.html", doc=doc, fields=fields, raw=raw, mode=mode, raw_text=raw_text,
                           steps=version_changes(doc), copies=copies_of(_articles(), doc))


@views.get("/raw")
def raw():
    doc = find_article(_articles(), request.args.get("url") or "")
    page = raw_page(doc, _ctx().warc_dir) if doc is not None else None
    if page is None:
        abort(404)
    response = Response(page.text((doc.get("encoding") or {}).get("used")), mimetype="text/html")
    response.headers["Content-Security-Policy"] = RAW_POLICY
    return response


@views.app_errorhandler(404)
def not_found(error):
    return render_template("error.html", message="Not found: no such site, article or raw page."), 404
