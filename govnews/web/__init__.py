"""The read-only review web page of ``govnews serve``: Flask with Jinja2 templates, no build
step, GET routes only.

- :mod:`govnews.web.app`: :func:`create_app` and the security headers every answer carries;
- :mod:`govnews.web.views`: the pages — sites, one site's runs, articles, one article, and
  the raw page as fetched (served only into a sandboxed frame);
- :mod:`govnews.web.params`: reading a page's filters from the query string;
- :mod:`govnews.web.rawpage`: finding the page as fetched from a stored record.

Everything shown comes from the store, which holds text from any site: templates escape
every value (autoescape, no ``|safe``), links go only to http(s) URLs, and the pages carry
a Content-Security-Policy that allows no script at all.
"""
from govnews.web.app import create_app

__all__ = ["create_app"]
