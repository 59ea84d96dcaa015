"""A generated corpus of bad inputs for ``cleaners.clean`` and a guarded runner for it
(issue 4 §2). Nothing here is committed as data: :func:`corpus` builds every input from a
fixed seed and the pages in ``fixtures/pages/``, so each run tries the same bytes.

:func:`run_corpus` cleans every input in worker processes (one page at a time per worker),
with a per-page wall-clock limit: a page that is not done in time is a *hang* (its worker is
killed and replaced), a worker that raises or dies is a *crash*, and a returned record that
breaks the contract (schema, status, reason, text) is a *violation*.

``python -m tests.support.badcorpus`` prints the summary and the slowest pages.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import random
import resource
import time
import traceback
from dataclasses import dataclass, field
from multiprocessing.connection import wait as wait_connections

from tests.support.paths import PAGES, REPO

SCHEMA = REPO / "cleaners" / "schema" / "record.schema.json"
SEED = 20240401
PAGE_TIME_LIMIT = 10.0          # CPU seconds per page (the bound test_bad_input.py puts on 10 MB pages);
                                # a worker silent for twice that long on the wall clock is killed
STATUSES = {"ok", "empty", "error", "blocked"}
URL = "http://kjj.weifang.gov.cn/xwzx/kjdt/202302/t20230221_6123456.html"
MiB = 1024 * 1024

PARA = ("2月20日，潍坊市科学技术局在市民之家举办2023年科技政策宣讲暨项目申报培训会，全市各县市区科技管理部门"
        "负责同志，重点企业、高校和科研院所科研管理人员共280余人参加培训。")


@dataclass
class Case:
    name: str
    raw: bytes
    headers: dict | None = None
    url: str | None = URL


def seed_pages() -> list[tuple[str, bytes, dict | None]]:
    out = []
    for path in sorted(PAGES.glob("*.html")):
        expect = path.with_suffix(".expect.json")
        headers = json.loads(expect.read_text("utf-8")).get("headers") if expect.exists() else None
        out.append((path.stem, path.read_bytes(), headers))
    return out


def _article(body: str, *, charset: str | None = "utf-8", title: str = "潍坊市举办2023年科技政策宣讲暨项目申报培训会") -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return (f"<!DOCTYPE html><html><head>{meta}<title>{title}_潍坊市科学技术局</title>"
            f'<meta name="ArticleTitle" content="{title}"><meta name="PubDate" content="2023-02-21 09:30">'
            f"</head><body><h1>{title}</h1>{body}</body></html>")


def _fill(unit: str, size: int) -> str:
    return unit * (size // max(len(unit.encode("utf-8")), 1) + 1)


def _tag_soup(rnd: random.Random, n: int) -> bytes:
    tags = ["div", "p", "span", "a", "table", "tr", "td", "ul", "li", "h1", "script", "style", "b", "i",
            "br", "img", "iframe", "form", "input", "select", "option", "font", "center", "frameset", "svg",
            "math", "template", "textarea", "title", "meta", "noscript", "xmp", "plaintext", "html", "body", "head"]
    words = ["科技", "创新", "政策", "通知", "2023年", "发布时间：", "来源：", "&nbsp;", "&#12345;", "&amp", "&#x0;",
             "\u3000", "<", ">", "\"", "'", "=", "<!--", "-->", "]]>", "<![CDATA[", "\x00", "\ufeff", "\u202e"]
    out = []
    for _ in range(n):
        r = rnd.random()
        tag = rnd.choice(tags)
        if r < 0.35:
            attrs = "".join(f' {rnd.choice(["class", "id", "href", "src", "style", "content", "name", "x"])}'
                            f'="{rnd.choice(words)}{rnd.randrange(999)}"' for _ in range(rnd.randrange(4)))
            out.append(f"<{tag}{attrs}>")
        elif r < 0.6:
            out.append(f"</{tag}>")
        else:
            out.append(rnd.choice(words) * rnd.randrange(1, 6))
    data = "".join(out).encode("utf-8", "surrogatepass")
    if rnd.random() < 0.3:     # some raw bytes too
        pos = rnd.randrange(len(data) + 1)
        data = data[:pos] + bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 40))) + data[pos:]
    return data


def corpus(seed: int = SEED) -> list[Case]:
    """Every bad input, in a stable order (≥ 200)."""
    rnd = random.Random(seed)
    seeds = seed_pages()
    cases: list[Case] = []
    add = lambda name, raw, headers=None, url=URL: cases.append(Case(name, raw, headers, url))  # noqa: E731

    # 1. real pages truncated at random offsets (and at the edges)
    for stem, raw, headers in seeds:
        offsets = sorted({1, 2, 3, len(raw) - 1} | {rnd.randrange(4, len(raw) - 1) for _ in range(6)})
        for off in offsets:
            add(f"truncated/{stem}@{off}", raw[:off], headers)
    # 2. splices: the head of one page, the tail of another
    for i in range(10):
        (s1, a, h1), (_, b, _) = rnd.sample(seeds, 2)
        add(f"spliced/{i}-{s1}", a[:rnd.randrange(len(a))] + b[rnd.randrange(len(b)):], h1)
    # 3. binary
    for size in (1, 2, 16, 512, 4096, 65536, 1 * MiB):
        add(f"binary/random-{size}", rnd.randbytes(size))
    add("binary/png-header", b"\x89PNG\r\n\x1a\n" + rnd.randbytes(30000))
    add("binary/gzip-not-decoded", b"\x1f\x8b\x08\x00" + rnd.randbytes(20000), {"Content-Type": "text/html"})
    add("binary/zip-docx", b"PK\x03\x04" + rnd.randbytes(20000), {"Content-Type": "text/html; charset=utf-8"})
    add("binary/exe", b"MZ\x90\x00" + bytes(60) + b"PE\x00\x00" + rnd.randbytes(10000))
    add("binary/all-ff", b"\xff" * 100000)
    add("binary/high-bytes-html", b"<html><body><p>" + bytes(rnd.randrange(128, 256) for _ in range(20000)) + b"</p></body></html>")
    # 4. NUL bytes
    for stem, raw, headers in seeds:
        b = bytearray(raw)
        for _ in range(rnd.randrange(1, 50)):
            b.insert(rnd.randrange(len(b) + 1), 0)
        add(f"nul/sprinkled-{stem}", bytes(b), headers)
    add("nul/only", bytes(100000))
    add("nul/between-every-byte", b"\x00".join(bytes([c]) for c in _article(f"<p>{PARA}</p>").encode("utf-8")))
    add("nul/prefix-1mib", bytes(MiB) + _article(f"<p>{PARA}</p>").encode("utf-8"))
    # 5. invalid UTF-8 in pages declared UTF-8
    bad_sequences = [b"\xff", b"\xc3", b"\xe6\x96", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xc0\xaf", b"\x80\x80", b"\xfe\xff"]
    for stem, raw, headers in seeds:
        b = bytearray(raw)
        for _ in range(rnd.randrange(1, 200)):
            pos = rnd.randrange(len(b))
            b[pos:pos] = rnd.choice(bad_sequences)
        add(f"invalid-utf8/{stem}", bytes(b), {"Content-Type": "text/html; charset=utf-8"})
    add("invalid-utf8/lone-surrogates", _article(f"<p>{PARA}</p>").encode("utf-8").replace("科技".encode(), b"\xed\xa0\x80\xed\xbf\xbf"))
    add("invalid-utf8/overlong-markup", _article(f"<p>{PARA}</p>").encode("utf-8").replace(b"<", b"\xc0\xbc"))
    # 6. charset lies
    body = _article(f"<p>{PARA}</p><p>{PARA}</p>", charset=None)
    lies = [
        ("utf8-declared-gbk-header", body.encode("utf-8"), {"Content-Type": "text/html; charset=gbk"}),
        ("gbk-declared-utf8-header", body.encode("gbk"), {"Content-Type": "text/html; charset=utf-8"}),
        ("gbk-declared-utf8-meta", _article(f"<p>{PARA}</p>", charset="utf-8").encode("gbk"), None),
        ("utf8-declared-big5-meta", _article(f"<p>{PARA}</p>", charset="big5").encode("utf-8"), None),
        ("big5-declared-gb2312", _article(f"<p>{PARA}</p>", charset="gb2312").encode("big5", "replace"), None),
        ("utf16le-declared-utf8", _article(f"<p>{PARA}</p>", charset="utf-8").encode("utf-16-le"), None),
        ("utf16be-bom-declared-gbk", b"\xfe\xff" + _article(f"<p>{PARA}</p>", charset="gbk").encode("utf-16-be"), None),
        ("utf32-declared", _article(f"<p>{PARA}</p>", charset="utf-32").encode("utf-32"), None),
        ("utf7-declared", _article(f"<p>{PARA}</p>", charset="utf-7").encode("utf-8"), None),
        ("unknown-charset", body.encode("utf-8"), {"Content-Type": "text/html; charset=x-no-such-charset"}),
        ("empty-charset", body.encode("utf-8"), {"Content-Type": "text/html; charset="}),
        ("charset-quotes", body.encode("gbk"), {"Content-Type": 'text/html; charset="\'gbk\'"'}),
        ("two-meta-conflict", ("<meta charset='big5'><meta http-equiv='Content-Type' content='text/html; charset=shift_jis'>"
                               + body).encode("gbk"), None),
        ("header-bytes", body.encode("gbk"), {b"Content-Type": b"text/html; charset=\xff\xfe"}),
        ("header-list", body.encode("gbk"), {"Content-Type": ["text/html; charset=utf-8", "text/html; charset=gbk"]}),
        ("bom-utf8-declared-gbk", b"\xef\xbb\xbf" + _article(f"<p>{PARA}</p>", charset="gbk").encode("utf-8"), None),
        ("xml-decl-ebcdic", b'<?xml version="1.0" encoding="cp500"?>' + body.encode("utf-8"), None),
        ("shift-jis-declared-gbk", _article("<p>日本語のテキストです。科学技術の政策について説明します。</p>" * 5, charset="gbk").encode("shift_jis", "replace"), None),
    ]
    for name, raw, headers in lies:
        add(f"charset-lie/{name}", raw, headers)
    # 7. deep nesting (100k)
    depth = 100_000
    add("deep/div-100k", _article("<div>" * depth + f"<p>{PARA}</p>" + "</div>" * depth).encode("utf-8"))
    add("deep/div-100k-unclosed", _article("<div>" * depth + f"<p>{PARA}</p>").encode("utf-8"))
    add("deep/b-i-100k", _article("<b><i>" * (depth // 2) + PARA).encode("utf-8"))
    add("deep/a-100k", _article("<a href='/x'>" * depth + PARA).encode("utf-8"))
    add("deep/span-p-100k", _article("<span><p>" * (depth // 2) + PARA).encode("utf-8"))
    add("deep/ul-li-100k", _article("<ul><li>" * (depth // 2) + PARA).encode("utf-8"))
    add("deep/table-100k", _article("<table><tr><td>" * (depth // 3) + PARA).encode("utf-8"))
    add("deep/tables-1000-closed", _article("<table><tr><td>" * 1000 + f"<p>{PARA}</p>" + "</td></tr></table>" * 1000).encode("utf-8"))
    add("deep/svg-100k", _article("<svg><g>" * (depth // 2) + PARA).encode("utf-8"))
    # 8. 10 MB pages
    ten = 10 * MiB
    add("big/one-paragraph-10mb", _article("<p>" + _fill(PARA, ten) + "</p>").encode("utf-8"))
    add("big/paragraphs-10mb", _article(_fill(f"<p>{PARA}</p>", ten)).encode("utf-8"))
    add("big/link-list-10mb", _article("<ul>" + _fill('<li><a href="/kjdt/t2023_1.html">科技动态信息</a><span>2023-02-21</span></li>', ten) + "</ul>").encode("utf-8"))
    add("big/nav-links-10mb", ("<html><body>" + "".join(f'<a href="/lm{i}/">栏目{i}</a>' for i in range(1))
                               + _fill('<a href="/lm/">栏目导航</a>', ten) + "</body></html>").encode("utf-8"))
    add("big/table-10mb", _article("<table>" + _fill("<tr><td>科技</td><td>2023</td><td>创新</td></tr>", ten) + "</table>").encode("utf-8"))
    add("big/comment-10mb", _article(f"<p>{PARA}</p><!--" + _fill("注释", ten) + f"--><p>{PARA}</p>").encode("utf-8"))
    add("big/script-10mb", _article(f"<p>{PARA}</p><script>var a='" + _fill("x", ten) + "';</script>").encode("utf-8"))
    add("big/no-tags-10mb", _fill(PARA, ten).encode("utf-8"))
    add("big/whitespace-10mb", b" \n\t\r" * (ten // 4))
    add("big/entities-10mb", _article("<p>" + _fill("&#31185;&#25216;&amp;&nbsp;", ten) + "</p>").encode("utf-8"))
    add("big/20mb-over-cut", _article(_fill(f"<p>{PARA}</p>", 20 * MiB)).encode("utf-8"))
    # 9. giant attributes / many attributes
    add("attr/5mb-value", _article(f'<div class="TRS_Editor" data-x="{"A" * (5 * MiB)}"><p>{PARA}</p></div>').encode("utf-8"))
    add("attr/unclosed-quote-to-eof", _article(f'<div class="TRS_Editor" title="{PARA * 1000}').encode("utf-8"))
    add("attr/100k-attributes", _article("<div " + " ".join(f"a{i}='{i}'" for i in range(100_000)) + f"><p>{PARA}</p></div>").encode("utf-8"))
    add("attr/100k-duplicate-class", _article("<div " + "class='x' " * 100_000 + f"><p>{PARA}</p></div>").encode("utf-8"))
    add("attr/100k-class-names", _article("<div class='" + " ".join(f"c{i}" for i in range(100_000)) + f"'><p>{PARA}</p></div>").encode("utf-8"))
    add("attr/giant-href-links", _article("".join(f"<a href='/{'x' * 100_000}{i}'>链接{i}</a>" for i in range(50)) + f"<p>{PARA}</p>").encode("utf-8"))
    add("attr/meta-content-5mb", _article(f"<p>{PARA}</p>").replace("</head>", f'<meta name="Description" content="{"描述" * MiB}"></head>').encode("utf-8"))
    add("attr/giant-title-1mb", _article(f"<p>{PARA}</p>", title="标题" * 300_000).encode("utf-8"))
    # 10. unclosed constructs
    unclosed = {
        "comment": "<!--", "script": "<script>", "style": "<style>", "cdata": "<![CDATA[", "textarea": "<textarea>",
        "title": "<title>", "plaintext": "<plaintext>", "xmp": "<xmp>", "noscript": "<noscript>", "iframe": "<iframe>",
        "tag": "<div class='TRS_Editor'", "doctype": "<!DOCTYPE html", "pi": "<?php echo 1; ",
    }
    for name, opener in unclosed.items():
        add(f"unclosed/{name}-early", (opener + _article(f"<p>{PARA}</p>" * 3)).encode("utf-8"))
        add(f"unclosed/{name}-mid", _article(f"<p>{PARA}</p>" + opener + f"<p>{PARA}</p>" * 3).encode("utf-8"))
    # 11. random tag soup
    for i in range(30):
        add(f"soup/{i}", _tag_soup(rnd, rnd.choice((10, 100, 1000, 5000))))
    # 12. odd bits
    add("odd/empty", b"")
    add("odd/whitespace", b" \r\n\t\x0c\x0b ")
    add("odd/bom-only", b"\xef\xbb\xbf")
    add("odd/bom-utf16-only", b"\xff\xfe")
    add("odd/numeric-entities", _article("<p>" + "&#0;&#xD800;&#99999999999999;&#x110000;&#-1;&#;" * 1000 + PARA + "</p>").encode("utf-8"))
    add("odd/controls", _article("<p>" + "".join(chr(c) for c in range(1, 32)) * 100 + PARA + "</p>").encode("utf-8"))
    add("odd/bidi-and-zero-width", _article(f"<p>\u202e{PARA}\u200b\u200d\ufeff{PARA}\u2066</p>").encode("utf-8"))
    add("odd/private-use-and-astral", _article(f"<p>{PARA}\ue000\U0010fffd\U0001f600𠀀𪚥{PARA}</p>").encode("utf-8"))
    add("odd/only-html-shell", b"<html><head></head><body></body></html>")
    add("odd/xml-not-html", b'<?xml version="1.0"?><rss><channel><item><title>t</title></item></channel></rss>')
    add("odd/json", json.dumps({"title": "科技", "content": PARA}, ensure_ascii=False).encode("utf-8"))
    add("odd/bad-url", _article(f"<p>{PARA}</p>").encode("utf-8"), None, "http://[::1/\x00bad url")
    add("odd/data-url", _article(f"<p>{PARA}</p>").encode("utf-8"), None, "data:text/html,<p>x</p>")
    add("odd/base-href-garbage", _article(f"<p>{PARA}</p><a href='javascript:alert(1)'>x</a><img src='http://[x'>")
        .replace("<head>", "<head><base href='http://[::bad'>").encode("utf-8"))
    add("odd/dates-garbage", _article(f"<p>发布时间：9999-99-99 99:99 {PARA}</p><p>发布时间：0000-00-00</p>")
        .replace("2023-02-21 09:30", "2023-02-30 25:61").encode("utf-8"), None,
        "http://x.gov.cn/202399/t20239999_1.html")
    add("odd/huge-numbers-in-dates", _article(f"<p>发布时间：{'9' * 5000}年{'9' * 5000}月 {PARA}</p>").encode("utf-8"))
    add("odd/ruishu-truncated", b'<html><head><meta r="m" content="x"><script r="m">$_ts=window[\'$_ts\'];$_ts.nsd=1;$_ts.cd="')
    add("odd/frameset", b"<html><frameset><frame src='a.html'><frame src='b.html'></frameset></html>")
    return cases


# -- checking one record --------------------------------------------------------------------
_validator = None


def contract_problems(record) -> list[str]:
    """What is wrong with ``record`` under clean()'s contract (empty list: nothing)."""
    global _validator
    if not isinstance(record, dict):
        return [f"not a dict: {type(record).__name__}"]
    problems = []
    if _validator is None:
        import jsonschema
        _validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text("utf-8")))
    for err in list(_validator.iter_errors(record))[:3]:
        problems.append(f"schema: {'/'.join(map(str, err.path))}: {err.message[:120]}")
    status = record.get("status")
    if status not in STATUSES:
        problems.append(f"status {status!r}")
    elif status != "ok":
        if not (isinstance(record.get("reason"), str) and record["reason"].strip()):
            problems.append("not ok without a reason")
        if record.get("text"):
            problems.append("text kept although not ok")
    else:
        text = record.get("text") or ""
        if not text.strip():
            problems.append("ok with empty text")
        if "\x00" in text:
            problems.append("NUL in text")
        if "\ufffd" in text:
            problems.append("U+FFFD in text")
    return problems


