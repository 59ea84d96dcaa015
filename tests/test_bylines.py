"""cleaners/bylines.py and how the cleaner fills author/editor: names only, never junk."""
from __future__ import annotations

import json

import pytest

from cleaners import bylines, clean


@pytest.mark.parametrize("value,expected", [
    ("王小明", "王小明"),
    ("王小明、李四", "王小明 李四"),
    ("王小明 李四 阅读(1660) 评论(5)", "王小明 李四"),
    ("petersmith 阅读(12)", "petersmith"),
    ("放飞&心情", "放飞&心情"),
    ("阿卜杜勒·卡迪尔", "阿卜杜勒·卡迪尔"),
    ("刘一帆_NF1234", "刘一帆"),
    ("周二 PN054", "周二"),
    ("赵五 出自[某某出版社]", "赵五"),
    ("钱六 人气： 5380 次", "钱六"),
    ("孙七 摄", "孙七"),
    ("本报记者 王小明 李四", "王小明 李四"),
    ("记者王小明", "王小明"),
    # not names
    ("您认为这项政策的最大亮点是什么？", None),
    ("https://www.facebook.com/somepaper", None),
    ('size="20"', None),
    ("name@example.com", None),
    ("NF041", None),
    ("", None),
    ("   ", None),
])
def test_person_names(value, expected):
    assert bylines.person_names(value) == expected


@pytest.mark.parametrize("line,expected", [
    ("某某市融媒体中心记者 王小明", "王小明"),
    ("某某日报 记者 王小明 李四", "王小明 李四"),
    ("记者 王小明 通讯员 李四", "王小明 李四"),
    ("（记者 王小明）", "王小明"),
    ("（本台特约评论员 王小明）", "王小明"),
    ("某某商报记者王小明/文", "王小明"),
    ("记者王小明／某区报导", "王小明"),
    ("文/王小明", "王小明"),
    ("【文/某某网专栏作者 王小明】", "王小明"),
    ("（王小明 上海报道）", "王小明"),
    ("（王小明／台中报导）", "王小明"),
    # not credits
    ("记者从市科技局获悉，今年全市共有120家企业通过认定。", None),
    ("王小明 李四", None),                # bare names need brackets at a paragraph's end
    ("（完）", None),
])
def test_credit_line(line, expected):
    assert bylines.credit_line(line) == expected


@pytest.mark.parametrize("text,expected", [
    ("会议要求各单位抓好落实。（记者 王小明）", "王小明"),
    ("会议要求各单位抓好落实。（王小明 刘五）", "王小明 刘五"),
    ("会议要求各单位抓好落实。”（王小明 北京报道）", "王小明"),
    ("（欧阳小明）", "欧阳小明"),
    # bracketed words that are not people
    ("会议要求各单位抓好落实。（完）", None),
    ("会议要求各单位抓好落实。（全文完）", None),
    ("会议要求各单位抓好落实。（科技局）", None),
    ("会议要求各单位抓好落实。（高新区）", None),      # the unit that sent the item, not a person
    ("会议要求各单位抓好落实。（金融办 江北区）", None),
    ("会议要求各单位抓好落实。（新闻中心 综合）", None),
    ("预算为300（万元）", None),
])
def test_trailing_credit(text, expected):
    assert bylines.trailing_credit(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("新华社北京3月5日电（记者 王小明、李四）3月5日上午…", "王小明 李四"),
    ("本报讯（记者 王小明 通讯员 李四）近日，", "王小明 李四"),
    ("据新华社某地电（记者 王小明）记者近日从", "王小明"),
    ("某某商报记者王小明/文 受访者供图 “每天……", "王小明"),
    ("市民来电（张先生）反映路灯不亮。", None),
])
def test_dateline_author(text, expected):
    assert bylines.dateline_author(text) == expected


def _page(body: str, head: str = "") -> bytes:
    return (f"<html><head><meta charset='utf-8'><title>标题_某某市科学技术局</title>{head}</head><body>"
            f"<div class='nav'><a href='/'>首页</a> <a href='/kjdt/'>科技动态</a></div>"
            f"<h1>某某市召开科技创新工作会议</h1><div class='article-content'>{body}</div>"
            f"<div class='footer'>版权所有 某某市科学技术局</div></body></html>").encode("utf-8")


PARAS = "".join(f"<p>第{i}段：会议总结了过去一年全市科技创新工作，部署了今年的重点任务，要求各单位抓好落实。</p>"
                for i in range(1, 5))


def test_interview_question_after_jizhe_stays_in_the_text_and_is_no_author():
    question = "记者：您认为这项政策对中小企业的最大帮助是什么？"
    rec = clean(_page(f"<p>{question}</p><p>答：最大的帮助在于降低研发成本。</p>{PARAS}"))
    assert rec["author"] is None
    assert question in rec["text"]


