"""Lines of page furniture that are not phrases of one widget: a video player's controls and
messages, an encyclopedia's infobox, edit prompts and vote counters, a government site's
footer, app and newsletter promotions, trackback lines, the site's statements about itself
and the headers of readers' comments.

:func:`kind` names the furniture a line is (or None); :func:`ends_text` says whether a
line ends the article (a footer, a comment's header, the references of an encyclopedia page);
:func:`in_box` finds the infobox / navigation box an element sits in. Each family is a
rule of :mod:`cleaners.options` that the quality benchmark can switch off.
"""
from __future__ import annotations

import functools
import re

from cleaners.options import DEFAULT_OPTIONS, CleanOptions

# --- video and audio players: a line made only of control labels, or a player message
_PLAYER_WORD = (
    r"倍速|播放速度|清晰度|画质|标清|高清|超清|蓝光|原画|流畅|自动|极速|\d{3,4}[Pp]|[0-4](?:\.\d{1,2})?[xX×]|"
    r"播放|暂停|重播|重新播放|静音|取消静音|全屏|退出全屏|网页全屏|画中画|小窗|循环播放|单曲循环|列表循环|跳过片头|跳过片尾|"
    r"跳过广告|跳过|弹幕|关灯|开灯|下一集|上一集|选集|音量|字幕|设置|镜像画面|播放列表|正在直播|直播|回放|"
    r"(?:\d{1,2}:)?\d{1,2}:\d{2}|/|[|｜:：\s]")
_PLAYER_LINE = re.compile(r"^(?:" + _PLAYER_WORD + r")+$")
# (each alternative starts with a literal: see cleaners.selectors.BOILERPLATE_PHRASES)
_PLAYER_MESSAGE = re.compile(
    r"视频加载失败|视频加载中|播放器加载|加载失败|刷新重试|刷新页面重试|请检查网络|请检查您的网络|网络不给力|网络异常|"
    r"浏览器(?:版本)?(?:暂)?不支持|不支持\s*(?:HTML5|H5|video|VIDEO|flash|Flash)|请(?:升级|更换|安装).{0,8}(?:浏览器|flash|Flash)|"
    r"视频(?:暂时)?无法播放|该视频(?:已)?(?:失效|下架|不存在)|关闭广告|跳过广告|广告\s*\d+\s*秒|"
    r"即将播放下一|自动播放下一|时长[:：]")
_PLAYER_MAX = 60

# --- encyclopedia pages: edit prompts, vote counters, statistics
_WIKI_LINE = re.compile(
    r"^(?:\[?\s*(?:编辑|編輯|edit)\s*\]?|编辑\s*锁定(?:\s*讨论)?|锁定|讨论|上传视频|编辑词条|创建词条|本词条.{0,30}|"
    r"词条统计|浏览次数[:：]?.*|编辑次数[:：]?.*|最近更新[:：]?.*|创建者[:：]?.*|同义词.{0,20}|"
    r"送花|今天的鲜花送完了.{0,4}|即可领取\d*朵鲜花|绑定百度钱包|有用\s*\+?\s*\d*|已投票|点赞\s*\(?\d*\)?|"
    r"收藏\s*查看我的收藏|\d+\s*有用\s*\+1|目录|跳到导航跳到搜索|跳转到(?:导航|搜索)|维基百科，自由的百科全书|"
    r"本条目(?:存在以下问题|需要|可能).{0,80}|此条目(?:需要|可能|讲述|疑似|没有|的).{0,120}|"
    r"\[显示\].{0,12}|查论编)$", re.I)
# maintenance banners of an encyclopedia entry, told apart from a notice's 请…条目 by the
# words only a banner uses about the entry (这篇条目, 本模板, WP:…)
_WIKI_BANNER = re.compile(
    r"^(?:此条目|本条目)|^(?:请|若需要|致使用者|维基百科不是)"
    r"(?=.{0,200}?(?:这篇条目|这个条目|本条目|此条目|本模板|WP:|维基百科|百科全书|条目的标题))")
_EDIT_MARK = re.compile(r"\s*[\[［](?:编辑|編輯|edit)(?:源代码)?[\]］]", re.I)
_WIKI_TAIL = re.compile(r"^(?:参考(?:资料|文献|来源)|外部(?:链接|連結)|注释|注释与参考|参见|相关条目|延伸阅读|脚注|"
                        r"References|External links|See also|Notes)\s*$", re.I)
