"""Failure classes seen on pages of sites never used in development, each on a small page
written for it: several stories on one page, no body in the saved page, video players,
encyclopedia pages, government pages with little body, titles, roles as editors, and site
furniture in the text and fields. Plus the confidence every record carries."""
from __future__ import annotations

import pytest

from cleaners import CleanOptions, clean

PARA = ("今年以来，全市科技系统围绕创新驱动发展战略，加快推进科技成果转化，企业研发投入持续增长，"
        "高新技术企业数量再创新高，为经济高质量发展提供了有力支撑。")
PARA2 = ("会议要求，各县区、各部门要进一步强化企业创新主体地位，完善科技金融服务体系，"
         "推动更多创新资源向企业集聚，确保全年各项目标任务圆满完成。")
OTHER = ("另据消息，某某县农业农村局近日组织开展秋季农作物病虫害防治培训，来自各乡镇的农技人员参加培训，"
         "专家就病虫害识别、绿色防控技术等内容进行了讲解。")


def page(body: str, title: str = "某市召开科技创新大会", head: str = "") -> bytes:
    return (f"<html><head><meta charset='utf-8'><title>{title}_某某市科学技术局</title>{head}</head>"
            f"<body>{body}</body></html>").encode("utf-8")


def lines(rec) -> list[str]:
    return rec["text"].split("\n")


# --- 1. several stories on one page -------------------------------------------------------

def _story(h: str, text: str, cls: str = "art-title", date: str = "2023-05-12 09:30") -> str:
    return (f"<div class='story'><h1 class='{cls}'>{h}</h1><div class='info'>{date} 来源：某某日报</div>"
            f"<div class='content'><p>{text}</p><p>{PARA2}</p></div></div>")


def test_a_next_story_feed_below_the_article_is_not_taken():
    own = "某市召开科技创新大会部署全年工作。" + PARA
    body = _story("某市召开科技创新大会", own) + _story("某县开展秋季病虫害防治培训", OTHER * 3)
    rec = clean(page(f"<div class='feed'>{body}</div>"))
    assert rec["status"] == "ok"
    assert "某市召开科技创新大会部署全年工作" in rec["text"]
    assert "病虫害" not in rec["text"]


def test_a_next_story_with_another_heading_class_ends_at_its_date_line():
    own = "某市召开科技创新大会部署全年工作。" + PARA
    body = (f"<h1>某市召开科技创新大会</h1><div class='text'><p>{own}</p><p>{PARA2}</p>"
            f"<h1 class='next'>某县开展秋季病虫害防治培训</h1><p>2023-05-13 10:00</p><p>{OTHER}</p><p>{OTHER}</p></div>")
    rec = clean(page(body))
    assert "某市召开科技创新大会部署全年工作" in rec["text"]
    assert "病虫害" not in rec["text"]


def test_section_headings_of_the_headline_s_own_kind_beside_the_text_do_not_end_it():
    # a template without classes that heads the article's sections with <h1> like its headline
    body = (f"<div><h1>某市召开科技创新大会</h1><p>某市召开科技创新大会部署全年工作。{PARA}</p>"
            f"<h1>一、加快科技成果转化</h1><p>{PARA2}</p><h1>二、强化企业创新主体地位</h1><p>{OTHER}</p></div>")
    rec = clean(page(body))
    assert "会议要求" in rec["text"] and "病虫害" in rec["text"]


def test_the_story_under_the_headline_beats_a_longer_story_elsewhere():
    own = "某市召开科技创新大会，会议总结了去年科技创新工作。" + PARA
    body = (f"<div class='main'><h1>某市召开科技创新大会</h1><p>{own}</p></div>"
            f"<div class='more'><h2>某县开展秋季病虫害防治培训</h2>" + "".join(f"<p>{OTHER}</p>" for _ in range(6))
            + "</div>")
    rec = clean(page(body))
    assert "会议总结了去年科技创新工作" in rec["text"]
    assert "病虫害" not in rec["text"]


def test_a_feed_with_div_headlines_ends_at_the_next_title_written_like_the_headline():
    # headings written as div: the next story's title has the headline's element and class
    own = "某市召开科技创新大会，会议总结了去年科技创新工作，部署了今年重点任务。" + PARA
    body = (f"<div class='page'><div class='art-title'>某市召开科技创新大会</div>"
            f"<div class='info'>2023-05-12 09:30</div><p>{own}</p><div class='share'>分享至：</div>"
            f"<div class='art-title'>某县开展秋季病虫害防治培训</div><div class='info'>2023-05-13 10:00</div>"
            + "".join(f"<p>{OTHER}{n}</p>" for n in range(6)) + "</div>")
    rec = clean(page(body))
    assert "会议总结了去年科技创新工作" in rec["text"]
    assert "病虫害" not in rec["text"]


