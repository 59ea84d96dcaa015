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


def _thread(replies: int, prefix: str = "〓 某某论坛 留言板 发布时间") -> bytes:
    posts = [("楼主", "我的第一篇帖子：" + "".join(WORDS) + "今天的天气也很好，我们一起出去走了走。")]
    posts += [(f"网友{n}", f"回复{n}：" + WORDS[n % 4]) for n in range(1, replies + 1)]
    body = "".join(f"<p>{text}</p><p>{prefix} 2005/05/{17 + k:02d} 22:11:42 by {who} 〓</p>"
                   for k, (who, text) in enumerate(posts))
    return ("<html><head><meta charset='utf-8'><title>帖子</title></head><body>"
            f"<div class='thread'>{body}</div></body></html>").encode("utf-8")


def test_a_forum_thread_keeps_the_first_post_when_each_post_has_the_same_signature_line():
    rec = clean(_thread(replies=3))
    assert "我的第一篇帖子" in rec["text"]
    assert "回复1" not in rec["text"] and "回复3" not in rec["text"]


def test_two_lines_with_the_same_words_before_a_time_are_not_a_thread():
    rec = clean(_thread(replies=1, prefix="申报截止时间"))
    assert "回复1" in rec["text"]
