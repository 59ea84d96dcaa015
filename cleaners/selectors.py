"""Data for the extractor: tag sets, class/id tokens and boilerplate phrases.

Kept apart from the code that uses them (as trafilatura keeps its XPath lists) so that a
new CMS quirk is a one-line data change. Tokens are matched against ``class`` and ``id``
values; phrases against the text of one block (a paragraph-like run of text).
"""
import re

# Elements whose content is never article text.
DROP_TAGS = (
    "script", "style", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet",
    "svg", "canvas", "template", "select", "option", "textarea", "button", "input",
    "map", "audio", "video", "source", "track",
)

# Elements whose text a browser never shows: the visible-text walk of the date rules skips
# them (it runs on a tree already pruned of DROP_TAGS, but for JSON-LD scripts).
INVISIBLE_TAGS = frozenset(DROP_TAGS) | {"head", "title"}

# class/id words of blocks that hold other articles or furniture (related, hot, ranking,
# footer, comments): a date there is never the page's publish date. SIDE_BLOCK_WORDS adds
# sidebars, navigation and "more" boxes for dates without a label.
OTHER_BLOCK_WORDS = re.compile(r"relat|(?:^|[-_\s])hot|rank|recommend|tuijian|xgwz|xgxw|xgyd|xgtj|xglj|"
                               r"footer|copyright|comment|reply|pinglun|liuyan", re.I)
SIDE_BLOCK_WORDS = re.compile(r"sidebar|aside|(?:^|[-_\s])(?:side|links?|more|nav|menu)(?:$|[-_\s\d])", re.I)

# Elements that end a text block (a paragraph boundary in the output).
BLOCK_TAGS = frozenset((
    "p", "div", "br", "li", "ul", "ol", "dl", "dd", "dt", "tr", "td", "th", "table", "tbody",
    "thead", "tfoot", "caption", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
    "aside", "header", "footer", "nav", "main", "blockquote", "pre", "hr", "center", "form",
    "fieldset", "figure", "figcaption", "address", "body", "html", "title", "details", "summary",
    "marquee", "text",
))

# Semantic containers that hold page chrome, not the article.
CHROME_TAGS = frozenset(("nav", "aside", "footer", "header", "menu"))

# class/id tokens of chrome (extends trafilatura.xpaths' nav/footer/share/related/ad tokens
# with the names Chinese CMSs use: pinyin abbreviations such as xgxw = 相关新闻, fx = 分享).
NEGATIVE_WORDS = frozenset((
    "nav", "navbar", "navigation", "menu", "submenu", "breadcrumb", "breadcrumbs", "crumb", "crumbs", "position",
    "location", "dqwz",
    "footer", "foot", "bottom", "copyright", "copy", "banquan", "beian",
    "share", "bdshare", "bdsharebuttonbox", "jiathis", "social", "fenxiang", "fx", "print", "dayin",
    "related", "relate", "relative", "xgxw", "xgwz", "xgyd", "recommend", "tuijian", "tj", "hot", "hots", "rank",
    "ranking", "paihang", "phb", "popular", "latest", "zxwz", "rmwz",
    "comment", "comments", "pinglun", "pl", "reply",
    "sidebar", "side", "aside", "sidenav",
    "ad", "ads", "advert", "advertisement", "guanggao", "gg", "banner",
    "tag", "tags", "tagcloud", "keywords",
    "login", "register", "search", "toolbar", "tools", "qrcode", "ewm", "erweima", "weixin", "wechat",
    "pager", "pagination", "pagenav", "prev", "next", "sxp",
    "fontsize", "zihao",
    "header", "head", "top", "topbar", "logo",
    "disclaimer", "mianze", "statement",
    "dashang", "reward",
    "modal", "popup", "dialog", "overlay",
))
# the same words as one pattern (whole tokens; a word may run on into digits: nav2, top10)
NEGATIVE_TOKENS = re.compile(
    r"(?:^|[\s_-])(?:" + "|".join(sorted(NEGATIVE_WORDS, key=len, reverse=True)) + r"|notice-bar|page-nav)(?:$|[\s_-]|\d)",
    re.I,
)

# class/id tokens of article containers (TRS_Editor, zoom, Hanweb's zoom/content, VSB's v_news_content).
# (matched on lower-cased class/id strings: without re.I the words' first letters let the
# regex engine skip ahead)
POSITIVE_TOKENS = re.compile(
    r"trs_editor|trs_ueditor|trs_paper|ueditor|zoom|article|content|detail|text|body|"
    r"main|news_?con|newscontent|con_?text|wenzhang|zhengwen|zw|post|entry|story|"
    r"v_news_content|vsbcontent|pages_content|xxgk_content|info_content|mainbox"
)

