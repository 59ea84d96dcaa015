"""record["doc"]: the 信息公开 fields of government document pages, in every table layout."""
from __future__ import annotations

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners import clean
from cleaners.documents import _QUICK, _QUICK_LABELS, shows_a_label, table_pairs

BODY = ("<div class='zoom'><p>各县区科技局，各有关单位：</p><p>现将《某某市科技创新券管理办法》印发给你们，"
        "请结合实际认真贯彻执行，确保各项工作落到实处，推动全市科技创新工作高质量发展。</p>"
        "<p>第一条 为加快实施创新驱动发展战略，降低企业创新成本，制定本办法。</p></div>")
TITLE = "某某市科学技术局关于印发《某某市科技创新券管理办法》的通知"
WANT = {"index_no": "11620100MB1234567X/2023-00056", "number": "甘科发〔2023〕12号", "issuer": "某某市科学技术局",
        "written_at": "2023-04-10T00:00:00+08:00"}


def page(table: str, head: str = "") -> bytes:
    return (f"<html><head><meta charset='utf-8'><title>{TITLE}_某某市科学技术局</title>{head}</head><body>"
            f"<div class='nav'><a href='/'>首页</a></div>{table}<h1>{TITLE}</h1>{BODY}</body></html>").encode("utf-8")


