"""Pages that show several stories: only the first (the page's own) is the article."""
from __future__ import annotations

from cleaners import clean

POST = "<p>{title}第{n}段：{words}这是《{title}》的第{n}段。</p>"
WORDS = ["今天去了很远的地方，看到了很多有意思的东西，也认识了几个新朋友，心情很好。",
         "理发店的师傅听不懂我的话，头发被剪得很短，回家以后换了一身衣服，感觉也不错。",
         "十多年前来的时候没有中文报纸也没有网络，只能听广播，现在方便多了，大家都很高兴。",
         "晚上和朋友一起做了饭，聊了很多以前的事情，又约好下个月一起去海边走走看看。"]


def _blog(posts: list[tuple[str, str]]) -> bytes:
    parts = []
    for title, when in posts:
        parts.append(f"<p>{title} {when}</p>" if parts else "")
        k = len(parts)
        parts.extend(POST.format(title=title, n=n, words=WORDS[(k + n) % 4] + WORDS[(k + n + 1) % 4])
                     for n in range(3))
    return ("<html><head><meta charset='utf-8'><title>某某的博客</title></head><body>"
            "<div class='header'><a href='/'>博客首页</a></div>"
            f"<div class='posts'>{''.join(parts)}</div></body></html>").encode("utf-8")


def test_a_blog_page_with_several_posts_keeps_the_first():
    rec = clean(_blog([("昨天去金矿玩", "2005-03-21 01:20:44"), ("长发剪了", "2005-03-18 01:58:01"),
                       ("周末回来了", "2005-03-15 16:47:37")]))
    assert "昨天去金矿玩第2段" in rec["text"]
    assert "长发剪了" not in rec["text"] and "周末回来了" not in rec["text"]


def test_an_agenda_with_times_is_not_cut():
    agenda = "".join(f"<p>第{n}项议程 2023-05-12 0{n}:30</p><p>由相关部门负责同志介绍本项工作的进展情况和下一步安排。</p>"
                     for n in range(1, 5))
    html = ("<html><head><meta charset='utf-8'><title>会议议程_某某市科学技术局</title></head><body>"
            f"<h1>会议议程</h1><div class='content'>{''.join(POST.format(title='会议', n=n, words=WORDS[n]) for n in range(3))}{agenda}</div></body></html>")
    rec = clean(html.encode("utf-8"))
    assert "第4项议程" in rec["text"]


def test_one_dated_line_is_not_a_feed():
    rec = clean(_blog([("昨天去金矿玩", "2005-03-21 01:20:44"), ("长发剪了", "2005-03-18 01:58:01")]))
    assert "长发剪了第2段" in rec["text"]