def test_a_short_post_under_a_div_headline_beats_a_longer_recommended_story_with_a_dated_title():
    # the longer story wins the vote; the text under the headline ends where a short untitled-
    # looking line with a date line under it begins the recommended story
    own = "某市召开科技创新大会，会议总结了去年科技创新工作，部署了今年重点任务，要求各单位抓好落实。"
    body = (f"<div class='post'><div class='headline'>某市召开科技创新大会</div>"
            f"<div class='when'>2023-05-12 09:30</div><p>{own}</p><div class='share'>分享至：</div></div>"
            f"<div class='rec'><div class='rec-title'>某县开展秋季病虫害防治培训</div>"
            f"<div class='author'><a href='/u/1'>某某日报</a></div><div class='follow'>关注</div>"
            f"<div class='when'>2023-05-13 10:00</div>" + "".join(f"<p>{OTHER}{n}</p>" for n in range(6)) + "</div>")
    rec = clean(page(body))
    assert "会议总结了去年科技创新工作" in rec["text"]
    assert "病虫害" not in rec["text"]


def test_another_page_appended_after_a_menu_ends_at_its_title_and_stamp_line():
    # infinite scroll without headings: the text, a menu of the next page, its title and its
    # time/来源 line; a notice's attachment link, issuer and bare date under it stay
    own = (f"<p>{PARA}</p><p>{PARA2}</p><p><a href='/f/1.doc'>附件：申报指南.doc</a></p>"
           "<p>某某市科学技术局</p><p>2023年3月15日</p>")
    nxt = ("<table><tr><td><a href='/'>首页</a> - <a href='/x'>新闻</a> - <a href='/y'>科技</a></td></tr>"
           "<tr><td>某县开展秋季病虫害防治培训</td></tr><tr><td>2005-01-06 08:13 来源：某某日报</td></tr></table>"
           + "".join(f"<p>{OTHER}{n}</p>" for n in range(4)))
    rec = clean(page(f"<div>{own}{nxt}</div>"))
    assert lines(rec)[-1] == "某某市科学技术局"
    assert "病虫害" not in rec["text"]

# --- 2. no body in the saved page ---------------------------------------------------------

FOOTER = ("<div class='bottom'><p>版权所有：某某市科学技术局　地址：某某市人民路1号　邮编：734000　"
          "电话：0936-1234567　陇ICP备05001234号　网站标识码：6207000001　甘公网安备62070202000123号</p></div>")
SIDEBAR = ("<div class='side'><h3>图片新闻</h3>" + "".join(
    f"<p>第{n}期科技特派员服务活动在各县区陆续开展，受到基层群众欢迎。</p>" for n in range(1, 4)) + "</div>")


def test_a_body_rendered_by_script_gives_an_empty_record_not_the_sidebar():
    body = (f"<div class='wrap'><h1>某市召开科技创新大会</h1><div class='info'>2023-05-12 来源：某某日报</div>"
            f"<div id='content'></div><script>$.get('/api/article/1', r => $('#content').html(r));</script></div>"
            f"{SIDEBAR}{FOOTER}")
    rec = clean(page(body))
    assert rec["status"] == "empty"
    assert "headline" in rec["reason"]
    assert rec["title"] == "某市召开科技创新大会"
    assert rec["published_at"].startswith("2023-05-12")


def test_a_paywall_notice_and_a_footer_are_no_article():
    body = (f"<h1>某市召开科技创新大会</h1><div class='pay'><p>本文为付费内容，开通会员后阅读全文。</p>"
            f"<p>订阅后阅读</p></div>{FOOTER}")
    rec = clean(page(body))
    assert rec["status"] == "empty"
    assert "ICP" not in rec["text"] and "付费" not in rec["text"]


STATEMENT = ("<div class='sm'><p>凡本网注明“来源：某某科技网”的所有作品，版权均属于本网，未经本网授权不得转载、摘编或"
             "利用其它方式使用上述作品；已经本网授权使用作品的，应在授权范围内使用，并注明来源。</p>"
             "<p>如因作品内容、版权和其它问题需要同本网联系的，请在30日内进行。</p></div>")
COMMENTS = ("<div class='cm'><p>lr9111[219.130.79.*] 认为：</p><p>引用 投诉 支持 (2) 2004-12-13 09:02:13</p>"
            "<p>赞同楼上所说的，科技成果转化确实要靠企业，只有企业真正投入，成果才能落地见效。</p></div>")


