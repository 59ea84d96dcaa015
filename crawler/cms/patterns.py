"""URL patterns of the CMS families, as data. Order matters only for readability."""
import re

# An article page (first page of it).
ARTICLE_URL = {
    "trs": [re.compile(r"/t\d{8}_\d+\.s?html?$"), re.compile(r"/t\d{6,}\.s?html?$")],
    "hanweb": [re.compile(r"/art/\d{4}/(?:\d{1,2}/\d{1,2}/)?art_[0-9a-f]+(?:_\d+)?\.html$")],
    "vsb": [re.compile(r"/info/\d+/\d+\.htm$")],
    "generic": [re.compile(r"/content/post_\d+\.html$"), re.compile(r"/\d{4}/\d{2}-\d{2}/\d+\.html$"),
                re.compile(r"/[0-9a-f]{32}\.shtml$"), re.compile(r"/\d{19}\.s?html?$"),
                re.compile(r"/\d{4}-?\d{2}/\d{2}/c?\d{4,}\.s?html?$")],
}

# A further page of a multi-page article: t20230221_123456_1.html, 5678_2.htm.
ARTICLE_PART_URL = [
    re.compile(r"/(t\d{8}_\d+)_(\d{1,3})\.(s?html?)$"),
    re.compile(r"/info/\d+/(\d+)_(\d{1,3})\.(htm)$"),
]

# Pages never stored and never followed as lists: search, login, feedback, mail boxes.
SKIP_URL = re.compile(
    r"(?:search|jsearch|sousuo|login|logout|register|guestbook|mailbox|xxgk_search|/module/(?!web/jpage)"
    r"|\.(?:jpg|jpeg|png|gif|bmp|css|js|ico|svg|mp4|mp3|flv|swf)(?:\?|$))", re.I)

# Attachments: recorded from the article, downloaded only when asked.
ATTACHMENT_URL = re.compile(r"\.(?:pdf|docx?|xlsx?|pptx?|wps|et|ofd|zip|rar|7z|txt|csv|ceb)(?:\?|$)", re.I)

# A list page by its URL, when the page itself gives no better sign.
LIST_URL = [
    re.compile(r"/index(?:_\d+)?\.s?html?$"),        # TRS index.html, index_3.html
    re.compile(r"/list(?:_\d+)?\.s?html?$"),
    re.compile(r"/col/col\d+/index\.html$"),         # Hanweb column
    re.compile(r"/list\.jsp\?"),                    # VSB
    re.compile(r"/[a-z0-9_]+/\d{1,4}\.htm$"),        # VSB pages kjdt/2.htm
    re.compile(r"/$"),
]

# Text of pagination anchors.
PAGER_TEXT = re.compile(r"^\s*(?:下一?页|上一?页|首页|尾页|末页|最后一?页|前一?页|后一?页|\d{1,4}|>|>>|»|›|next|last)\s*$", re.I)

# A date in a list item: 2023-02-21, 2023/2/21, 2023.02.21, 2023年2月21日, [02-21].
DATE_TEXT = re.compile(r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}|\[\d{2}-\d{2}\]")
