"""Probing a site before it is registered, and checking a registered one: a small polite
fetcher (:mod:`~crawler.probe.fetch`), the CMS family from a page's evidence
(:mod:`~crawler.probe.family`), the news-bearing columns of a home page's navigation
(:mod:`~crawler.probe.columns`) and the test-crawl of a column (:mod:`~crawler.probe.testcrawl`).

Used by ``govnews sites add`` and ``govnews sites check``; a test-crawl fetches a list page and
one or two articles, so it runs synchronously, without Scrapy.
"""
