"""Link finding per CMS family, on small snippets (no network, no Scrapy)."""
from crawler.cms import article_continuations, links_from_list, url_kind
from crawler.cms import hanweb, trs
from crawler.cms.links import in_column
from crawler.sites import Site, load_registry


def site(host="a.gov.cn", **kw):
    return Site(name="t", start_urls=(f"http://{host}/",), allowed_domains=(host,), **kw)


def test_url_kinds():
    assert url_kind("http://a.gov.cn/x/202110/t20211011_1485252.html") == "article"
    assert url_kind("http://a.gov.cn/x/t19107548.shtml") == "article"
    assert url_kind("http://a.gov.cn/x/202110/t20211011_1485252_3.html") == "part"
    assert url_kind("http://a.gov.cn/art/2020/art_0123456789abcdef0123456789abcdef.html") == "article"
    assert url_kind("http://a.gov.cn/info/1234/5678.htm") == "article"
    assert url_kind("http://a.gov.cn/content/post_9360641.html") == "article"
    assert url_kind("http://a.gov.cn/col/col123/index.html") == "list"
    assert url_kind("http://a.gov.cn/jsearch/search.do?q=x") == "skip"
    assert url_kind("http://a.gov.cn/x/P020230310.docx") == "attachment"


def test_trs_create_page_and_static_pager():
    urls = trs.create_page_urls('<script>createPageHTML(24, 0, "index", "shtml");</script>',
                                "http://a.gov.cn/c/index.shtml")
    assert len(urls) == 24 and urls[1] == "http://a.gov.cn/c/index_1.shtml"
    text = '共24,539条 共1,227页 <a href="javascript:gotoPage(2)">下一页</a>'
    assert len(trs.static_pager_urls(text, "http://a.gov.cn/c/index.html", max_pages=50)) == 50


def test_hanweb_inline_records_and_dataproxy():
    page = ('<script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?'
            'page=1&appid=1&webid=2&path=/&columnid=77&unitid=88&webname=x&permissiontype=0"></a>]]></nextgroup>'
            '<recordset><record><![CDATA[<li><a href="/art/2024/1/2/art_77_1.html">a</a></li>]]></record>'
            '</recordset></datastore></script><script>jpage({perPage: 15, totalRecord: 99})</script>')
    links = links_from_list(page, "http://h.gov.cn/col/col77/index.html", site("h.gov.cn"))
    assert links.articles == ["http://h.gov.cn/art/2024/1/2/art_77_1.html"]
    assert links.hanweb["columnid"] == "77" and links.hanweb_total == 99 and links.hanweb_inline == 1
    url, form = hanweb.dataproxy_request("http://h.gov.cn/col/col77/index.html", links.hanweb, 2, 15)
    assert url.startswith("http://h.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=2&endrecord=46")
    assert form["unitid"] == "88"


def test_generic_list_region_and_pager():
    page = """<html><body><div class="menu"><a href="/">首页</a><a href="/about/">关于</a><a href="/x/">互动</a></div>
    <div class="box"><div><a href="/n/a1.html">新闻一</a><em>2024-03-01</em></div>
    <div><a href="/n/a2.html">新闻二</a><em>2024-03-02</em></div><div><a href="/n/a3.html">新闻三</a><em>2024年3月3日</em></div></div>
    <div class="pages"><a href="/n/list_2.html">下一页</a><a href="/elsewhere/list.html">尾页</a></div></body></html>"""
    links = links_from_list(page, "http://g.gov.cn/n/list.html", site("g.gov.cn"))
    assert links.articles == [f"http://g.gov.cn/n/a{i}.html" for i in (1, 2, 3)]
    assert links.lists == ["http://g.gov.cn/n/list_2.html"]


def test_other_sites_not_followed():
    page = '<a href="http://other.gov.cn/x/t20230101_1.html">x</a><a href="/x/t20230101_2.html">y</a>'
    links = links_from_list(page, "http://a.gov.cn/x/index.html", site())
    assert links.articles == ["http://a.gov.cn/x/t20230101_2.html"]


def test_article_continuations_in_order():
    text = 'createPageHTML(3, 0, "t20230305_1003", "html");'
    assert article_continuations(text, "http://a.gov.cn/x/t20230305_1003.html") == [
        "http://a.gov.cn/x/t20230305_1003_1.html", "http://a.gov.cn/x/t20230305_1003_2.html"]
    assert article_continuations("<p>no pages</p>", "http://a.gov.cn/x/t20230305_1003.html") == []


def test_in_column():
    assert in_column("http://a.cn/x/kjdt/2.htm", "http://a.cn/x/kjdt.htm")
    assert not in_column("http://a.cn/index.htm", "http://a.cn/x/kjdt.htm")


def test_registry_seeds_the_required_sites():
    sites = load_registry()
    hosts = {d for s in sites.values() for d in s.allowed_domains}
    for host in ("kjj.zhangye.gov.cn", "kjj.hebi.gov.cn", "kjj.lanzhou.gov.cn", "kjt.gansu.gov.cn",
                 "kjt.henan.gov.cn", "kjt.gxzf.gov.cn", "www.most.gov.cn"):
        assert host in hosts
    assert all(s.cms in ("trs", "hanweb", "vsb", "generic") for s in sites.values())
