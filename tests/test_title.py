"""cleaners.titles.find_title: the headline, never the site name or a CMS-truncated copy."""
from __future__ import annotations

import lxml.html
import pytest

from cleaners.fields import meta_map
from cleaners.survey import survey
from cleaners.titles import find_title, site_from_title


def title_of(html: str) -> str | None:
    tree = lxml.html.fromstring(f"<html>{html}</html>")
    return find_title(tree, meta_map(tree)).text


def test_meta_title_cut_at_a_quote_gives_way_to_the_headline():
    html = ('<head><title>某市启动"科技副总"选派计划_某某网</title>'
            '<meta property="og:title" content="某市启动"></head>'
            '<body><h1>某市启动"科技副总"选派计划</h1></body>')
    assert title_of(html) == '某市启动"科技副总"选派计划'


def test_meta_title_with_an_ellipsis_gives_way_to_the_whole_headline():
    html = ('<head><title>某某网</title><meta name="ArticleTitle" content="关于开展2024年度科技型中小企业…">'
            '</head><body><h1>关于开展2024年度科技型中小企业评价工作的通知</h1></body>')
    assert title_of(html) == "关于开展2024年度科技型中小企业评价工作的通知"


def test_a_whole_meta_title_is_kept():
    html = ('<head><title>通知_某某市科学技术局</title><meta name="ArticleTitle" content="关于开展申报工作的通知">'
            '</head><body><h1>关于开展申报工作的通知（附件）</h1></body>')
    assert title_of(html) == "关于开展申报工作的通知"


def test_headline_without_the_site_suffix_that_another_element_repeats():
    html = ('<head><title>某市科技创新大会召开！-某某网</title></head><body>'
            '<div class="title">某市科技创新大会召开！-某某网</div><h1>某市科技创新大会召开！</h1></body>')
    assert title_of(html) == "某市科技创新大会召开！"


@pytest.mark.parametrize("page_title,expected", [
    ("蔡小雅_某某百科", "蔡小雅"),                                   # a short headline stays first
    ("某市举办科技成果对接会 - 科技动态 - 某某市科学技术局", "某市举办科技成果对接会"),
    ("某某网 - 某市举办2024年科技成果对接会暨项目签约仪式", "某市举办2024年科技成果对接会暨项目签约仪式"),
])
def test_headline_part_of_the_page_title(page_title, expected):
    html = f"<head><title>{page_title}</title></head><body><div class='nav'><h2>导航</h2></div><p>正文</p></body>"
    assert title_of(html) == expected


def test_site_name_meta_is_never_the_title():
    html = ('<head><title>公告_某某百科</title><meta name="SiteName" content="公告"></head>'
            '<body><p>正文</p></body>')
    assert title_of(html) == "某某百科"


@pytest.mark.parametrize("page_title,expected", [
    ("Joel on Software - 给计算机系学生的建议", "给计算机系学生的建议"),   # the part that says more, in CJK characters
    ("艺术史研究<世纪在线中国艺术网", "艺术史研究"),
])
def test_headline_part_weighs_chinese_characters_and_splits_angle_brackets(page_title, expected):
    assert title_of(f"<head><title>{page_title}</title></head><body><p>正文</p></body>") == expected


def test_a_greeting_is_no_title():
    assert title_of("<head><title>谢谢您访问〖关注中国中心〗</title></head><body><p>正文</p></body>") is None


def test_a_line_above_the_text_confirms_the_headline_part_of_the_title():
    from cleaners import clean
    para = "本法规定了监察机关的职责、监察范围和管辖、监察权限、监察程序、反腐败国际合作等内容，自公布之日起施行。"
    html = (f"<html><head><meta charset='utf-8'><title>中华人民共和国监察法-纪检</title></head><body>"
            f"<div class='nav'><a href='/'>首页</a></div><p>中华人民共和国监察法</p><p>{para}</p><p>{para}</p>"
            f"</body></html>")
    record = clean(html.encode("utf-8"))
    assert record["title"] == "中华人民共和国监察法"
    assert not record["text"].startswith("中华人民共和国监察法\n")


def test_an_unconfirmed_title_gives_way_to_a_title_element_above_the_text():
    from cleaners import clean
    para = "看过电影的人可能会记得徒手抓子弹的剧情。那么在现实中，徒手抓子弹可不可以？首先介绍几个物理概念。"
    html = (f"<html><head><meta charset='utf-8'><title>科普中国-辟谣文章</title></head><body>"
            f"<div class='rumor-title'>徒手抓子弹真的存在吗？</div><p>{para}</p><p>{para}</p></body></html>")
    assert clean(html.encode("utf-8"))["title"] == "徒手抓子弹真的存在吗？"


@pytest.mark.parametrize("head, expected", [
    ("<title>全市科技工作会议召开_工作动态_鹤壁市科学技术局</title>", "鹤壁市科学技术局"),
    ("<title>全市科技工作会议召开-鹤壁科技</title>", "鹤壁科技"),
    ("<title></title>", None),
    ("", None),
])
def test_site_name_from_the_surveyed_title_elements_is_the_one_a_walk_finds(head, expected):
    tree = lxml.html.fromstring(f"<html><head>{head}</head><body><svg><title>图标</title></svg><p>正文</p></body></html>")
    titles = survey(tree).tags["title"]
    assert site_from_title(tree, "全市科技工作会议召开", titles) == site_from_title(tree, "全市科技工作会议召开") == expected
