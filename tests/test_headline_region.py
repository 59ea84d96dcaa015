"""The text printed under the headline (cleaners.candidates.headline_region), which replaces a
chosen text that does not reflect the title: it runs through the article's own section
headings and stops where another story or the page's furniture begins."""
from __future__ import annotations

from cleaners import anchor, candidates
from cleaners.blocks import build_blocks
from cleaners.parse import parse_html
from cleaners.prune import prune

PARA = "今年以来，全市科技系统围绕创新驱动发展战略，加快推进科技成果转化，企业研发投入持续增长。"
OTHER = "另据消息，某某县农业农村局近日组织开展秋季农作物病虫害防治培训，各乡镇农技人员参加。"
TITLE = "某市召开科技创新大会"


def region_text(body: str) -> str:
    tree = parse_html(f"<html><body>{body}</body></html>")
    prune(tree)
    blocks = build_blocks(tree.find("body"))
    headline = anchor.headline_block(blocks, TITLE)
    return "\n".join(b.text for b in candidates.headline_region(blocks, headline).blocks)


def test_section_headings_among_the_paragraphs_do_not_end_it():
    text = region_text(f"<h1 class='t'>{TITLE}</h1><div class='c'><p>{PARA}1</p><p>{PARA}2{PARA}</p>"
                       f"<h1 class='s'>一、主要做法</h1><p>{PARA}3</p></div>")
    assert "主要做法" in text and PARA + "3" in text


def test_a_heading_in_another_box_ends_it():
    text = region_text(f"<h1 class='t'>{TITLE}</h1><div class='c'><p>{PARA}1</p><p>{PARA}2{PARA}</p></div>"
                       f"<div class='more'><h2>某县开展病虫害防治培训</h2><p>{OTHER}</p></div>")
    assert PARA + "2" in text and "病虫害" not in text


def test_a_title_written_like_the_headline_ends_it():
    text = region_text(f"<div class='t'>{TITLE}</div><p>{PARA}1</p><p>{PARA}2{PARA}</p>"
                       f"<div class='t'>某县开展病虫害防治培训</div><p>{OTHER}</p>")
    assert PARA + "2" in text and "病虫害" not in text