# A block that is exactly one of these (or starts with it and is short) ends the article:
# everything after it is a list of other articles or page furniture.
TAIL_MARKERS = re.compile(
    r"^(?:[【\[〖『「]?\s*)(?:"
    r"相关(?:阅读|新闻|文章|链接|内容|报道|资讯|推荐|稿件|信息|附件下载|附件|解读|文件|政策)|推荐(?:阅读|新闻|文章|图文|资讯|内容)|"
    r"延伸阅读|扩展阅读|热门(?:文章|新闻|推荐|资讯|排行|标签)|最新(?:文章|新闻|资讯|动态|发布)|"
    r"点击排行|阅读排行|排行榜|猜你喜欢|你可能(?:还)?(?:关注|喜欢|感兴趣)的?(?:文档|文章|内容)?|"
    r"精彩推荐|更多(?:>|＞|&gt;)?\s*同类资讯|同类资讯|网友评论|发表评论|我要评论|评论列表|"
    r"(?:阅读)?上一篇|(?:阅读)?下一篇|上一条|下一条|精彩视频推荐|"
    r"本周热门|本月热门|今日热点|图片新闻|往期回顾|专题推荐|友情链接|"
    r"文章导读|关于本文|本文标题|查看更多|反侵权公告|版权声明|文档附件|全部评论|热门评论|最新评论|"
    r"郑\s*重\s*声\s*明|免\s*责\s*声\s*明|特\s*别\s*声\s*明|"
    r"(?:网友)?评论\s*\d*\s*(?:文明上网|理性发言|请遵守).*|文明上网.{0,30}|"
    r"评论\s*\d*|\d+\s*条评论|查看全部\s*\d*\s*条评论|发一条友善的评论|网友留言|读者留言|用户评论|精彩评论|评论区|"
    r"作者(?:的)?(?:其他|其它|最新|更多)(?:文章|作品)|TA的(?:文章|作品)"
    r")[\s:：>》】\]〗』」]*",
)

# Blocks that are boilerplate wherever they stand, matched with .search on a short block.
# Every alternative starts with a literal character, so that the regex engine skips ahead to
# the places where one of them can begin (an optional group or an anchor first makes every
# search try every alternative at every character).
BOILERPLATE_PHRASES = re.compile(
    r"分享到|分享：|分享:|一键分享|扫一扫|微信扫|手机扫描|在手机(?:上)?(?:打开|阅读|查看)|"
    r"打印(?:本页|此页|文章|本文)|【\s*打印\s*】|\[\s*打印\s*\]|关闭(?:窗口|本页)|【\s*关闭\s*】|"
    r"字体[:：]?\s*[【\[]?\s*大\s*中\s*小|字号[:：]?\s*[【\[]?\s*大\s*中\s*小|【\s*大\s*中\s*小\s*】|"
    r"ICP\s*备|ICP证|icp\s*备|公网安备|网站标识码|网站识别码|政府网站标识|版权所有|Copyright|COPYRIGHT|copyright|©|"
    r"主办单位|承办单位|主办[:：]|承办[:：]|建议使用.{0,20}浏览器|最佳分辨率|分辨率.{0,10}浏览|"
    r"免责声明|著作权声明|内容声明|本网转载自|转载请注明|不代表本网|侵犯了您的(?:版权|权益)|禁止转载|禁止商业转载|未经(?:书面)?(?:许可|授权).{0,10}转载|"
    r"仅提供信息(?:存储|发布)(?:服务|空间)|观点仅代表作者|纯属(?:作者)?个人观点|举报类型|仅代表作者(?:本人)?(?:观点|个人观点)|平台声明[:：]|"
    r"分享至|点个赞|语音播报|"
    r"阅读全文|想阅读完全部|您需要先登[陆录]|登录后(?:阅读|查看)|"
    r"赞赏|赏赞|打赏|请选择打赏|尚未有人|"
    r"浏览次数|阅读次数|访问次数|点击次数|点击数[:：]|阅读量[:：]|浏览量[:：]|访问量[:：]|"
    r"下载文档|此文档下载收益|网站客服|文档下载|收藏\s*分享|温馨提示[:：]|"
    r"返回顶部|回到顶部|设为首页|加入收藏|网站地图|联系我们|关于我们|"
    r"当前位置[:：]|您的位置[:：]|您现在的位置[:：]|所在位置[:：]|"
    r"链接地址[:：]|本文(?:链接|地址|网址)[:：]|"
    r"微信订阅号|官方微信|官方微博|关注我们|联系客服|二维码|"
    r"正文已结束|点击进入专题|减少此类(?:文章|内容)?(?:的)?推荐|客户端.{0,12}(?:下载|第一时间)|"
    r"下载地址】|点【在看】|"
    r"分享让更多人看到|若长时间无响应|请刷新本页面|第\s*\d+\s*(?:个|位)(?:阅览|访问|浏览)者"
)
# Lines that are boilerplate only as a whole (matched from the start; 举报 in a sentence is text).
BOILERPLATE_LINES = re.compile(
    r"(?:技术支持[:：][^，。；]*|举报|不喜欢|首赞|播报文章|查看原图(?:\s*\d+(?:\.\d+)?\s*[KkMm]B?)?|来自\S{2,6}|在看|\+1|(?:IP属地|发布于)[:：]\s*[\u4e00-\u9fff]{2,8}|"
    r"图集|(?:\s*(?:首页|上一页|下一页|尾页|末页|共\s*\d+\s*页|第\s*\d+\s*页|\d{1,3}|[|｜>＞<＜»«]))+\s*)$"
    r"|关键[词字]\s*[:：>＞]|正在加载")