# class names (whole tokens) of an encyclopedia's boxes: infobox, navigation boxes, the table of
# contents, maintenance notices, edit links, categories, references, vote and statistics widgets
_BOX_CLASS = re.compile(
    r"infobox\S*|navbox\S*|navframe|ambox\S*|mbox-\S+|metadata|mw-editsection\S*|toc|toctitle|vector-toc\S*|"
    r"catlinks|reflist|basicinfo\S*|basic-info\S*|lemma-statistics|lemmawgt-\S+|toolbuttons\S*|side-box", re.I)
_BOX_DEPTH = 8

# --- footers of government and portal sites
_FOOTER_MARKS = re.compile(
    r"ICP\s*(?:备|证|証)|icp\s*备|公网安备|公網安備|网站标识码|網站標識碼|网站识别码|政府网站标识|版权所有|版權所有|"
    r"Copyright|COPYRIGHT|copyright|©|主办单位|主辦單位|承办单位|承辦單位|协办单位|主办[:：]|承办[:：]|技术支持[:：]|"
    r"运行维护|运维单位|联系地址[:：]|地址[:：]|邮编[:：]|邮政编码|联系电话[:：]|咨询电话[:：]|电话[:：]|传真[:：]|"
    r"E-?mail[:：]|E-?MAIL[:：]|e-?mail[:：]|电子邮箱[:：]|建议使用.{0,20}浏览器|分辨率|网站地图|联系我们|"
    r"不良信息举报|举报电话")
_FOOTER_ALONE = re.compile(r"ICP\s*(?:备|证)|icp\s*备|公网安备|公網安備|网站标识码|網站標識碼|网站识别码")
_FOOTER_MAX = 300

# --- promotions, trackbacks, "site + address + time" lines under a headline
_PROMO = re.compile(
    r"下载.{0,12}(?:APP|App|app|客户端|应用程序)|APP.{0,6}下载|App.{0,6}下载|客户端.{0,6}下载|应用程序.{0,6}下载|"
    r"点[我击]下载|扫码下载|电邮新闻|订阅.{0,16}(?:电子报|新闻信|newsletter)|感谢您订阅|"
    r"关注.{0,12}(?:公众号|微信号|服务号|视频号|抖音号)|长按.{0,8}二维码|扫描.{0,8}二维码|识别.{0,8}二维码|"
    r"更多精彩(?:内容|资讯).{0,12}(?:请|敬请|关注|下载)|点击(?:投票|报名|领取)|欢迎(?:各界)?投(?:书|稿)|来稿请(?:寄|发)|"
    r"付费会员.{0,12}(?:阅读|查看|找寻|观看)|VIP会员.{0,12}(?:阅读|查看|找寻|观看)|"
    r"购买后(?:阅读|查看|观看)|订阅后(?:阅读|查看|观看)|开通会员后(?:阅读|查看|观看)|已过查询时效|本文为付费内容|剩余\d+%未读|"
    r"trackback|Trackback|TrackBack|TRACKBACK|引用通告|引用網址|引用网址|本文引用地址|"
    r"回复\s*[【\[“\"].{1,12}[】\]”\"]\s*(?:查看|获取|了解|即可)|点击(?:菜单栏|底部菜单|阅读原文)|申请加入.{0,12}(?:号|团|群)|"
    r"微信公众号|扫码关注|长按关注|本[贴帖]由.{1,30}于.{4,40}发表")
_PROMO_LINE = re.compile(r"(?:微信)?公众号$")
# the "why don't you like this" menu of a feed and counters of readers, likes and shares
_FEEDBACK = re.compile(
    r"^(?:不感兴趣|广告软文|重复、?旧闻|内容重复|文章质量差|内容质量差|文字、图片、视频等展示问题|标题夸张、?文不对题|"
    r"与事实不符|低俗色情|欺诈或恶意营销|疑似抄袭|内容涉嫌侵权|其他问题，?我要吐槽|\*?请填写原因|我要反馈|举报|投诉|"
    r"(?:阅读|浏览|点击|播放|评论|点赞|收藏|转发|分享|在看)(?:数|量|次数)?\s*[:：(（]?\s*\d+(?:\.\d+)?[万wW]?\s*[)）]?)$")
