"""clean() on inputs that are not a normal article page.

The contract (cleaners/pipeline.py): clean() never raises; it returns a record whose
``status`` is ok / empty / error / blocked, with a non-empty ``reason`` when not ok, and
an empty ``text`` unless ok. Each case has a time limit; the 10 MB and deeply nested
pages must also finish in under 10 s.
"""
from __future__ import annotations

import json
import random
import time
from pathlib import Path

import pytest

from tests.support import pagecases

STATUSES = {"ok", "empty", "error", "blocked"}
NOT_OK = {"empty", "error", "blocked"}
ANY = STATUSES
SCHEMA = Path(__file__).resolve().parents[1] / "cleaners" / "schema" / "record.schema.json"

FIRST = "2月20日，潍坊市科学技术局在市民之家举办2023年科技政策宣讲暨项目申报培训会"
PARAS = [
    "2月20日，潍坊市科学技术局在市民之家举办2023年科技政策宣讲暨项目申报培训会，全市各县市区科技管理部门负责同志，重点企业、高校和科研院所科研管理人员共280余人参加培训。",
    "培训会上，市科技局有关科室负责同志围绕高新技术企业认定、科技型中小企业评价、企业研发投入奖补、省级科技计划项目申报等内容进行了系统讲解。",
    "下一步，市科技局将组织专家服务团深入企业开展“一对一”精准辅导，帮助企业用足用好各项科技政策，为全市高质量发展提供有力科技支撑。",
]


def article(body_open: str = "<div class=\"TRS_Editor\">", body_close: str = "</div>", *,
            charset: str | None = "utf-8", paras=PARAS) -> str:
    """A small but complete article page (str); charset=None: no <meta charset>."""
    ps = "\n".join(f"<p>{p}</p>" for p in paras)
    meta = f"<meta charset=\"{charset}\">" if charset else ""
    return (f"<!DOCTYPE html><html><head>{meta}"
            "<title>潍坊市举办2023年科技政策宣讲暨项目申报培训会_潍坊市科学技术局</title>"
            "<meta name=\"ArticleTitle\" content=\"潍坊市举办2023年科技政策宣讲暨项目申报培训会\">"
            "<meta name=\"PubDate\" content=\"2023-02-21 09:30\"></head><body>"
            "<div class=\"nav\"><a href=\"/\">首页</a> <a href=\"/kjdt/\">科技动态</a></div>"
            "<h1>潍坊市举办2023年科技政策宣讲暨项目申报培训会</h1>"
            f"{body_open}\n{ps}\n{body_close}"
            "<div class=\"footer\">主办单位：潍坊市科学技术局 网站标识码：3707000023</div>"
            "</body></html>")


# ---------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------
def _png() -> bytes:
    rnd = random.Random(1)
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rnd.randrange(256) for _ in range(20000))


def _pdf() -> bytes:
    return (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
            b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>\nendobj\n"
            b"4 0 obj\n<< /Length 5000 /Filter /FlateDecode >>\nstream\n"
            + bytes(random.Random(2).randrange(256) for _ in range(5000))
            + b"\nendstream\nendobj\nxref\n0 5\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")


def _json() -> bytes:
    return json.dumps({"code": 200, "msg": "success", "data": {
        "title": "潍坊市举办2023年科技政策宣讲暨项目申报培训会", "pubDate": "2023-02-21",
        "content": "<p>" + PARAS[0] + "</p><p>" + PARAS[1] + "</p>"}}, ensure_ascii=False).encode("utf-8")


def _plain_text() -> bytes:
    return ("潍坊市举办2023年科技政策宣讲暨项目申报培训会\n\n" + "\n\n".join(PARAS)).encode("utf-8")


