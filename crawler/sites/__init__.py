"""The site registry: which sites to crawl and how, kept as data in registry.json."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_REGISTRY = Path(__file__).with_name("registry.json")
CMS_FAMILIES = ("trs", "hanweb", "vsb", "generic")


@dataclass(frozen=True)
class Site:
    name: str
    start_urls: tuple[str, ...]
    allowed_domains: tuple[str, ...]
    cms: str = "generic"
    title: str = ""
    verified: bool = False
    article_pattern: re.Pattern | None = None   # URL regex: this is an article
    list_pattern: re.Pattern | None = None      # URL regex: this is a list page to follow
    selectors: dict = field(default_factory=dict)  # e.g. {"list": "css", "pagination": "css"}

    @classmethod
    def from_dict(cls, data: dict) -> "Site":
        cms = data.get("cms", "generic")
        if cms not in CMS_FAMILIES:
            raise ValueError(f"site {data.get('name')!r}: unknown cms {cms!r} (one of {CMS_FAMILIES})")
        compile_ = lambda key: re.compile(data[key]) if data.get(key) else None
        return cls(name=data["name"], start_urls=tuple(data["start_urls"]),
                   allowed_domains=tuple(data.get("allowed_domains") or
                                         sorted({urlsplit(u).hostname for u in data["start_urls"]})),
                   cms=cms, title=data.get("title", ""), verified=bool(data.get("verified")),
                   article_pattern=compile_("article_pattern"), list_pattern=compile_("list_pattern"),
                   selectors=dict(data.get("selectors") or {}))

    @classmethod
    def for_url(cls, url: str, cms: str = "generic") -> "Site":
        """An unregistered site crawled with the generic rules from one start URL."""
        host = urlsplit(url).hostname or ""
        return cls(name=host, start_urls=(url,), allowed_domains=(host,), cms=cms)


def load_registry(path: str | Path | None = None) -> dict[str, Site]:
    """Read the registry file into ``{name: Site}``."""
    data = json.loads(Path(path or DEFAULT_REGISTRY).read_text("utf-8"))
    sites = [Site.from_dict(d) for d in data["sites"]]
    return {s.name: s for s in sites}