def test_the_site_s_statement_and_readers_comments_are_no_article():
    body = f"<div class='wrap'><h1>某市召开科技创新大会</h1>{STATEMENT}{COMMENTS}</div>{FOOTER}"
    rec = clean(page(body))
    assert "版权" not in rec["text"] and "219.130" not in rec["text"] and "引用 投诉" not in rec["text"]
    assert rec["status"] != "ok" or any(w.startswith("low_confidence") for w in rec["warnings"])


def test_comments_after_the_article_end_it_and_a_dateline_of_the_site_is_text():
    own = "本网讯 近日，某市召开科技创新大会，部署打击侵权假冒、加强知识产权保护等重点工作。"
    rec = clean(page(f"<h1>某市召开科技创新大会</h1><div class='text'><p>{own}</p><p>{PARA}</p><p>{PARA2}</p>"
                     f"{COMMENTS}</div>"))
    assert lines(rec)[0] == own
    assert lines(rec)[-1] == PARA2

# --- 3. video and audio pages -------------------------------------------------------------

def test_player_controls_and_messages_do_not_leak():
    player = ("<div class='video-box'><p>倍速</p><p>0.5x 0.75x 1.0x 1.25x 1.5x 2.0x</p><p>清晰度 标清 高清 超清</p>"
              "<p>00:00 / 03:25</p><p>视频加载失败，请刷新重试</p><p>您的浏览器不支持 video 标签</p>"
              "<p>循环播放 跳过片头</p></div>")
    body = f"<h1>某市召开科技创新大会</h1>{player}<div class='desc'><p>{PARA}</p><p>{PARA}</p></div>"
    rec = clean(page(body))
    assert PARA in rec["text"]
    for noise in ("倍速", "1.25x", "清晰度", "03:25", "加载失败", "浏览器不支持", "跳过片头"):
        assert noise not in rec["text"], noise


# --- 4. encyclopedia pages ----------------------------------------------------------------

def test_infobox_edit_prompts_and_vote_counters_do_not_leak():
    infobox = ("<table class='infobox'><tr><th>中文名</th><td>雄安新区</td></tr><tr><th>所属地区</th><td>河北省</td></tr>"
               "<tr><th>设立时间</th><td>2017年4月1日</td></tr><tr><th>面积</th><td>1770平方千米</td></tr></table>")
    text = "雄安新区是中国第19个国家级新区，位于河北省保定市境内，地处北京、天津、保定腹地，区位优势明显。"
    history = ("考古资料显示，雄安一带在七千年以前就有人类繁衍生息，形成了比较稳定的古村落，容城境内遗址众多，"
               "包括新石器时代至商代的多处遗址。")
    land = ("新区地处华北平原，地势自西北向东南略有倾斜，境内有华北平原最大的淡水湖白洋淀，"
            "水域面积较大，生态环境良好，是重要的湿地保护区。")
    body = (f"<div class='lemma'><div class='vote'><p>送花</p><p>今天的鲜花送完了？</p></div>"
            f"<h1>雄安新区</h1><div class='tools'>编辑 锁定 讨论</div>{infobox}<p>{text}</p>"
            f"<h2>历史沿革[编辑]</h2><p>{history}</p><h2>地理环境[编辑]</h2><p>{land}</p>"
            f"<h2>参考资料[编辑]</h2><ol><li>雄安新区管委会. 规划纲要. 2018.</li></ol></div>")
    rec = clean(page(body, title="雄安新区"))
    assert text in rec["text"] and history in rec["text"] and land in rec["text"]
    assert "历史沿革" in lines(rec)
    for noise in ("[编辑]", "送花", "鲜花", "锁定", "所属地区", "1770平方千米", "规划纲要"):
        assert noise not in rec["text"], noise


def test_maintenance_banners_of_an_entry_go_without_classes_and_a_notice_s_request_stays():
    text = "雄安新区是中国第19个国家级新区，位于河北省保定市境内，地处北京、天津、保定腹地，区位优势明显。"
    banners = ("<div>请协助补充多方面可靠来源以改善这篇条目，无法查证的内容可能会因为异议提出而移除。</div>"
               "<div>若需要提删请确保本模板已挂上足够长（至少30日）的时间，足以引起其他人的注意。</div>"
               "<div>请除去或修正使读者分心、不易阅览的用色。参见WP:颜色指引。</div>")
    entry = clean(page(f"<div><h1>雄安新区</h1>{banners}<p>{text}</p><p>{PARA}</p></div>", title="雄安新区"))
    assert entry["text"].split("\n") == [text, PARA]
    request = "请各县区对照清单条目逐项核查，并于5月底前报送核查结果。"
    notice = clean(page(f"<div><h1>关于开展清单核查的通知</h1><p>{request}</p><p>{PARA}</p></div>",
                        title="关于开展清单核查的通知"))
    assert request in notice["text"]