RUISHU = """<!DOCTYPE html>
<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta http-equiv="Pragma" content="no-cache">
<meta http-equiv="Cache-Control" content="no-cache, no-store, must-revalidate">
<meta http-equiv="Expires" content="0">
<meta name="SiteName" content="鹤壁市科学技术局">
<meta name="SiteDomain" content="kjj.hebi.gov.cn">
<meta name="ColumnName" content="科技动态">
<meta name="ArticleTitle" content="鹤壁市召开2023年全市科技工作会议">
<meta name="PubDate" content="2023-02-21 10:00">
<meta name="ContentSource" content="鹤壁市科学技术局">
<meta name="Keywords" content="科技工作会议">
<meta name="Description" content="2月20日上午，鹤壁市召开全市科技工作会议。会议传达了全省科技工作会议精神，总结了2022年度科技创新工作，对2023年度科技创新重点工作进行了安排部署。">
<meta id="9DhefwqGPrzGxEp9hPaoag" content="{ticket}" r="m">
<script type="text/javascript" r="m">$_ts=window['$_ts'];if(!$_ts)$_ts={{}};$_ts.nsd=69184;$_ts.cd="{cd}";if($_ts.lcd)$_ts.lcd();</script>
<script type="text/javascript" charset="utf-8" src="/4QbVtADbnLVIc/c.FxJzG50F.dfe1675.js" r="m"></script>
</head>
<body>
<script type="text/javascript" r="m">$_ts.lcd();</script>
</body></html>"""


def _ruishu() -> bytes:
    rnd = random.Random(3)
    alphabet = "qrAaEGlmcWVkDfhHpTuxyz0123456789"
    cd = "".join(rnd.choice(alphabet) for _ in range(3000))
    ticket = "".join(rnd.choice(alphabet + "._") for _ in range(420))
    return RUISHU.format(cd=cd, ticket=ticket).encode("utf-8")


LOGIN_WALL = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>用户登录 - 甘肃政务服务网统一身份认证平台</title></head>
<body>
<div class="header"><img src="/images/logo.png" alt="甘肃政务服务网"><span>统一身份认证平台</span></div>
<div class="login-box">
  <h2>用户登录</h2>
  <p class="tip">您访问的内容需要登录后查看，请先登录。</p>
  <ul class="tabs"><li class="on">个人登录</li><li>法人登录</li></ul>
  <form action="/tyrz/login" method="post">
    <input type="text" name="username" placeholder="请输入用户名/手机号/身份证号">
    <input type="password" name="password" placeholder="请输入密码">
    <input type="text" name="captcha" placeholder="请输入验证码"><img src="/tyrz/captcha.jpg" alt="验证码">
    <button type="submit">登 录</button>
  </form>
  <p><a href="/tyrz/register">注册账号</a> | <a href="/tyrz/forget">忘记密码？</a> | 其他登录方式：<a href="/tyrz/scan">扫码登录</a></p>
</div>
<div class="footer">主办单位：甘肃省人民政府办公厅　技术支持：甘肃省大数据中心　网站标识码：6200000001</div>
</body></html>"""

CAPTCHA = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>安全验证</title>
<script src="https://turing.captcha.qcloud.com/TCaptcha.js"></script></head>
<body>
<div class="verify-wrap">
  <h3>访问过于频繁，请完成下方验证后继续访问</h3>
  <div id="captcha-box"><div class="slider">请按住滑块，拖动到最右边</div></div>
  <p>如果您是正常访问，请刷新页面后重试。请求编号：7f3a9c2e41b84d6c</p>
</div>
</body></html>"""

WAF = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>网站防火墙</title></head>
<body>
<div class="box">
  <h1>您的请求带有不合法参数，已被网站管理员设置拦截！</h1>
  <p>可能原因：您提交的内容包含危险的攻击请求</p>
  <p>如何解决：</p>
  <p>1）检查提交内容；</p>
  <p>2）如网站托管，请联系空间提供商；</p>
  <p>3）普通网站访客，请联系网站管理员；</p>
  <p>网站防火墙 | 您的IP：10.0.0.8 | 拦截时间：2023-02-21 10:12:31</p>
</div>
</body></html>"""

NOT_FOUND = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>404 页面不存在 - 潍坊市科学技术局</title>
<meta name="SiteName" content="潍坊市科学技术局"></head>
<body>
<div class="header"><img src="/images/logo.png" alt="潍坊市科学技术局"><div class="slogan">深入实施创新驱动发展战略</div></div>
<div class="nav"><a href="/">首页</a><a href="/xxgk/">信息公开</a><a href="/xwzx/kjdt/">科技动态</a><a href="/tzgg/">通知公告</a></div>
<div class="err404"><img src="/images/404.png" alt="404">
  <p>抱歉，您访问的页面不存在或已被删除！</p>
  <p><span id="sec">5</span>秒后自动返回首页，<a href="/">立即返回</a></p></div>
<div class="footer">主办单位：潍坊市科学技术局　承办单位：潍坊市大数据中心　网站标识码：3707000023　鲁ICP备05012345号-1</div>
</body></html>"""

