"""The site registry: which sites to crawl and how, kept as data.

Two files are read together: the shipped registry (``registry.json`` beside this module,
read-only package data, or the file given as ``GOVNEWS_REGISTRY`` / ``--registry``) and the
user's registry (``$GOVNEWS_SITES``, else ``$GOVNEWS_DATA_DIR/sites.json``; see
:mod:`crawler.sites.userfile`), which holds the sites added with ``govnews sites add`` and
the last check of every site, shipped ones included. A user site may not take a shipped
site's name.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from crawler.sites import userfile
from crawler.sites.userfile import RegistryError

DEFAULT_REGISTRY = Path(__file__).with_name("registry.json")
CMS_FAMILIES = ("trs", "hanweb", "vsb", "generic")
__all__ = ["CMS_FAMILIES", "DEFAULT_REGISTRY", "RegistryError", "Site", "load_registry"]


@dataclass(frozen=True)
class Site:
    name: str
    start_urls: tuple[str, ...]
    allowed_domains: tuple[str, ...]
    cms: str = "generic"
    title: str = ""
    verified: str | bool = False   # the date of the last passing check, or False
    broken: str | None = None      # why the last check failed
    source: str = "shipped"        # shipped | user | url (a crawl of one start URL)
    columns: tuple[dict, ...] = ()  # {"title": 通知公告, "url": …} per start URL, when known
    article_pattern: re.Pattern | None = None   # URL regex: this is an article
    list_pattern: re.Pattern | None = None      # URL regex: this is a list page to follow
    selectors: dict = field(default_factory=dict)  # e.g. {"list": "css", "pagination": "css"}

    @classmethod
    def from_dict(cls, data: dict, source: str = "shipped") -> "Site":
        cms = data.get("cms", "generic")
        if cms not in CMS_FAMILIES:
            raise ValueError(f"site {data.get('name')!r}: unknown cms {cms!r} (one of {CMS_FAMILIES})")
        compile_ = lambda key: re.compile(data[key]) if data.get(key) else None
        return cls(name=data["name"], start_urls=tuple(data["start_urls"]),
                   allowed_domains=tuple(data.get("allowed_domains") or
                                         sorted({urlsplit(u).hostname for u in data["start_urls"]})),
                   cms=cms, title=data.get("title", ""), verified=data.get("verified") or False,
                   broken=data.get("broken") or None, source=source,
                   columns=tuple(dict(c) for c in data.get("columns") or ()),
                   article_pattern=compile_("article_pattern"), list_pattern=compile_("list_pattern"),
                   selectors=dict(data.get("selectors") or {}))

    @classmethod
    def for_url(cls, url: str, cms: str = "generic") -> "Site":
        """An unregistered site crawled with the generic rules from one start URL."""
        host = urlsplit(url).hostname or ""
        return cls(name=host, start_urls=(url,), allowed_domains=(host,), cms=cms, source="url")

    def column_titles(self) -> list[str]:
        """A name per start URL: its column title when known, else the URL's path."""
        titles = {c.get("url"): c.get("title") for c in self.columns}
        return [titles.get(u) or urlsplit(u).path or "/" for u in self.start_urls]


def load_registry(path: str | Path | None = None, user: str | Path | None = None,
                  with_user: bool = True) -> dict[str, Site]:
    """``{name: Site}``: the shipped registry (``path``, default ``registry.json``), then the
    user's sites (``user``, default :func:`crawler.sites.userfile.user_registry_path`), with
    each site's last check from the user's registry."""
    data = json.loads(Path(path or DEFAULT_REGISTRY).read_text("utf-8"))
    shipped = [Site.from_dict(d) for d in data["sites"]]
    sites = {s.name: s for s in shipped}
    if not with_user:
        return sites
    user_path = Path(user) if user else userfile.user_registry_path()
    overlay = userfile.read(user_path)
    for entry in overlay["sites"]:
        if entry.get("name") in sites:
            raise RegistryError(f"{user_path}: site name {entry['name']!r} is already a shipped site "
                                f"({Path(path or DEFAULT_REGISTRY)}); rename the user entry")
        try:
            sites[entry["name"]] = Site.from_dict(entry, source="user")
        except (KeyError, TypeError, ValueError, re.error) as exc:
            raise RegistryError(f"{user_path}: bad site entry {entry.get('name')!r}: {exc}") from exc
    for name, state in overlay["checks"].items():
        if name in sites and sites[name].source == "shipped":
            sites[name] = replace(sites[name], verified=state.get("verified") or False,
                                  broken=state.get("broken") or None)
    return sites
