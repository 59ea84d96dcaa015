"""Finding articles, list pages and pagination on government CMSs without per-site code.

Each CMS family has its own module (trs, hanweb, vsb) and ``generic`` finds the list
region of any other site. URL patterns live in ``patterns``. :func:`links_from_list`
combines them for one list page; :func:`article_continuations` finds the further pages
of a multi-page article.
"""
from crawler.cms.links import ListLinks, article_continuations, links_from_list, url_kind

__all__ = ["ListLinks", "article_continuations", "links_from_list", "url_kind"]
