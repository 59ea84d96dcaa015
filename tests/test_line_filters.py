"""Line filters of the article text (cleaners.boilerplate, cleaners.furniture, cleaners.bylines)
through clean(): what leaves the text and what moves into the record's fields."""
from __future__ import annotations

import pytest

from cleaners import clean

PARA = ("市科技局近日召开全市科技创新工作推进会，总结去年工作成效，部署今年重点任务，"
        "要求各县区围绕产业链部署创新链，加快培育科技型企业，推动创新平台建设提质增效。")
MORE = ("会议指出，过去一年全市技术合同成交额稳步增长，高新技术企业数量再创新高，"
        "科技成果转化体系不断完善，为经济社会高质量发展提供了有力支撑，成效明显。")
LAST = ("会议要求，各单位要压实责任，细化措施，强化督查考核，确保全年目标任务按期完成，"
        "以科技创新引领产业创新，为全市经济发展注入新动能。")


def page(body: str) -> bytes:
    return (f"<html><head><meta charset='utf-8'><title>全市科技创新工作推进会召开_某某市科学技术局</title></head>"
            f"<body><h1>全市科技创新工作推进会召开</h1><div class='content'>{body}</div></body></html>").encode("utf-8")


@pytest.mark.parametrize("cut", ["……", "...", "… ", "...\u3000"])
def test_a_teaser_cut_off_and_a_date_line_end_the_article(cut):
    body = (f"<p>{PARA}</p><p>{MORE}</p><p>{LAST}</p><p>某地科技型企业数量创新高，研发投入持续增长{cut}</p>"
            "<p>2019-09-09 21:38</p><p>另一篇文章的正文内容，讲述别的事情。</p>")
    text = clean(page(body))["text"]
    assert PARA in text and MORE in text
    assert "研发投入持续增长" not in text and "另一篇文章" not in text


def test_a_paragraph_ending_in_an_ellipsis_without_a_date_line_after_it_stays():
    body = f"<p>{PARA}</p><p>{MORE}</p><p>会议强调，要持续加大投入……</p><p>{PARA[:40]}。</p>"
    text = clean(page(body))["text"]
    assert "会议强调，要持续加大投入……" in text


def test_credit_and_label_lines_move_into_the_fields():
    body = f"<p>来源：某某日报</p><p>{PARA}</p><p>{MORE}</p><p>编辑 周一 ｜ 排版 魏二</p>"
    record = clean(page(body))
    assert (record["source"], record["editor"]) == ("某某日报", "周一")
    assert "来源" not in record["text"] and "排版" not in record["text"]