# -- the guarded runner --------------------------------------------------------------------
def _worker_main(conn) -> None:
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from cleaners import clean
    while True:
        job = conn.recv()
        if job is None:
            return
        raw, headers, url = job
        started, cpu = time.perf_counter(), time.process_time()
        try:
            record = clean(raw, url=url, headers=headers)
            result = {"kind": "ok", "status": record.get("status") if isinstance(record, dict) else None,
                      "reason": record.get("reason") if isinstance(record, dict) else None,
                      "problems": contract_problems(record)}
        except BaseException as exc:     # clean() must never raise
            result = {"kind": "crash", "error": f"{type(exc).__name__}: {exc}"[:300],
                      "traceback": traceback.format_exc()[-2000:]}
        result["seconds"] = time.perf_counter() - started
        result["cpu_seconds"] = time.process_time() - cpu
        result["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        conn.send(result)


class _Worker:
    def __init__(self, ctx):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child,), daemon=True)
        self.proc.start()
        child.close()
        self.job: int | None = None
        self.deadline = 0.0

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()


@dataclass
class Outcome:
    name: str
    kind: str                 # ok | crash | hang | died
    status: str | None = None
    reason: str | None = None
    problems: list = field(default_factory=list)
    seconds: float = 0.0
    maxrss_mb: float = 0.0
    error: str | None = None