def test_trailing_credit_fills_author_and_stays_in_the_text():
    rec = clean(_page(PARAS + "<p>会议要求各单位抓好落实。（记者 王小明 通讯员 李四）</p>"))
    assert rec["author"] == "王小明 李四"
    assert "会议要求各单位抓好落实。" in rec["text"]


def test_editor_line_under_a_correction_widget_is_read():
    body = PARAS + "<p>【纠错】</p><div class='share'>【纠错】 责任编辑： 刘五</div>"
    rec = clean(_page(body))
    assert rec["editor"] == "刘五"
    assert "刘五" not in rec["text"]


def test_site_names_in_author_meta_are_not_authors():
    for head in ('<meta name="author" content="某某网">', '<meta property="article:author" '
                 'content="https://www.facebook.com/somepaper">', '<meta name="author" content="chinanews">'):
        assert clean(_page(PARAS, head))["author"] is None, head
    assert clean(_page(PARAS, '<meta name="author" content="王小明">'))["author"] == "王小明"


def test_jsonld_person_is_the_author_and_an_organisation_is_not():
    ld = {"@context": "https://schema.org", "@type": "NewsArticle",
          "author": {"@type": "Person", "name": "記者王小明／某區報導"},
          "publisher": {"@type": "Organization", "name": "某某新闻网"}}
    head = f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>'
    assert clean(_page(PARAS, head))["author"] == "王小明"
    ld["author"] = {"@type": "Organization", "name": "某某新闻网"}
    head = f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>'
    assert clean(_page(PARAS, head))["author"] is None


def test_markup_residue_is_neither_author_nor_source():
    body = '<p>作者： size="20" 来源： size="20" 发布日期： 2023-02-21</p>' + PARAS
    rec = clean(_page(body))
    assert rec["author"] is None and rec["source"] is None


@pytest.mark.parametrize("value,expected", [
    ("来源：某某日报 原创稿", "某某日报"),
    ("某某网-《某某日报》2024-05-20 03:15", "某某网-《某某日报》"),
    ("某某网 北京 举报", "某某网 北京"),
    ("某某财经网(北京)", "某某财经网(北京)"),
    ("（某某日报）", "某某日报"),
    ("某某日报)", "某某日报"),
])
def test_source_values_are_tidied(value, expected):
    from cleaners.fields import tidy_value
    assert tidy_value(value) == expected



@pytest.mark.parametrize("line,field,expected", [
    ("（某某网编辑 刘五）", "editor", "刘五"),
    ("本版编辑:petersmith", "editor", "petersmith"),
    ("编辑 刘五 校对 李二", "editor", "刘五"),
    ("本文来源：某某政府网", "source", "某某政府网"),
    ("(责编:周一、焦二)", "editor", "周一 焦二"),
    ("（责任编辑： HN666）", "editor", None),      # a credit line with only a staff code: out, no name
])
def test_editor_and_source_credit_lines(line, field, expected):
    from cleaners.boilerplate import parse_field_line
    found, pure = parse_field_line(line)
    assert pure and found.get(field) == expected


@pytest.mark.parametrize("line", ["pdf下载 word下载", "发布于：北京市", "IP属地：广东", "【打印】 【关闭】"])
def test_page_widgets_are_boilerplate(line):
    from cleaners.boilerplate import is_boilerplate
    assert is_boilerplate(line)


@pytest.mark.parametrize("line", ["企业可在平台下载申报书，并于3月31日前提交。", "会议发布于北京市科技大会期间的成果。"])
def test_sentences_mentioning_download_or_publish_stay(line):
    from cleaners.boilerplate import is_boilerplate
    assert not is_boilerplate(line)


@pytest.mark.parametrize("line,expected", [
    ("编辑 刘五 ｜ 排版 魏二", {"editor": "刘五"}),
    ("编辑|刘五", {"editor": "刘五"}),
    ("作者︱春春", {"author": "春春"}),
    ("执笔/王小明、李四", {"author": "王小明 李四"}),
    ("某某支部供稿 摄影/张三 编辑/李四", {"editor": "李四"}),
    ("采写：某报见习记者 林五", {"author": "林五"}),
    ("监 制：高明", {}),
    # not credit lines
    ("编辑 锁定 讨论", None),
    ("编辑部收到了很多来信", None),
    ("作者认为，这是好事。", None),
    ("来源：某某日报 作者：王小明", None),      # other labels: parse_field_line reads it
])
def test_credits_line(line, expected):
    assert bylines.credits_line(line) == expected


@pytest.mark.parametrize("value", ["网络整理", "佚名", "admin", "未知"])
def test_placeholders_are_not_authors(value):
    assert bylines.person_names(value) is None


def test_source_names_ending_in_report_keep_it():
    from cleaners.fields import tidy_value
    assert tidy_value("某某经济报道") == "某某经济报道"
    assert tidy_value("某某日报 报道") == "某某日报"
    assert tidy_value("本站原创") == "本站"
