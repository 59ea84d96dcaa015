"""Downloader and spider middlewares, one concern each, in the order a response meets them:

- ``robots``: robots.txt as RFC 9309 reads it (unreachable = disallow all);
- ``retry_after``: waits as ``Retry-After`` asks before a retry of 429/503;
- ``antibot``: 412 answers and Ruishu shells are blocks, reported and dropped;
- ``conditional``: If-None-Match / If-Modified-Since for stored articles, 304 = unchanged;
- ``failures``: every failed download attempt counted by reason;
- ``warc``: every article page, as received, into the crawl's WARC archive (GOVNEWS_WARC).
"""