# Only short blocks are tested against BOILERPLATE_PHRASES: a long paragraph that merely
# mentions 下载 or 版权 is article text.
BOILERPLATE_MAX_CHARS = 90

# Labelled metadata lines ("来源：张掖日报 作者：… 责任编辑：…"). Kind → labels; a label
# may be written with spaces between its characters (索  引 号：) as table layouts do.
FIELD_LABELS = {
    "source": ("信息来源", "文章来源", "稿件来源", "新闻来源", "内容来源", "本文来源", "来源", "出处", "发布机构",
               "发文机关", "发布单位"),
    "author": ("作者", "记者", "通讯员", "撰稿人", "撰稿", "撰文", "执笔人", "执笔", "采写", "文字", "文", "供稿"),
    "editor": ("责任编辑", "本版编辑", "网络编辑", "值班编辑", "实习编辑", "责编", "编辑", "审核", "审校", "校对",
               "终审", "一审", "二审", "三审"),
    "doc": ("索引号", "主题分类", "信息分类", "组配分类", "体裁分类", "分类", "发文字号", "文号", "成文日期",
            "有效性", "效力状态", "公开方式", "公开范围", "公开时限", "生效日期", "废止日期", "标题"),
    "date": ("发布时间", "发布日期", "发表时间", "发表日期", "更新时间", "更新日期", "时间", "日期"),
    "views": ("浏览次数", "阅读次数", "访问次数", "点击次数", "点击数", "阅读量", "浏览量", "访问量", "浏览",
              "点击", "阅读"),
    "misc": ("字号", "字体", "分享", "打印", "来源于", "ID", "大小", "页数", "格式", "文件大小", "文档格式",
             "下载次数", "上传者", "上传时间", "贡献者"),
}

ATTACHMENT_EXT = re.compile(
    r"\.(pdf|docx?|xlsx?|wps|et|ofd|zip|rar|7z|pptx?|txt|csv|ceb|caj|tif|tiff|xml|gz)(?:$|[?#&])", re.I)

# Page-level signs of a block page instead of an article.
RUISHU_MARKERS = ("$_ts", "_$ts", "$_ts.nsd", "$_ts.cd")
CAPTCHA_WORDS = re.compile(r"验证码|captcha|滑动验证|人机验证|安全验证|请完成验证|拖动滑块", re.I)
LOGIN_WORDS = re.compile(r"登录|登陆|log ?in|sign ?in|用户名|密码|身份认证", re.I)
FIREWALL_WORDS = re.compile(r"防火墙|已被.{0,12}拦截|拦截时间|访问被拒绝|禁止访问|非法请求|不合法参数|请求被阻断|"
                            r"Access Denied|403 Forbidden|Web应用防火墙|安全狗|云锁", re.I)
NOT_FOUND_WORDS = re.compile(r"页面不存在|找不到(?:该|此|您要的)?页面|页面(?:已|已经)?被删除|页面未找到|访问的页面.{0,8}不存在|"
                             r"404\s*Not Found|Page Not Found|信息不存在|文章不存在|内容不存在", re.I)

# Common Chinese surnames (simplified), used to tell a bare name in brackets — ……。（张三 李四）
# — from other bracketed words, and a person from a site name in <meta name="author">.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
    "戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯"
    "纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪"
    "简车项连芦卢麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑"
    "郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊"
    "仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄"
    "邸雍辜羊乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀"
    "衣信展阴昝智幸奉植衡富尧闭由")
COMPOUND_SURNAMES = frozenset((
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "宇文", "长孙", "夏侯",
    "轩辕", "端木", "司徒", "西门", "南宫", "独孤", "呼延", "万俟", "闻人", "澹台", "公冶", "太史", "申屠",
    "钟离", "拓跋"))