# --- 5. government pages with little body -------------------------------------------------

def test_footer_lines_do_not_leak_into_a_short_notice():
    body = (f"<table><tr><td><h1>关于端午节放假的通知</h1><p>各科室：根据国务院办公厅通知精神，端午节放假3天，"
            f"请各科室做好值班安排。</p><p>某某市科学技术局</p><p>2023年6月15日</p>"
            f"<p>版权所有：某某市科学技术局 主办单位：某某市科学技术局 地址：某某市人民路1号 联系电话：0936-1234567 "
            f"陇ICP备05001234号-1 网站标识码：6207000001 甘公网安备 62070202000123号 建议使用1920×1080分辨率</p>"
            f"</td></tr></table>")
    rec = clean(page(body, title="关于端午节放假的通知"))
    assert "端午节放假3天" in rec["text"]
    for noise in ("ICP备", "公网安备", "网站标识码", "版权所有", "0936-1234567"):
        assert noise not in rec["text"], noise


# --- 6. titles ----------------------------------------------------------------------------

@pytest.mark.parametrize("head,body_title,expected", [
    # og:title holding only the portal's name while the headline is on the page
    ("<meta property='og:title' content='某某市科学技术局'>", "<h1>某市召开科技创新大会</h1>", "某市召开科技创新大会"),
    # raw markup kept in the ArticleTitle meta
    ("<meta name='ArticleTitle' content='凝聚创新力量&lt;div&gt;——热烈祝贺科技大会开幕&lt;/div&gt;'>",
     "<h1>凝聚创新力量——热烈祝贺科技大会开幕</h1>", "凝聚创新力量——热烈祝贺科技大会开幕"),
    # a widget label and a comment counter in title-class elements
    ("", "<div class='title'>欢迎加入本站邮件列表，您将得到最新更新邮件</div><h2 class='title'>已有3件评论</h2>"
         "<h1>某市召开科技创新大会</h1>", "某市召开科技创新大会"),
])
def test_the_headline_not_the_site_a_widget_or_markup(head, body_title, expected):
    rec = clean(page(f"{body_title}<p>{PARA}</p><p>{PARA}</p>", head=head))
    assert rec["title"] == expected


def test_a_second_title_element_with_a_site_suffix_is_split():
    html = (f"<html><head><meta charset='utf-8'><title>某市召开科技创新大会-中国科普网</title><title>无标题文档</title>"
            f"</head><body><p>{PARA}</p><p>{PARA}</p></body></html>").encode("utf-8")
    assert clean(html)["title"] == "某市召开科技创新大会"


def test_a_column_prefix_and_a_breadcrumb_title_give_way_to_the_headline():
    body = (f"<div class='crumb'>首页 &gt; 科技动态</div><div class='art'><div class='bt'>某市召开科技创新大会</div>"
            f"<p>{PARA}</p><p>{PARA}</p></div>")
    html = (f"<html><head><meta charset='utf-8'><title>科技动态</title></head><body>{body}</body></html>")
    rec = clean(html.encode("utf-8"))
    assert rec["title"] == "某市召开科技创新大会"
    assert "某市召开科技创新大会" not in rec["text"]


def test_a_placeholder_title_gives_way_to_the_line_above_the_text():
    html = (f"<html><head><meta charset='utf-8'><title>显示</title></head><body>"
            f"<p>犬儒病的来龙去脉</p><p>{PARA}</p><p>{PARA}</p></body></html>").encode("utf-8")
    rec = clean(html)
    assert rec["title"] == "犬儒病的来龙去脉"
    assert lines(rec)[0] == PARA


# --- 7. editors that are roles ------------------------------------------------------------

@pytest.mark.parametrize("editor", ["系统管理员", "网站管理员", "admin", "网站编辑", "超级管理员"])
def test_an_account_or_role_is_not_an_editor(editor):
    rec = clean(page(f"<h1>某市召开科技创新大会</h1><p>{PARA}</p><p>{PARA}</p><p>责任编辑：{editor}</p>"))
    assert rec["editor"] is None
    assert editor not in rec["text"]


# --- 8. site furniture in text and fields -------------------------------------------------

def test_trackback_promotions_and_a_site_address_line_do_not_leak():
    body = (f"<h1>某市召开科技创新大会</h1><p>中国网 china.com.cn　时间： 2023-05-12</p><p>{PARA}</p><p>{PARA}</p>"
            f"<p>引用通告地址: http://blog.example.com/trackback/12345</p><p>电邮新闻</p>"
            f"<p>下载应用程序，随时随地看新闻</p>")
    rec = clean(page(body))
    for noise in ("china.com.cn", "引用通告", "电邮新闻", "下载应用程序"):
        assert noise not in rec["text"], noise
    assert rec["published_at"].startswith("2023-05-12")