LAYOUTS = {
    "label and value in one cell": (
        "<table><tr><td>索引号：11620100MB1234567X/2023-00056</td><td>主题分类：科技、教育</td></tr>"
        "<tr><td>发文机关：某某市科学技术局</td><td>成文日期：2023-04-10</td></tr>"
        "<tr><td>发文字号：甘科发〔2023〕12号</td><td>有效性：有效</td></tr></table>"),
    "label cells padded with spaces, value in the next cell": (
        "<table><tr><th>索  引 号</th><td>11620100MB1234567X/2023-00056</td><th>主题分类</th><td>科技、教育</td></tr>"
        "<tr><th>发文机关</th><td>某某市科学技术局</td><th>成文日期</th><td>2023年04月10日</td></tr>"
        "<tr><th>发文字号</th><td>甘科发［２０２３］12号</td><th>有 效 性</th><td>现行有效</td></tr></table>"),
    "a row of labels over a row of values": (
        "<table><tr><td>索引号</td><td>发文机关</td><td>发文字号</td><td>成文日期</td></tr>"
        "<tr><td>11620100MB1234567X/2023-00056</td><td>某某市科学技术局</td><td>甘科发（2023）12号</td>"
        "<td>2023-04-10</td></tr></table>"),
    "dt and dd": (
        "<dl class='xxgk'><dt>索　引　号：</dt><dd>11620100MB1234567X/2023-00056</dd><dt>发布机构：</dt>"
        "<dd>某某市科学技术局</dd><dt>文　　号：</dt><dd>甘科发【2023】12号</dd><dt>成文日期：</dt><dd>2023/4/10</dd></dl>"),
    "div and span pairs": (
        "<div class='info'><div><span class='label'>索引号：</span><span>11620100MB1234567X/2023-00056</span></div>"
        "<div><span class='label'>发布单位：</span><span>某某市科学技术局</span></div>"
        "<div><span class='label'>发文字号：</span><span>甘科发〔2023〕12号</span></div>"
        "<div><span class='label'>成文时间：</span><span>2023年4月10日</span></div></div>"),
    "labels after an icon, a comment or inline markup": (
        "<table><tr><td><img src='/i/dot.png'>索引号：11620100MB1234567X/2023-00056</td>"
        "<td><!-- 发布机构 -->发文机关：某某市科学技术局</td></tr>"
        "<tr><td><span><b>发文字号</b></span>：甘科发〔2023〕12号</td><td>【 成文日期：2023-04-10 】</td></tr></table>"),
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_four_key_fields_in_every_layout(layout):
    doc = clean(page(LAYOUTS[layout]))["doc"]
    assert {k: doc.get(k) for k in WANT} == WANT
    assert doc["form"] == "通知"


def test_raw_values_kept_and_validity_mapped():
    doc = clean(page(LAYOUTS["label cells padded with spaces, value in the next cell"]))["doc"]
    assert doc["number_raw"] == "甘科发［２０２３］12号"
    assert (doc["validity"], doc["validity_raw"]) == ("valid", "现行有效")
    assert doc["topic"] == "科技、教育"


def test_the_table_scan_reads_labels_after_an_icon_a_comment_or_inline_markup():
    tree = lxml.html.fromstring(LAYOUTS["labels after an icon, a comment or inline markup"])
    assert table_pairs(tree) == {"index_no": "11620100MB1234567X/2023-00056", "issuer": "某某市科学技术局",
                                 "number": "甘科发〔2023〕12号", "written_at": "2023-04-10 】"}


@pytest.mark.parametrize("raw,valid", [("已废止", "repealed"), ("失效", "invalid"), ("有效", "valid"), ("—", "unknown")])
def test_validity_values(raw, valid):
    table = f"<table><tr><td>索引号：1/2023-1</td><td>有效性：{raw}</td></tr></table>"
    assert clean(page(table))["doc"]["validity"] == valid


def test_the_number_line_under_the_headline():
    html = (f"<html><head><meta charset='utf-8'><title>{TITLE}</title></head><body><h1>{TITLE}</h1>"
            f"<div class='zoom'><p>甘科发〔2023〕12号</p>{BODY}</div></body></html>").encode("utf-8")
    doc = clean(html)["doc"]
    assert doc["number"] == "甘科发〔2023〕12号"


def test_dates_subject_words_and_the_publication_date():
    table = ("<table><tr><td>索引号：1/2023-1</td><td>主题词：科技 创新券；企业</td></tr>"
             "<tr><td>发布日期：2023-04-12</td><td>实施日期：2023-05-01</td><td>废止日期：2026-04-30</td></tr></table>")
    record = clean(page(table))
    doc = record["doc"]
    assert doc["subject_words"] == ["科技", "创新券", "企业"]
    assert doc["published_at"] == "2023-04-12T00:00:00+08:00"
    assert doc["effective_at"].startswith("2023-05-01") and doc["expires_at"].startswith("2026-04-30")
    assert "written_at" not in doc


def test_gov_meta_tags():
    head = "<meta name='FileNo' content='甘科发〔2023〕12号'><meta name='IndexNumber' content='1/2023-9'>"
    doc = clean(page("", head=head))["doc"]
    assert doc["number"] == "甘科发〔2023〕12号" and doc["index_no"] == "1/2023-9"


def test_a_news_page_is_no_document():
    html = ("<html><head><meta charset='utf-8'><title>某市召开科技创新大会</title></head><body><h1>某市召开科技创新大会</h1>"
            "<p>发布时间：2023-05-12 来源：某某日报</p><p>3月5日，某市召开科技创新大会，部署全年科技工作，"
            "会议有效推动了各项工作的落实，与会人员围绕主题进行了讨论。</p></body></html>").encode("utf-8")
    assert clean(html)["doc"] == {}


def test_a_number_cited_in_the_first_sentence_is_not_the_documents_own():
    cited = "<p>根据甘科计〔2023〕12号文件精神，现将有关事项通知如下。</p>"
    html = (f"<html><head><meta charset='utf-8'><title>{TITLE}</title></head><body><h1>{TITLE}</h1>"
            f"<div class='zoom'>{cited}{BODY}</div></body></html>").encode("utf-8")
    assert "number" not in (clean(html).get("doc") or {})
    signed = "<p>甘科发〔2023〕15号　　　　签发人：张三</p>"
    html = html.replace(cited.encode("utf-8"), (signed + cited).encode("utf-8"))
    assert clean(html)["doc"]["number"] == "甘科发〔2023〕15号"


_PIECES = st.one_of(
    st.sampled_from(list(_QUICK_LABELS)),
    st.sampled_from(list(_QUICK_LABELS)).flatmap(
        lambda label: st.lists(st.sampled_from(["", " ", "\u3000", "\xa0", "\n ", "x", "号"]), min_size=len(label),
                               max_size=len(label)).map(lambda gaps: "".join(c + g for c, g in zip(label, gaps)))),
    st.sampled_from(["号", "期", "文", "效", "题", "布", " ", "\u3000", "<td>", "引", "索", "日", "\"", "发文", "主题"]),
    st.text(alphabet="索引号文字成日期发机关有效性力状态主题分类词布构废止 \u3000x", max_size=6),
)


@given(st.lists(_PIECES, max_size=12))
@settings(max_examples=400, deadline=None)
def test_shows_a_label_as_the_label_pattern_over_the_whole_page(pieces):
    text = "".join(pieces)
    assert shows_a_label(text) == (_QUICK.search(text) is not None)
