"""The one spider: crawls a registered site (``-a site=NAME``) or any URL (``-a start_url=URL``).

List pages are followed (CMS pagination, Hanweb dataproxy); articles are fetched with all
their pages and handed on as :class:`~crawler.items.ArticlePages`. List, index and search
pages are never yielded as items.
"""
from __future__ import annotations

from datetime import datetime, timezone

import scrapy
from scrapy.http import FormRequest, TextResponse

from crawler.cms import article_continuations, links_from_list, url_kind
from crawler.cms import hanweb
from crawler.items import ArticlePages
from crawler.middlewares.failures import failure_cause
from crawler.middlewares.robots import UNREACHABLE_WHY
from crawler.middlewares.warc import META_KEY as WARC_POSITION
from crawler.sites import Site, load_registry
from storage.warc import parse_warc_date

KEEP_HEADERS = ("Content-Type", "ETag", "Last-Modified", "Content-Language")


class SiteSpider(scrapy.Spider):
    name = "site"

    def __init__(self, site: str | None = None, start_url: str | None = None, cms: str = "generic",
                 registry: str | None = None, **kwargs):
        super().__init__(**kwargs)
        if bool(site) == bool(start_url):
            raise ValueError("give exactly one of -a site=NAME or -a start_url=URL")
        self._site_name, self._start_url, self._cms, self._registry = site, start_url, cms, registry
        self.site: Site | None = None

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        registry = spider._registry or settings.get("GOVNEWS_REGISTRY") or None
        if spider._site_name:
            sites = load_registry(registry)
            if spider._site_name not in sites:
                raise ValueError(f"unknown site {spider._site_name!r}; registered: {', '.join(sites)}")
            spider.site = sites[spider._site_name]
        else:
            spider.site = Site.for_url(spider._start_url, spider._cms)
        spider.allowed_domains = list(spider.site.allowed_domains)
        spider.max_list_pages = settings.getint("GOVNEWS_MAX_PAGES_PER_LIST")
        spider.max_article_pages = settings.getint("GOVNEWS_MAX_ARTICLE_PAGES")
        spider.list_pages_seen = 0
        return spider

    # -- lists ------------------------------------------------------------------------
    async def start(self):
        for url in self.site.start_urls:
            if url_kind(url, self.site) == "article":
                yield self._article_request(url)
            else:
                yield self._list_request(url)

    def _list_request(self, url: str):
        return scrapy.Request(url, callback=self.parse_list, errback=self.list_failed, meta={"govnews_kind": "list"})

    def list_failed(self, failure):
        """A list page that could not be fetched; the first one's cause is kept in
        ``govnews/spider/list_error`` for the crawl summary."""
        stats = self.crawler.stats
        stats.inc_value("govnews/spider/list_failed")
        if stats.get_value("govnews/spider/list_error") is None:
            stats.set_value("govnews/spider/list_error", failure_cause(
                failure.value, failure.request.url, stats.get_value(UNREACHABLE_WHY)))

    def parse_list(self, response):
        if not isinstance(response, TextResponse):
            return
        self.list_pages_seen += 1
        self.crawler.stats.inc_value("govnews/spider/list_pages")
        links = links_from_list(response.text, response.url, self.site, self.max_list_pages)
        self.crawler.stats.inc_value("govnews/spider/article_links", len(links.articles))
        for url in links.articles:
            yield self._article_request(url)
        if self.list_pages_seen < self.max_list_pages:
            for url in links.lists:
                yield self._list_request(url)
        if links.hanweb:
            params = {"params": links.hanweb, "per_page": links.hanweb_per_page, "page_url": response.url}
            total = links.hanweb_total
            start = links.hanweb_inline + 1
            if total is None or start <= total:
                yield self._dataproxy_request(params, start)

    def _dataproxy_request(self, ctx: dict, start: int):
        url, form = hanweb.dataproxy_request(ctx["page_url"], ctx["params"], start, ctx["per_page"])
        return FormRequest(url, formdata=form, callback=self.parse_dataproxy, errback=self.list_failed,
                           meta={"govnews_kind": "list", "govnews_hanweb": ctx, "govnews_start": start})

    def parse_dataproxy(self, response):
        self.crawler.stats.inc_value("govnews/spider/list_pages")
        text = response.text
        links = hanweb.record_links(text, response.url)
        self.crawler.stats.inc_value("govnews/spider/article_links", len(links))
        for url in links:
            if url_kind(url, self.site) in ("article", None):
                yield self._article_request(url)
        total = hanweb.total_records(text)
        nxt = response.meta["govnews_start"] + hanweb.GROUP
        if links and total is not None and nxt <= total and self.list_pages_seen < self.max_list_pages:
            self.list_pages_seen += 1
            yield self._dataproxy_request(response.meta["govnews_hanweb"], nxt)

    # -- articles -----------------------------------------------------------------------
    def _article_request(self, url: str):
        return scrapy.Request(url, callback=self.parse_article, meta={"govnews_kind": "article"})

    def parse_article(self, response):
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("govnews/spider/not_text")
            return
        self.crawler.stats.inc_value("govnews/spider/article_pages")
        archived = response.meta.get(WARC_POSITION)
        item = ArticlePages(
            url=response.url,
            request_url=(response.meta.get("redirect_urls") or [response.url])[0],
            site=self.site.name,
            pages=[self._page(response)],
            etag=_header(response, "ETag"),
            last_modified=_header(response, "Last-Modified"),
            fetched_at=_fetched_at(archived),
            warc=dict(archived) if archived else None,
        )
        rest = article_continuations(response.text, response.url)[: self.max_article_pages - 1]
        yield from self._next_part(item, rest)

    def _next_part(self, item, rest: list[str]):
        if not rest:
            yield item
            return
        meta = {"govnews_kind": "article_part", "govnews_item": item, "govnews_rest": rest[1:]}
        yield scrapy.Request(rest[0], callback=self.parse_article_part, errback=self.part_failed,
                             meta=meta, dont_filter=True)

    def parse_article_part(self, response):
        item = response.meta["govnews_item"]
        if isinstance(response, TextResponse):
            item["pages"].append(self._page(response))
            self.crawler.stats.inc_value("govnews/spider/article_parts")
            if item.get("warc") and response.meta.get(WARC_POSITION):
                item["warc"].setdefault("parts", []).append(response.meta[WARC_POSITION])
        yield from self._next_part(item, response.meta["govnews_rest"])

    def part_failed(self, failure):
        meta = failure.request.meta
        self.logger.warning("article page %s failed (%s); keeping the pages fetched so far",
                            failure.request.url, failure.value)
        self.crawler.stats.inc_value("govnews/spider/article_part_failed")
        yield from self._next_part(meta["govnews_item"], meta["govnews_rest"])

    @staticmethod
    def _page(response) -> dict:
        headers = {k: v for k in KEEP_HEADERS if (v := _header(response, k)) is not None}
        return {"url": response.url, "body": response.body, "headers": headers}


def _fetched_at(archived: dict | None) -> str:
    """When the answer came: the date of its WARC record when archived, else now."""
    when = parse_warc_date(archived["date"]) if archived else datetime.now(timezone.utc)
    return when.isoformat(timespec="seconds")


def _header(response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value is not None else None
