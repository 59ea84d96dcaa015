"""What the spider hands to the pipelines: the raw pages of one article, not a Response."""
import scrapy


class ArticlePages(scrapy.Item):
    """One article as fetched: its page(s) as raw bytes, cleaned by CleanPipeline.

    ``pages`` is a list of ``{"url", "body", "headers"}``; more than one for an article
    split over ``t..._1.html``, ``t..._2.html`` … pages, merged into one record.
    """
    url = scrapy.Field()            # final URL of the first page (after redirects)
    request_url = scrapy.Field()    # URL found on the list page
    site = scrapy.Field()           # registry name
    pages = scrapy.Field()
    etag = scrapy.Field()
    last_modified = scrapy.Field()
    fetched_at = scrapy.Field()     # ISO 8601 UTC
    warc = scrapy.Field()           # where the raw pages are archived: {file, offset, id, date, parts?}