@dataclass
class CorpusResult:
    outcomes: list[Outcome]
    seconds: float

    @property
    def tried(self) -> int:
        return len(self.outcomes)

    @property
    def crashes(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.kind in ("crash", "died")]

    @property
    def hangs(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.kind == "hang"]

    @property
    def violations(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.problems]

    @property
    def lost(self) -> int:
        """Inputs that did not come back as a valid record (crash, hang or broken record)."""
        return sum(1 for o in self.outcomes if o.kind != "ok" or o.problems)

    def summary(self) -> str:
        statuses: dict = {}
        for o in self.outcomes:
            statuses[o.status or o.kind] = statuses.get(o.status or o.kind, 0) + 1
        slow = sorted(self.outcomes, key=lambda o: -o.seconds)[:5]
        lines = [f"{self.tried} inputs in {self.seconds:.1f}s: {len(self.crashes)} crashes, {len(self.hangs)} hangs, "
                 f"{len(self.violations)} contract violations; statuses {dict(sorted(statuses.items()))}",
                 "slowest: " + ", ".join(f"{o.name} {o.seconds:.1f}s" for o in slow),
                 f"largest worker RSS: {max((o.maxrss_mb for o in self.outcomes), default=0):.0f} MB"]
        for o in self.crashes + self.hangs + self.violations:
            lines.append(f"  {o.kind.upper():6} {o.name}: {o.error or '; '.join(o.problems)}")
        return "\n".join(lines)


