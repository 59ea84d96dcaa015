"""Picking a site's news columns from its home page links, and telling its CMS family, without
any fetching: the rules `govnews sites add` applies before it test-crawls."""
from __future__ import annotations

from crawler.probe.columns import find_columns
from crawler.probe.family import decide, link_signs, page_signs

BASE = "http://kjj.example.gov.cn/"


def picked(html: str, **kw) -> list[tuple[str, str]]:
    return [(c.title, c.url.replace(BASE, "/")) for c in find_columns(html, BASE, **kw)[0]]


def test_news_notice_and_policy_links_are_columns_the_rest_are_not():
    html = ('<ul class="nav"><li><a href="/">首页</a></li><li><a href="/ldxx/">领导信息</a></li>'
            '<li><a href="/jgzn/index.html">机构职能</a></li><li><a href="/gzdt/index.html">工作动态</a></li>'
            '<li><a href="/tzgg/index.html">通 知 公 告</a></li><li><a href="/zcjd/">政策解读</a></li>'
            '<li><a href="/tpxw/">图片新闻</a></li><li><a href="/bsfw/">办事服务</a></li>'
            '<li><a href="/lxwm/">联系我们</a></li><li><a href="/wzdt.html">网站地图</a></li>'
            '<li><a href="https://www.gov.cn/zhengce/">国务院政策文件</a></li>'
            '<li><a href="/search/index.html?q=政策">政策搜索</a></li></ul>')
    assert picked(html) == [("工作动态", "/gzdt/index.html"), ("通知公告", "/tzgg/index.html"), ("政策解读", "/zcjd/")]
    _, skipped = find_columns(html, BASE)
    whys = {s.title: s.why for s in skipped}
    assert whys["国务院政策文件"] == "off-site link" and whys["图片新闻"] == "not news (图片)"


def test_the_latest_news_items_of_the_home_page_are_not_columns():
    items = "".join(f'<li><a href="/gzdt/show-{i}.html">关于{i}号工作动态</a><span>2024-05-0{i}</span></li>'
                    for i in range(1, 5))
    html = f'<a href="/gzdt/">工作动态</a><ul>{items}</ul><a href="/gzdt/">更多</a>'
    assert picked(html) == [("工作动态", "/gzdt/")]


def test_a_link_without_a_name_counts_by_its_slug_and_a_named_one_does_not():
    html = ('<a href="/tzgg/index.html"><img src="/img/tzgg.png"></a><a href="/zcwj/">更多&gt;&gt;</a>'
            '<a href="/kjdt/">科技之窗</a>')
    assert picked(html) == [("tzgg", "/tzgg/index.html"), ("zcwj", "/zcwj/")]


def test_given_words_replace_the_defaults_and_the_slugs():
    html = '<a href="/gzdt/">工作动态</a><a href="/tzgg/">通知公告</a><a href="/xwdt/">更多</a>'
    assert picked(html, words=("通知",), slugs=()) == [("通知公告", "/tzgg/")]


def test_a_section_gives_way_to_its_columns():
    html = ('<a href="/xwzx.htm">新闻中心</a><a href="/xwzx/kjdt.htm">科技动态</a><a href="/xwzx/tzgg.htm">通知公告</a>'
            '<a href="/zcwj.htm">政策文件</a>')
    assert picked(html) == [("科技动态", "/xwzx/kjdt.htm"), ("通知公告", "/xwzx/tzgg.htm"), ("政策文件", "/zcwj.htm")]


def test_family_from_markup_and_links_with_its_evidence():
    trs = decide(page_signs('<script>createPageHTML(3, 0, "index", "html");</script>') +
                 link_signs(["http://a.gov.cn/x/202401/t20240101_1.html"], "in the columns"))
    assert trs.name == "trs"
    assert trs.evidence == ["TRS pager script createPageHTML()",
                            "1 article link shaped like trs in the columns (/x/202401/t20240101_1.html)"]
    tie = decide(page_signs('<meta name="WebId" content="1">') + link_signs(["http://a.gov.cn/info/1/2.htm"]))
    assert tie.name == "generic" and tie.evidence[0] == "signs of several families, none ahead"
    hanweb = decide(page_signs('<meta name="WebId" content="1">') +
                    link_signs(["http://a.gov.cn/col/col1/index.html", "http://a.gov.cn/info/1/2.htm"]))
    assert hanweb.name == "hanweb" and hanweb.scores == {"hanweb": 3, "vsb": 2}
    assert decide(link_signs(["http://a.gov.cn/news/show-1.html"])).evidence == ["no CMS family sign"]