def test_a_comment_box_and_the_author_s_other_articles_end_the_text_without_classes():
    # a portal template without classes: the account line and follow button above the text,
    # a photo viewer label, the platform's disclaimer and like button, then the comment box
    # with its etiquette line and the author's list
    body = (f"<div><h1>某市召开科技创新大会</h1><div>2024-05-18 16:56发布于北京某某日报官方账号</div><div>+关注</div>"
            f"<p>{PARA}</p><p>{PARA2}</p><div>查看原图 264K</div>"
            f"<div>平台声明：该文观点仅代表作者本人，某某号系信息发布平台，某某仅提供信息存储空间服务。</div><div>首赞</div>"
            f"<div>评论 66文明上网理性发言，请遵守《新闻评论服务协议》</div>"
            f"<div>网友甲</div><p>支持平台做法，今天不管，明天就啥都敢做。</p><div>上海网友</div><div>5月19日</div><div>回复</div>"
            f"<div>作者其他文章</div><div>某县开展秋季病虫害防治培训，专家讲解绿色防控技术</div><div>2024-05-24</div></div>")
    rec = clean(page(body))
    assert rec["text"].split("\n") == [PARA, PARA2]
    assert rec["published_at"].startswith("2024-05-18T16:56")


def test_an_info_line_glued_onto_the_source_is_cut():
    body = (f"<h1>某市召开科技创新大会</h1><div class='info'><span>发布时间：2023-05-12</span>"
            f"<span>来源：某某省科学技术厅</span><span>字号：大 中 小</span></div><p>{PARA}</p><p>{PARA}</p>")
    rec = clean(page(body.replace("</span><span>", "</span><span>", 2)))
    assert rec["source"] == "某某省科学技术厅"


# --- the confidence in every record -------------------------------------------------------

def test_an_ordinary_article_is_confident():
    rec = clean(page(f"<h1>某市召开科技创新大会</h1><p>某市召开科技创新大会。{PARA}</p><p>{PARA}</p>"))
    assert 0.7 <= rec["extraction"]["confidence"] <= 1
    assert {"title_agreement", "link_density", "boilerplate_share", "candidates_agree", "text_chars"} \
        <= rec["extraction"]["signals"].keys()
    assert not any(w.startswith("low_confidence") for w in rec["warnings"])


def test_a_wrong_story_kept_on_purpose_is_flagged():
    nav = "<div class='menu'>" + "".join(f"<a href='/c{n}/'>科技创新栏目{n}</a>" for n in range(40)) + "</div>"
    body = (f"{nav}<div class='main'><h1>某市召开科技创新大会</h1><p>某市召开科技创新大会，总结去年工作。{PARA}</p>"
            f"<p>{PARA2}</p></div><div class='other'><h2>某县开展秋季病虫害防治培训</h2>"
            + "".join(f"<p>{OTHER}</p>" for _ in range(3)) + "</div>")
    right = clean(page(body))
    wrong = clean(page(body), options=CleanOptions(runner_up=True))
    assert "病虫害" not in right["text"]
    assert "病虫害" in wrong["text"]
    assert wrong["extraction"]["confidence"] < right["extraction"]["confidence"]
    assert any(w.startswith("low_confidence") for w in wrong["warnings"])


def test_a_titled_story_below_a_story_without_title_is_doubted():
    # a saved page without a title of its own, the next story (with its h1) appended below:
    # the titled story may be kept, but the record must not say it is sure of it
    first = "".join(f"<p>{PARA}{n}{PARA2}</p>" for n in range(10))
    second = (f"<h1>某县开展秋季病虫害防治培训</h1><p>2023-05-13 10:00</p>"
              + "".join(f"<p>{OTHER}{n}</p>" for n in range(3)))
    doubted = clean(f"<html><body><div class='a'>{first}</div><div class='b'>{second}</div></body></html>".encode())
    alone = clean(f"<html><body><div class='b'>{second}</div></body></html>".encode())
    assert doubted["extraction"]["signals"]["prose_above"] >= 1000
    assert alone["extraction"]["signals"]["prose_above"] == 0
    assert "病虫害" in doubted["text"]          # the headline's story is kept ...
    assert any(w.startswith("low_confidence") for w in doubted["warnings"])    # ... and doubted
    assert not any(w.startswith("low_confidence") for w in alone["warnings"])