def run_cases(cases: list[Case], *, workers: int = 2, limit: float = PAGE_TIME_LIMIT) -> CorpusResult:
    """Clean every case in ``workers`` processes with a per-page wall-clock ``limit``."""
    ctx = multiprocessing.get_context("spawn")
    started = time.perf_counter()
    outcomes: list[Outcome | None] = [None] * len(cases)
    pool = [_Worker(ctx) for _ in range(max(1, min(workers, len(cases))))]
    pending = list(range(len(cases)))[::-1]
    try:
        while pending or any(w.job is not None for w in pool):
            for i, w in enumerate(pool):
                if w.job is None and pending:
                    w.job = pending.pop()
                    c = cases[w.job]
                    try:
                        w.conn.send((c.raw, c.headers, c.url))
                    except (BrokenPipeError, OSError):
                        outcomes[w.job] = Outcome(c.name, "died", error="worker pipe broken")
                        w.kill()
                        pool[i] = _Worker(ctx)
                        continue
                    # the first job of a fresh worker also pays for importing the cleaners
                    w.deadline = time.perf_counter() + 2 * limit + (15 if not getattr(w, "warm", False) else 0)
            busy = [w for w in pool if w.job is not None]
            ready = wait_connections([w.conn for w in busy], timeout=0.2) if busy else []
            now = time.perf_counter()
            for i, w in enumerate(pool):
                if w.job is None:
                    continue
                c = cases[w.job]
                if w.conn in ready:
                    try:
                        res = w.conn.recv()
                    except (EOFError, OSError):
                        outcomes[w.job] = Outcome(c.name, "died", error=f"worker died (exit {w.proc.exitcode})",
                                                  seconds=limit)
                        w.kill()
                        pool[i] = _Worker(ctx)
                        continue
                    w.warm = True
                    # a page over the limit that still finished is a hang all the same (CPU time:
                    # a loaded machine must not turn a slow page into a hang)
                    kind = res["kind"] if res["cpu_seconds"] <= limit else "hang"
                    outcomes[w.job] = Outcome(c.name, kind, res.get("status"), res.get("reason"),
                                              res.get("problems", []), res["seconds"], res["maxrss_mb"],
                                              res.get("error") or (f"took {res['cpu_seconds']:.1f}s CPU" if kind == "hang" else None))
                    w.job = None
                elif now > w.deadline or not w.proc.is_alive():
                    hang = w.proc.is_alive()
                    outcomes[w.job] = Outcome(c.name, "hang" if hang else "died", seconds=limit,
                                              error=f"no record after {2 * limit:.0f}s wall clock (killed)" if hang
                                              else f"worker died (exit {w.proc.exitcode})")
                    w.kill()
                    pool[i] = _Worker(ctx)
    finally:
        for w in pool:
            try:
                w.conn.send(None)
            except OSError:
                pass
            w.proc.join(2)
            w.kill()
    return CorpusResult([o for o in outcomes if o is not None], time.perf_counter() - started)


def run_corpus(seed: int = SEED, workers: int = 2, limit: float = PAGE_TIME_LIMIT) -> CorpusResult:
    return run_cases(corpus(seed), workers=workers, limit=limit)


if __name__ == "__main__":
    t = time.perf_counter()
    cases = corpus()
    print(f"{len(cases)} inputs generated in {time.perf_counter() - t:.1f}s "
          f"({sum(len(c.raw) for c in cases) / MiB:.0f} MiB)")
    result = run_cases(cases, workers=int(os.environ.get("WORKERS", "2")))
    print(result.summary())
