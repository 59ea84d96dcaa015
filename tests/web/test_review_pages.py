"""The review web app over real HTTP: every view, its filters, what a stored article shows,
and that stored text from hostile sites reaches the browser only escaped, and raw pages only
into a sandbox. (The same pages in a real browser: test_browser.py.)"""
from __future__ import annotations

import re
import urllib.error
import urllib.request
from html.parser import HTMLParser
from urllib.parse import quote, urlencode

import pytest

from govnews.web import create_app
from tests.support.webserve import serving


def get(url: str, method: str = "GET") -> tuple[int, dict, str]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode("utf-8", "replace")


class Elements(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def article_url(review, url: str, **extra) -> str:
    return f"{review.base}/article?{urlencode({'url': url, **extra})}"


def views(review) -> list[str]:
    return [f"{review.base}/", f"{review.base}/articles", f"{review.base}/articles?lowconf=1",
            f"{review.base}/site?name=lanzhou-kjj", f"{review.base}/site?name={quote('hostile<b>site</b>')}",
            article_url(review, review.hostile), article_url(review, review.hostile, raw="text"),
            article_url(review, review.hostile_warc), article_url(review, review.changed)]


def test_every_view_answers_and_nothing_can_be_written(review):
    for url in views(review):
        status, headers, _ = get(url)
        assert status == 200, url
        for method in ("POST", "PUT", "DELETE", "PATCH"):
            assert get(url, method)[0] == 405, (method, url)
    methods = {m for rule in review.app.url_map.iter_rules() for m in rule.methods}
    assert methods <= {"GET", "HEAD", "OPTIONS"}


def test_hostile_text_is_escaped_everywhere(review):
    for url in views(review):
        _, headers, html = get(url)
        low = html.lower()
        assert "<script" not in low and "<svg" not in low and "<img" not in low, url
        tags = Elements(html).tags
        assert not [t for t, attrs in tags if any(a.startswith("on") for a in attrs)], url
        links = [attrs.get("href") or attrs.get("src") or "" for _, attrs in tags]
        assert not [link for link in links if re.match(r"\s*javascript:", link, re.I)], url
        policy = headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "script-src" not in policy, url
    _, _, html = get(article_url(review, review.hostile))
    assert "&lt;script&gt;document.documentElement.setAttribute" in html      # shown, as text
    assert "javascript:alert(&#39;att-link&#39;)" in html                     # an attachment URL, not a link


def test_raw_pages_are_framed_only_in_a_sandbox(review):
    for url in (review.hostile, review.hostile_warc):
        _, _, html = get(article_url(review, url))
        frames = [attrs for tag, attrs in Elements(html).tags if tag == "iframe"]
        assert len(frames) == 1 and frames[0]["sandbox"] == "", frames
        status, headers, raw = get(review.base + frames[0]["src"].replace("&amp;", "&"))
        assert status == 200 and "hostile raw page" in raw
        policy = headers["Content-Security-Policy"]
        assert policy.startswith("sandbox;") and "default-src 'none'" in policy and "script-src" not in policy
        assert headers["X-Content-Type-Options"] == "nosniff"
    _, _, html = get(article_url(review, review.hostile, raw="text"))
    assert "&lt;h1 id=&#39;rawh&#39;&gt;hostile raw page&lt;/h1&gt;" in html and "<iframe" not in html


def test_one_article_every_field_versions_copies_and_raw_page(review):
    _, _, html = get(article_url(review, review.changed))
    assert '<div class="removed">会议强调' in html and '<div class="added">会议指出' in html
    assert '<div class="added">新增的一段：补充说明会议的后续安排。</div>' in html
    for name in ("content_hash", "encoding", "extraction", "first_seen", "cleaner_version"):
        assert f"<th>{name}</th>" in html, name
    _, _, html = get(article_url(review, review.copy_of))
    copies = html.split("<h2>Republished copies</h2>")[1].split("<h2>")[0]
    assert "http://www.example.gov.cn/zt/copy.html" in copies      # its republished copies: the same text,
    assert re.search(r"zt/edited\.html.*· copy, similarity 0\.\d+</span>", copies)    # and with a note added
    assert "similarity 1.0</span>" in copies
    _, _, html = get(article_url(review, review.hostile_warc))
    assert "crawl-00001.warc.gz@" in html                             # raw page read from the WARC record
    assert get(article_url(review, "http://nowhere.gov.cn/x.html"))[0] == 404
    assert get(f"{review.base}/raw?url={quote('http://nowhere.gov.cn/x.html')}")[0] == 404


def titles(html: str) -> list[str]:
    return re.findall(r'<a href="/article\?url=[^"]+">([^<]*)</a>', html)


def test_article_filters(review):
    def listed(**params):
        return titles(get(f"{review.base}/articles?{urlencode(params)}")[2])

    assert len(listed(site="hebi-kjj")) == 8 and len(listed(site="lanzhou-kjj")) == 9
    low = listed(lowconf=1)
    assert len(low) == 2 and all("&lt;script&gt;" in t for t in low)         # only the doubtful (hostile) ones
    assert listed(q="专题会议（3）") == ["鹤壁市科技局召开科技创新专题会议（3）"]
    dated = listed(site="hebi-kjj", since="2024-03-01", until="2024-05-13")
    assert dated == [f"鹤壁市科技局召开科技创新专题会议（{n}）" for n in (5, 4, 3)]
    _, _, html = get(f"{review.base}/articles?since=2024-3-1&status=nonsense")
    assert "since: not a day (YYYY-MM-DD): 2024-3-1" in html and "status: one of" in html


def test_article_list_pages_newest_first(review):
    app = create_app(review.db, {}, per_page=5)
    with serving(app) as base:
        pages = [titles(get(f"{base}/articles?site=hebi-kjj&page={n}")[2]) for n in (1, 2)]
        assert "page 1 of 2" in get(f"{base}/articles?site=hebi-kjj")[2]
    assert [len(p) for p in pages] == [5, 3]
    numbers = [int(re.search(r"（(\d)）", t).group(1)) for t in pages[0] + pages[1]]
    assert numbers == [8, 7, 6, 5, 4, 3, 2, 1]


def test_sites_view_shows_counts_runs_and_health(review):
    _, _, html = get(f"{review.base}/")
    rows = {re.search(r'/site\?name=([^"]+)"', row).group(1): row
            for row in html.split("<tr")[1:] if "/site?name=" in row}
    assert '<a href="/articles?site=hebi-kjj">8</a>' in rows["hebi-kjj"] and 'class="ok"' in rows["hebi-kjj"]
    flagged = rows["lanzhou-kjj"]
    assert "date_coverage_drop" in flagged and "0% of records have a publish date (usually 100%)" in flagged
    assert "text_length_halved" in flagged
    _, _, html = get(f"{review.base}/site?name=lanzhou-kjj")
    assert html.count('<tr class="flagged">') == 1 and html.count("<tr class=\"\">") == 2


@pytest.mark.parametrize("path", ["/site?name=nowhere", "/article", "/raw"])
def test_unknown_things_are_not_found(review, path):
    assert get(review.base + path)[0] == 404