_PROMO_MAX = 120
_COUNTED = re.compile(r"被(?:阅读|浏览|点击|访问)了?\s*\d+\s*次|阅读(?:次数|量)?\s*[:：]\s*\d+\s*次?\s*$|"
                      r"浏览(?:次数|量)?\s*[:：]\s*\d+\s*次?\s*$|点击(?:次数|量)?\s*[:：]\s*\d+\s*次?\s*$|"
                      r"访问(?:次数|量)?\s*[:：]\s*\d+\s*次?\s*$")
# --- the site's statements about itself (its copyright, what it reposts, the rules of its
# forum) and the headers of readers' comments
_SELF = re.compile(r"本网(?!讯|络|民)|本站(?!讯)|本论坛|本平台|本网站|本刊(?!讯)|本社区|本栏目|本公众号|本号")
_RIGHTS = re.compile(r"版权|著作权|转载|摘编|授权|免责|观点|言论|不承担|不负|追究|侵权|删除|禁止|违法")
_STATEMENT_MAX = 400
_MASKED_IP = re.compile(r"\d{1,3}\.\d{1,3}\.(?:\d{1,3}|\*)\.\*")
_COMMENT_ACTIONS = re.compile(r"^(?:(?:引用|回复|投诉|支持|反对|举报|顶|踩|[(（]\d+[)）]|\d+楼|沙发|板凳)\s*){2,}")
_COMMENT_MAX = 80
_WEB = re.compile(r"www\.|WWW\.|https?://|\.(?:com|cn|net|org|gov|COM|CN)\b")
_DATE = re.compile(r"(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}|\d{1,2}:\d\d")
_SENTENCE = re.compile(r"[，。；！？]")
_HANZI_OR_DIGIT = re.compile(r"[\u4e00-\u9fff\d]")


def player_line(text: str) -> bool:
    """Controls or a message of a video/audio player.

    >>> player_line("倍速 0.5x 1.0x 1.25x 1.5x 2.0x"), player_line("00:00 / 03:25"), player_line("视频加载失败，请刷新重试")
    (True, True, True)
    >>> player_line("自动驾驶汽车在高速公路上播放了一段视频，引起热议。")
    False
    """
    t = text.strip()
    if len(t) > _PLAYER_MAX:
        return False
    return bool(_PLAYER_LINE.match(t) and _HANZI_OR_DIGIT.search(t)) or bool(_PLAYER_MESSAGE.search(t))


def wiki_line(text: str) -> bool:
    """An edit prompt, vote counter or maintenance line of an encyclopedia page.

    >>> wiki_line("编辑 锁定 讨论"), wiki_line("今天的鲜花送完了？"), wiki_line("历史沿革")
    (True, True, False)
    >>> wiki_line("请协助补充多方面可靠来源以改善这篇条目。"), wiki_line("请各单位对照清单条目逐项核查。")
    (True, False)
    """
    text = text.strip()
    return len(text) <= 260 and (len(text) <= 200 and bool(_WIKI_LINE.match(text)) or bool(_WIKI_BANNER.match(text)))


def footer_line(text: str) -> bool:
    """A site footer line: two footer marks (版权所有 … 地址：… ICP备…), or one record-filing
    mark (ICP备, 公网安备, 网站标识码), in a line that is not a paragraph.

    >>> footer_line("版权所有：某某市科学技术局 地址：某某路1号 电话：0936-1234567 陇ICP备05001234号 网站标识码：6207000001")
    True
    >>> footer_line("企业应在3月底前完成ICP备案，相关部门将加强检查，确保网站合规运行，并定期通报。")
    False
    """
    if len(text) > _FOOTER_MAX or not _FOOTER_MARKS.search(text):
        return False               # no mark at all (each _FOOTER_ALONE mark is also one): most lines
    marks = {m.group(0)[:2] for m in _FOOTER_MARKS.finditer(text)}
    if len(marks) >= 2:
        return len(_SENTENCE.findall(text)) <= 1
    return bool(_FOOTER_ALONE.search(text)) and len(_SENTENCE.findall(text)) == 0


def promo_line(text: str) -> bool:
    """An app/newsletter promotion, a paywall notice, a trackback line, or a short
    'site + web address + time' info line.

    >>> promo_line("还想看更多新闻吗？欢迎下载自由时报APP"), promo_line("中国网 china.com.cn 时间： 2008-06-30")
    (True, True)
    >>> promo_line("市民可通过政务服务网下载申请表格，填写后提交。")
    False
    """
    if len(text) <= _PROMO_MAX and (_PROMO.search(text) or _FEEDBACK.match(text.strip()) or _PROMO_LINE.match(text)):
        return True
    if len(text) <= 60 and _COUNTED.search(text):
        return True                  # (本文发表于首页, 已被阅读178次)
    return len(text) <= 60 and bool(_WEB.search(text)) and bool(_DATE.search(text)) and not _SENTENCE.search(text)