JS_REDIRECT = """<html><head><meta charset="utf-8"><title></title>
<script type="text/javascript">window.location.href="/xwzx/kjdt/202302/t20230221_6123456.html";</script>
</head><body></body></html>"""


def _list_page() -> bytes:
    rnd = random.Random(4)
    topics = ["科技型中小企业评价入库工作启动", "召开科技创新大会", "举办科技活动周", "技术合同成交额创新高",
              "新增省级重点实验室", "开展科技特派员服务活动", "高新技术企业认定工作通知", "科技成果转化对接会举行",
              "调研企业研发平台建设", "发布科技计划项目指南"]
    cities = ["潍坊市", "青州市", "诸城市", "寿光市", "高密市", "昌邑市", "临朐县", "昌乐县"]
    items = []
    for i in range(40):
        day = f"2023-{rnd.randint(1, 6):02d}-{rnd.randint(1, 28):02d}"
        title = rnd.choice(cities) + rnd.choice(topics)
        items.append(f'<li><a href="./2023{day[5:7]}/t2023{day[5:7]}{day[8:]}_61{i:05d}.html" target="_blank" '
                     f'title="{title}">{title}</a><span>{day}</span></li>')
    return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>科技动态_潍坊市科学技术局</title>"
            "<meta name=\"SiteName\" content=\"潍坊市科学技术局\"><meta name=\"ColumnName\" content=\"科技动态\">"
            "</head><body><div class=\"header\"><img src=\"/images/logo.png\"></div>"
            "<div class=\"nav\"><a href=\"/\">首页</a><a href=\"/xxgk/\">信息公开</a><a href=\"/xwzx/kjdt/\">科技动态</a></div>"
            "<div class=\"position\">当前位置：<a href=\"/\">首页</a> &gt; 科技动态</div>"
            "<div class=\"list\"><ul>" + "\n".join(items) + "</ul></div>"
            "<div class=\"page\">共 15 页 <a href=\"index.html\">首页</a> <a>上一页</a> <a href=\"index_1.html\">1</a> "
            "<a href=\"index_2.html\">2</a> <a href=\"index_3.html\">3</a> <a href=\"index_1.html\">下一页</a> "
            "<a href=\"index_14.html\">尾页</a> 跳转到第 <input type=\"text\" size=\"2\"> 页</div>"
            "<div class=\"footer\">主办单位：潍坊市科学技术局　网站标识码：3707000023</div></body></html>").encode("utf-8")


def _big_page() -> bytes:
    """An article followed by ~10 MB of comment-board and link-list chrome."""
    head = article().replace("</body></html>", "")
    chunk = "".join(
        f'<li><a href="/xwzx/kjdt/2023/t2023_{i:07d}.html" title="科技动态第{i}条">潍坊市科技动态信息第{i}条</a>'
        f'<span>2023-02-21</span><p>网友留言：这是第{i}条网友评论内容，感谢政府的科技惠企政策。</p></li>'
        for i in range(200))
    parts = [head, '<div class="comments"><ul>']
    size = len(head.encode("utf-8"))
    while size < 10 * 1024 * 1024:
        parts.append(chunk)
        size += len(chunk.encode("utf-8"))
    parts.append("</ul></div></body></html>")
    return "".join(parts).encode("utf-8")


def _deep() -> bytes:
    depth = 100_000
    return (article(body_open="<div class=\"TRS_Editor\">" + "<div>" * depth,
                    body_close="</div>" * depth + "</div>")).encode("utf-8")


def _giant_attribute() -> bytes:
    blob = "A" * (5 * 1024 * 1024)
    return article(body_open=f'<div class="TRS_Editor" data-state="{blob}">').encode("utf-8")


def _nul_bytes() -> bytes:
    raw = article().encode("utf-8")
    raw = raw.replace(b"<p>", b"<p>\x00", 2).replace("科技政策".encode(), "科技\x00政策".encode(), 1)
    return b"\x00\x00" + raw.replace(b"</h1>", b"</h1>\x00\x00\x00")