def statement_line(text: str) -> bool:
    """A site's statement about itself: its copyright and reposting terms, the rules of its
    forum (the site speaks of itself as 本网 / 本站 / 本论坛 … and of rights or opinions).

    >>> statement_line("凡本网注明“来源：振兴东北网”的所有作品，版权均属于本网，未经本网授权不得转载。")
    True
    >>> statement_line("本网讯 近日，市科技局召开知识产权保护工作会议，部署打击侵权假冒工作。")
    False
    """
    return len(text) <= _STATEMENT_MAX and bool(_SELF.search(text)) and bool(_RIGHTS.search(text))


def comment_line(text: str) -> bool:
    """The header of a reader's comment: a name with a masked IP address, or a row of the
    comment's actions (引用 投诉 支持 (2) and its time).

    >>> comment_line("lr9111[219.130.79.*] 认为："), comment_line("引用 投诉 支持 (2) 2004-12-13 09:02:13")
    (True, True)
    >>> comment_line("支持企业开展研发活动，引用国际标准。")
    False
    """
    if len(text) > _COMMENT_MAX:
        return False
    return ("*" in text and bool(_MASKED_IP.search(text))) or bool(_COMMENT_ACTIONS.match(text.strip()))


_LONGEST = max(_PLAYER_MAX, 200, _FOOTER_MAX, _PROMO_MAX, _STATEMENT_MAX)


def kind(text: str, options: CleanOptions = DEFAULT_OPTIONS) -> str | None:
    """Which furniture ``text`` (one line) is, or None."""
    if len(text) > _LONGEST:
        return None
    return _short_line_kind(text, options)


@functools.lru_cache(maxsize=8192)      # a site's furniture lines come back on each of its pages
def _short_line_kind(text: str, options: CleanOptions) -> str | None:
    if options.on("player_ui") and player_line(text):
        return "player"
    if options.on("wiki_furniture") and wiki_line(text):
        return "wiki"
    if options.on("footer_lines") and footer_line(text):
        return "footer"
    if options.on("promo_lines") and promo_line(text):
        return "promo"
    if options.on("statement_lines"):
        if statement_line(text):
            return "statement"
        if comment_line(text):
            return "comment"
    return None


def ends_text(text: str, kept_chars: int, options: CleanOptions = DEFAULT_OPTIONS, wiki: bool = False,
              family: str | None = "?") -> bool:
    """A line after which only furniture follows: a footer line once some text was kept, or
    the references heading of an encyclopedia page (``wiki``: the page showed its furniture).
    ``family``: the line's :func:`kind` when the caller already has it."""
    if family == "?":
        family = kind(text, options)
    if family in ("footer", "comment") and kept_chars >= 50:
        return True                  # (readers' comments follow the article)
    return wiki and options.on("wiki_furniture") and kept_chars >= 100 and bool(_WIKI_TAIL.match(_EDIT_MARK.sub("", text)))


def strip_edit_marks(text: str, options: CleanOptions = DEFAULT_OPTIONS) -> str:
    """'历史沿革[编辑]' → '历史沿革'.

    >>> strip_edit_marks("历史沿革[编辑]")
    '历史沿革'
    """
    if options.on("wiki_furniture") and ("[" in text or "［" in text):
        return _EDIT_MARK.sub("", text)
    return text


def in_box(el, stop=None, options: CleanOptions = DEFAULT_OPTIONS, memo: dict | None = None) -> bool:
    """Does ``el`` sit in an infobox, navigation box, table of contents or edit widget?
    (``memo``: answers per element, shared by the blocks of one page.)"""
    if not options.on("wiki_furniture"):
        return False
    memo = {} if memo is None else memo
    path, node, found = [], el, False
    for _ in range(_BOX_DEPTH):
        if node is None or node is stop:
            break
        if node in memo:
            found = memo[node]
            break
        path.append(node)
        attrs = node.get("class"), node.get("id")
        if attrs != (None, None) and any(_BOX_CLASS.fullmatch(t) for t in f"{attrs[0] or ''} {attrs[1] or ''}".split()):
            found = True
            break
        node = node.getparent()
    for visited in path:
        memo[visited] = found
    return found