def _invalid_utf8() -> bytes:
    raw = article().encode("utf-8")
    raw = raw.replace(b'<div class="nav">', b'<div class="nav">\xff\xfe\x80', 1)
    raw = raw.replace("共280余人".encode(), "共280余人".encode() + b"\xe4\xb8", 1)   # truncated sequence
    return raw.replace(b"</body>", b"\xc3\x28\xa0\xa1</body>")


def _utf16_no_bom() -> bytes:
    return article(charset="utf-16").encode("utf-16-le")


def _truncations() -> list[tuple[str, bytes]]:
    raw = (pagecases.PAGES_DIR / "trs_weifang_training.html").read_bytes()
    first = raw.index("2月20日".encode())
    offsets = {"1": 1, "50": 50, "head": raw.index(b"</head>"), "mid-first-paragraph": first + 31,
               "half": len(raw) // 2, "three-quarters": 3 * len(raw) // 4, "minus-10": len(raw) - 10}
    return [(f"truncated-{k}", raw[:v]) for k, v in offsets.items()]


CASES = [
    # name, raw, allowed statuses
    ("empty-bytes", b"", {"empty", "error"}),
    ("whitespace", b"  \r\n\t \n  ", {"empty", "error"}),
    ("png", _png(), {"error", "empty"}),
    ("pdf", _pdf(), {"error", "empty"}),
    ("json", _json(), {"error", "empty"}),
    ("plain-text", _plain_text(), ANY),
    *[(name, raw, ANY) for name, raw in _truncations()],
    ("nul-bytes", _nul_bytes(), ANY),
    ("invalid-utf8", _invalid_utf8(), ANY),
    ("utf16-no-bom", _utf16_no_bom(), ANY),
    ("giant-attribute", _giant_attribute(), ANY),
    ("ruishu-412", _ruishu(), {"blocked"}),
    ("login-wall", LOGIN_WALL.encode("utf-8"), NOT_OK),
    ("captcha", CAPTCHA.encode("utf-8"), NOT_OK),
    ("waf-block", WAF.encode("utf-8"), NOT_OK),
    ("not-found-404", NOT_FOUND.encode("utf-8"), NOT_OK),
    ("js-redirect", JS_REDIRECT.encode("utf-8"), NOT_OK),
    ("list-page", _list_page(), NOT_OK),
]


@pytest.fixture(scope="module")
def clean_fn():
    from cleaners import clean
    return clean


def check_contract(record, allowed=ANY):
    """The record contract that holds for every input."""
    assert isinstance(record, dict), f"clean() returned {type(record).__name__}"
    status = record.get("status")
    assert status in STATUSES, f"status {status!r}"
    required = json.loads(SCHEMA.read_text("utf-8"))["required"]
    assert not [k for k in required if k not in record], f"missing keys {[k for k in required if k not in record]}"
    if status != "ok":
        assert isinstance(record.get("reason"), str) and record["reason"].strip(), "no reason given"
        assert record.get("text") == "", "text must be empty when status is not ok"
    else:
        text = record.get("text") or ""
        assert text.strip(), "status ok with empty text"
        assert "\x00" not in text, "NUL in text"
        assert text.count("\ufffd") <= 2, f"{text.count(chr(0xFFFD))} U+FFFD in text: garbage decode"
        assert "</" not in text and "<p" not in text, "markup in text"
    assert status in allowed, f"status {status!r} (reason {record.get('reason')!r}), want one of {sorted(allowed)}"


def run(clean_fn, raw, **kw):
    started = time.perf_counter()
    record = clean_fn(raw, **kw)
    return record, time.perf_counter() - started


@pytest.mark.timeout(20)
@pytest.mark.parametrize("name, raw, allowed", CASES, ids=[c[0] for c in CASES])
def test_bad_input(clean_fn, name, raw, allowed):
    record, seconds = run(clean_fn, raw, url="http://kjj.weifang.gov.cn/xwzx/kjdt/202302/t20230221_6123456.html")
    check_contract(record, allowed)
    assert seconds < 10, f"took {seconds:.1f}s"


@pytest.mark.timeout(20)
@pytest.mark.parametrize("raw", ["<html><body><p>字符串不是字节</p></body></html>", None, 12345, ["<p>"]],
                         ids=["str", "None", "int", "list"])
def test_wrong_type_is_an_error_not_an_exception(clean_fn, raw):
    record, _ = run(clean_fn, raw)
    check_contract(record, {"error"})


@pytest.mark.timeout(20)
@pytest.mark.parametrize("wrap", [bytearray, memoryview], ids=["bytearray", "memoryview"])
def test_bytes_like_input_is_accepted(clean_fn, wrap):
    record, _ = run(clean_fn, wrap(article().encode("utf-8")))
    check_contract(record, {"ok"})


@pytest.mark.timeout(20)
def test_ten_megabyte_page(clean_fn):
    raw = _big_page()
    assert len(raw) >= 10 * 1024 * 1024
    record, seconds = run(clean_fn, raw, url="http://kjj.weifang.gov.cn/xwzx/kjdt/202302/t20230221_6123456.html")
    check_contract(record)
    assert seconds < 10, f"10 MB page took {seconds:.1f}s"
    assert record["status"] == "ok", record.get("reason")
    assert FIRST in record["text"]
    assert "网友留言" not in record["text"]


@pytest.mark.timeout(20)
def test_deeply_nested_page(clean_fn):
    record, seconds = run(clean_fn, _deep())
    check_contract(record)
    assert seconds < 10, f"100k-deep page took {seconds:.1f}s"
    if record["status"] == "ok":
        assert FIRST in record["text"]


# ---------------------------------------------------------------------------------------
# Damaged pages that still hold an article: the reader wants the article
# ---------------------------------------------------------------------------------------
DAMAGED = [
    ("giant-attribute", _giant_attribute(), None),
    ("nul-bytes", _nul_bytes(), None),
    ("invalid-utf8", _invalid_utf8(), None),
    ("utf16-no-bom", _utf16_no_bom(), None),
    ("truncated-after-body", None, None),
    ("bogus-header-charset", article().encode("utf-8"), {"Content-Type": "text/html; charset=utf8mb4"}),
    ("header-says-utf8-page-is-gbk", article(charset="gbk").encode("gbk"), {"Content-Type": "text/html; charset=UTF-8"}),
    ("no-charset-anywhere-gbk", article(charset=None).encode("gb18030"), None),
    ("header-says-gbk-page-is-utf8", article(charset="gbk").encode("utf-8"), {"Content-Type": "text/html; charset=gbk"}),
]


@pytest.mark.timeout(20)
@pytest.mark.parametrize("name, raw, headers", DAMAGED, ids=[d[0] for d in DAMAGED])
def test_damaged_page_keeps_article(clean_fn, name, raw, headers):
    if raw is None:
        page = (pagecases.PAGES_DIR / "trs_weifang_training.html").read_bytes()
        raw = page[: page.index(b'<div class="fujian">')]
    record, seconds = run(clean_fn, raw, headers=headers)
    check_contract(record, {"ok"})
    assert FIRST in record["text"], record["text"][:200]
    assert "\x00" not in record["text"]
    assert "\ufffd" not in record["text"][:60]
    assert seconds < 10


@pytest.mark.timeout(20)
def test_nul_inside_word_is_dropped(clean_fn):
    record, _ = run(clean_fn, _nul_bytes())
    assert "科技政策宣讲" in record.get("text", ""), "a NUL inside a word must not split or blank it"


@pytest.mark.timeout(20)
def test_invalid_utf8_is_reported(clean_fn):
    record, _ = run(clean_fn, _invalid_utf8())
    enc = record.get("encoding") or {}
    assert (enc.get("used") or "").lower().replace("_", "-") in ("utf-8", "utf8")
    assert enc.get("replacements", 0) > 0 or record.get("warnings"), \
        "undecodable bytes were neither counted nor warned about"


@pytest.mark.timeout(20)
def test_ruishu_shell_is_blocked_despite_meta(clean_fn):
    """The challenge shell carries the article's meta tags (title, date, a long Description):
    it must still be 'blocked', never an ok record made of the Description."""
    record, _ = run(clean_fn, _ruishu(), url="http://kjj.hebi.gov.cn/kjdt/202302/t20230221_1234567.html")
    check_contract(record, {"blocked"})
    assert record["text"] == ""
