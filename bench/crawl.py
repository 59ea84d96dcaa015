"""Crawl throughput: crawl + clean + store beside a bare Scrapy crawl, same site, same run.

Generates a TRS-like site of N articles (default 2,000; 20 per list page; each article's
sentences drawn at random, so that articles are as unlike each other as real news) served by the
loopback fixture server, then crawls it with the real ``site`` spider:

- bare:  no item pipelines, no store (download + link finding only),
- full:  clean (process pool) + validate + bulk upserts into the embedded default store
         (SecantusDB, standalone, as govnews runs it; a thread of this process: its CPU is
         the "database" column),
- warc:  full + every page written to the WARC archive (GOVNEWS_WARC), so the archive's cost
         is warc ÷ full of the same round (--no-warc leaves it out),
- inline (with --inline): the same with cleaning in the reactor thread, to show the stall,
- nodedupe (with --dedupe): full with GOVNEWS_DEDUPE_ENABLED=0 (no signatures, no clusters),
         so what finding republished copies costs is full ÷ nodedupe of the same round.

Prints pages/s (responses / crawl seconds), the ratio to bare, the reactor's worst lag and
the crawl's peak RSS (crawl process + its cleaning workers, sampled from /proc), then the CPU
split by stage: the reactor thread, what items add to it over the bare crawl, the crawler's
other threads, the cleaning workers, the database server and the fixture server.

    python -m bench.crawl [--articles 2000] [--rounds 3] [--inline] [--no-store] [--no-warc] [--dedupe]

Bare, full and warc runs alternate (``--rounds`` rounds, full and warc in turn first); the
figures are medians of each round's full ÷ bare and warc ÷ full, since a shared machine's
speed drifts by a quarter between runs.
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from cleaners.script import simplified_chars
from crawler.fixtureserver import FixtureServer
from crawler.runner import LOCAL_FAST, crawl_command, crawl_env
from storage.embedded import embedded_server

HOST = "kjj.bench.gov.cn"
PER_PAGE = 20
# Real government pages carry 20–80 KB of furniture around the article: menus, sidebars,
# link lists, scripts, footers. The generated pages do too (≈30 KB each).
NOISE = ("<script>var _hmt=_hmt||[];(function(){var hm=document.createElement('script');})();</script>"
         "<div class='nav'>" + "".join(f"<a href='/c{i}/'>栏目名称{i}</a>" for i in range(80)) + "</div>"
         + "".join(f"<div class='side'><h3>{t}</h3><ul>" + "".join(
             f"<li><a href='/kjdt/2022{k % 12 + 1:02d}/t2022{k % 12 + 1:02d}01_{k}.html'>关于开展{t}相关工作的通知第{k}号</a>"
             f"<span>2022-{k % 12 + 1:02d}-01</span></li>" for k in range(15)) + "</ul></div>"
             for t in ("热点新闻", "通知公告", "政策文件", "点击排行"))
         + "<div class='links'>" + "".join(f"<a href='http://www{i}.gov.cn/'>相关网站{i}</a>" for i in range(40)) + "</div>")


# Each article's sentences are drawn from a vocabulary of 20,000 words of common simplified
# characters (GB2312), Zipf-weighted as words are, with a stock phrase now and then. Different
# news share as little text as this: over 5-character shingles, the pairwise Jaccard
# similarity of the evaluation set's articles is 0.000 at the median and 0.002 at the 99th
# percentile (none of its 5,356 pairs shares an LSH band); these articles give 0.011 and
# 0.022 (none of 11,175 pairs shares a band). Sentences put together from a few dozen stock
# phrases gave 0.14: 0.7% of pairs shared a band, so every stored article became a candidate
# copy of the next ones, which real news is not.
_STOCK = ("科技型中小企业评价", "高新技术企业认定", "农业科技示范基地建设", "关键核心技术攻关", "研发费用加计扣除政策",
          "科技成果转移转化", "创新平台绩效评估", "科技金融服务", "人才引进培养", "技术合同登记", "产学研协同创新")


def _vocabulary() -> tuple[list[str], list[float]]:
    chars = []
    for code in range(0x4E00, 0xA000):
        try:
            char = chr(code).encode("gb2312").decode("gb2312")
        except UnicodeError:
            continue
        if simplified_chars(char) == char:      # GB2312 holds a few characters t2s would change
            chars.append(char)
    rng = random.Random(2024)
    rng.shuffle(chars)
    words = ["".join(rng.choices(chars, k=rng.choice((2, 2, 3, 4)))) for _ in range(20_000)]
    return words, list(itertools.accumulate(1 / (rank + 1) for rank in range(len(words))))


_WORDS, _WORD_WEIGHTS = _vocabulary()


def _sentence(rng: random.Random) -> str:
    words = "".join(rng.choices(_WORDS, cum_weights=_WORD_WEIGHTS, k=rng.randrange(6, 14)))
    stock = rng.choice(_STOCK) if rng.random() < 0.3 else ""
    tail = "".join(rng.choices(_WORDS, cum_weights=_WORD_WEIGHTS, k=3))
    return f"{words}{stock}，{rng.randrange(3, 300)}{tail}。"


def article_html(i: int) -> str:
    rng = random.Random(i)
    paras = "".join(f"<p>{''.join(_sentence(rng) for _ in range(3))}</p>" for _ in range(8))
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>科技动态{i}_测试科技局</title>"
            f"<meta name='ArticleTitle' content='测试科技局工作动态第{i}期'><meta name='PubDate' content='2023-03-{i % 28 + 1:02d} 09:00'>"
            f"<meta name='ContentSource' content='测试科技局'></head><body>{NOISE}<h1>测试科技局工作动态第{i}期</h1>"
            f"<div class='info'>发布时间：2023-03-{i % 28 + 1:02d} 来源：测试科技局</div><div class='TRS_Editor'>{paras}</div>"
            f"{NOISE}<div class='footer'>版权所有 ICP备05000001号 网站标识码：1234</div></body></html>")


def build_site(root: Path, articles: int) -> int:
    site = root / HOST / "kjdt"
    pages = (articles + PER_PAGE - 1) // PER_PAGE
    for p in range(pages):
        items = []
        for i in range(p * PER_PAGE, min(articles, (p + 1) * PER_PAGE)):
            rel = f"2023{i % 12 + 1:02d}/t2023{i % 12 + 1:02d}{i % 28 + 1:02d}_{100000 + i}.html"
            path = site / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(article_html(i), "utf-8")
            items.append(f"<li><a href='./{rel}'>工作动态第{i}期</a><span>2023-03-01</span></li>")
        name = "index.html" if p == 0 else f"index_{p}.html"
        (site / name).write_text(f"<html><body><ul>{''.join(items)}</ul>"
                                 f"<script>createPageHTML({pages}, {p}, 'index', 'html');</script></body></html>", "utf-8")
    (root / HOST / "robots.txt").write_text("User-agent: *\nDisallow:\n")
    return pages


TICK = os.sysconf("SC_CLK_TCK")
CORES = os.cpu_count() or 1


def tree_rss_kb(pid: int, cpu: dict | None = None) -> int:
    """RSS of ``pid`` and its descendants; records each one's CPU seconds in ``cpu``."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            if cpu is not None:
                fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
                cpu[p] = (int(fields[11]) + int(fields[12])) / TICK
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            pass
    return total


def thread_cpu(pid: int, seen: dict) -> None:
    """CPU seconds of each thread of ``pid`` into ``seen`` (tid → seconds, the latest reading)."""
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except FileNotFoundError:
        return
    for task in tasks:
        try:
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        seen[int(task.name)] = (int(fields[11]) + int(fields[12])) / TICK


def _cpu_of(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def crawl(label: str, settings: dict, env: dict, tmp: Path, server_pid: int) -> dict:
    stats_file = tmp / f"{label}.stats.json"
    all_settings = {**LOCAL_FAST, "CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
                    "GOVNEWS_MAX_PAGES_PER_LIST": 100000, "LOG_FILE": str(tmp / f"{label}.log"),
                    "LOG_LEVEL": "INFO", "GOVNEWS_STATS_FILE": str(stats_file), **settings}
    cmd = crawl_command(start_url=f"http://{HOST}/kjdt/index.html", settings=all_settings)
    proc = subprocess.Popen(cmd, env=crawl_env(env))
    peak, cpu, threads = [0], {}, {}
    server_cpu0, own_cpu0 = _cpu_of(server_pid), _cpu_of(os.getpid())

    def sample():
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_rss_kb(proc.pid, cpu))
            thread_cpu(proc.pid, threads)
            time.sleep(0.1)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    proc.wait()
    sampler.join()
    stats = json.loads(stats_file.read_text("utf-8"))
    pages = stats.get("response_received_count", 0)
    secs = stats.get("elapsed_time_seconds") or 1
    return {"label": label, "pages": pages, "seconds": secs, "pages_per_s": pages / secs,
            "items": stats.get("item_scraped_count", 0), "stored": stats.get("govnews/mongo/inserted", 0)
            + stats.get("govnews/mongo/updated", 0) + stats.get("govnews/mongo/unchanged", 0),
            "max_lag_ms": stats.get("govnews/reactor/max_lag_ms", 0),
            "lag_over_100ms": stats.get("govnews/reactor/lag_over_100ms", 0), "peak_rss_mb": peak[0] / 1024,
            "clean_s": stats.get("govnews/clean/ms_total", 0) / 1000, "store_s": stats.get("govnews/mongo/ms_total", 0) / 1000,
            "cpu_crawler": cpu.get(proc.pid, 0), "cpu_reactor": threads.get(proc.pid, 0),
            # the crawler's other threads: the pool's feeder and result threads, spool writes,
            # the database client (BSON, sockets), DNS
            "cpu_threads": sum(v for k, v in threads.items() if k != proc.pid), "cpu_cleaners": sum(v for k, v in cpu.items() if k != proc.pid),
            "cpu_server": _cpu_of(server_pid) - server_cpu0, "rc": proc.returncode,
            # this process runs the SecantusDB server (a thread) and the RSS sampler
            "cpu_db": _cpu_of(os.getpid()) - own_cpu0, "gc_s": stats.get("govnews/gc/ms_total", 0) / 1000,
            "warc_mb": stats.get("govnews/warc/bytes", 0) / 1e6, "warc_records": stats.get("govnews/warc/responses", 0),
            "warc_cpu_s": stats.get("govnews/warc/cpu_us", 0) / 1e6, "stats": stats}


def print_cpu_split(runs: list[dict]) -> None:
    """Where the CPU of each kind of run goes, medians over its rounds, in CPU seconds."""
    print("CPU s per stage (median of rounds): reactor = the crawler's main thread (downloads, spider, the "
          "pipelines' own code); items = reactor − bare reactor of the same round; threads = the crawler's "
          "other threads (feeding the pool, spool, database client)")
    print(f"{'run':<7} {'reactor':>8} {'items':>6} {'threads':>8} {'cleaners':>9} {'database':>9} {'fixtures':>9} "
          f"{'total':>6} {f'{CORES} × wall':>8} {'ms/page':>8}")
    for label in dict.fromkeys(r["label"] for r in runs):
        rs = [r for r in runs if r["label"] == label]

        def med(fn) -> float:
            return statistics.median(fn(r) for r in rs)
        total = med(lambda r: r["cpu_crawler"] + r["cpu_cleaners"] + r["cpu_db"] + r["cpu_server"])
        items = med(lambda r: r["cpu_reactor"] - r["bare_reactor"]) if "bare_reactor" in rs[0] else 0.0
        print(f"{label:<7} {med(lambda r: r['cpu_reactor']):>8.1f} {items:>6.1f} {med(lambda r: r['cpu_threads']):>8.1f} "
              f"{med(lambda r: r['cpu_cleaners']):>9.1f} {med(lambda r: r['cpu_db']):>9.1f} "
              f"{med(lambda r: r['cpu_server']):>9.1f} {total:>6.1f} {med(lambda r: CORES * r['seconds']):>8.1f} "
              f"{med(lambda r: 1e3 * (r['cpu_crawler'] + r['cpu_cleaners'] + r['cpu_db'] + r['cpu_server']) / max(r['pages'], 1)):>8.2f}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3, help="bare/full pairs to run (the ratio is their median)")
    parser.add_argument("--inline", action="store_true", help="also run with cleaning inline (no process pool)")
    parser.add_argument("--no-store", action="store_true", help="also run crawl + clean without the store")
    parser.add_argument("--no-warc", action="store_true", help="leave out the runs that write the WARC archive")
    parser.add_argument("--dedupe", action="store_true", help="also a run with dedupe off per round (on ÷ off)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="govnews-bench-") as tmp_name:
        tmp = Path(tmp_name)
        lists = build_site(tmp / "sites", args.articles)
        print(f"site: {args.articles} articles on {lists} list pages ({HOST}, loopback); {os.cpu_count()} cores")
        with FixtureServer(tmp / "sites") as server, embedded_server(tmp / "db") as db_uri:
            env = {"http_proxy": server.proxy_url, "no_proxy": "", "GOVNEWS_MONGO_URI": db_uri}
            runs = []
            for n in range(1, args.rounds + 1):     # alternate, so drift on a shared machine hits all
                bare = crawl("bare", {"ITEM_PIPELINES": {}, "GOVNEWS_MONGO_ENABLED": False}, env, tmp, server.proc.pid)
                order = ["full", "warc"] if n % 2 else ["warc", "full"]
                done = {}
                for label in order if not args.no_warc else ["full"]:
                    warc = {"GOVNEWS_WARC": True, "GOVNEWS_WARC_DIR": str(tmp / f"warc-{n}")} if label == "warc" else {}
                    done[label] = crawl(label, {"GOVNEWS_MONGO_DB": f"bench_{label}_{n}", **warc}, env, tmp,
                                        server.proc.pid)
                    done[label]["ratio"] = done[label]["pages_per_s"] / bare["pages_per_s"]
                    done[label]["bare_reactor"] = bare["cpu_reactor"]
                if "warc" in done:
                    done["warc"]["warc_cost"] = done["warc"]["pages_per_s"] / done["full"]["pages_per_s"]
                if args.dedupe:
                    off = crawl("nodedupe", {"GOVNEWS_MONGO_DB": f"bench_nodedupe_{n}", "GOVNEWS_DEDUPE_ENABLED": False},
                                env, tmp, server.proc.pid)
                    off["ratio"] = off["pages_per_s"] / bare["pages_per_s"]
                    done["full"]["dedupe_cost"] = done["full"]["pages_per_s"] / off["pages_per_s"]
                    done["nodedupe"] = off
                runs += [bare, done["full"]] + [done[k] for k in ("warc", "nodedupe") if k in done]
            if args.no_store:
                runs.append(crawl("nostore", {"GOVNEWS_MONGO_ENABLED": False}, env, tmp, server.proc.pid))
            if args.inline:
                runs.append(crawl("inline", {"GOVNEWS_MONGO_DB": "bench_inline", "GOVNEWS_CLEAN_WORKERS": 0}, env, tmp, server.proc.pid))
    bare = statistics.median(r["pages_per_s"] for r in runs if r["label"] == "bare")
    print(f"{'run':<7} {'pages':>6} {'secs':>7} {'pages/s':>8} {'× bare':>7} {'stored':>6} {'max lag ms':>10} {'lags>100ms':>10} {'peak RSS MB':>11} {'clean wait s':>12} {'store s':>7} {'GC s':>5}  CPU s: crawler / cleaners / database / fixture server")
    for r in runs:
        ratio = r.get("ratio", r["pages_per_s"] / bare)
        print(f"{r['label']:<7} {r['pages']:>6} {r['seconds']:>7.1f} {r['pages_per_s']:>8.1f} {ratio:>7.2f} "
              f"{r['stored']:>6} {r['max_lag_ms']:>10} {r['lag_over_100ms']:>10} {r['peak_rss_mb']:>11.0f} {r['clean_s']:>12.1f} {r['store_s']:>7.1f} {r['gc_s']:>5.1f}  {r['cpu_crawler']:.1f} / {r['cpu_cleaners']:.1f} / {r['cpu_db']:.1f} / {r['cpu_server']:.1f}")
    ratios = [r["ratio"] for r in runs if r["label"] == "full"]
    print(f"full ÷ bare of the same round: median {statistics.median(ratios):.2f} over {len(ratios)} rounds "
          f"(min {min(ratios):.2f}, max {max(ratios):.2f}); the other rows are ÷ the median bare run")
    print_cpu_split(runs)
    warc = [r for r in runs if r["label"] == "warc"]
    if warc:
        costs = [r["warc_cost"] for r in warc]
        print(f"WARC on ÷ off (warc ÷ full of the same round): median {statistics.median(costs):.3f} "
              f"(min {min(costs):.3f}, max {max(costs):.3f}); warc ÷ bare median "
              f"{statistics.median(r['ratio'] for r in warc):.2f}; archive {statistics.median(r['warc_mb'] for r in warc):.1f} MB "
              f"a crawl ({1e3 * statistics.median(r['warc_mb'] / max(r['warc_records'], 1) for r in warc):.1f} KB an article); "
              f"the writer's thread {1e3 * statistics.median(r['warc_cpu_s'] / max(r['warc_records'], 1) for r in warc):.2f} "
              f"ms CPU an article")
    costs = [r["dedupe_cost"] for r in runs if "dedupe_cost" in r]
    if costs:
        print(f"dedupe on ÷ off (full ÷ nodedupe of the same round): median {statistics.median(costs):.3f} "
              f"(min {min(costs):.3f}, max {max(costs):.3f}); records put with copies in a full run: "
              f"{statistics.median(r['stats'].get('govnews/dedupe/joined', 0) for r in runs if r['label'] == 'full'):.0f}")
    return 0 if all(r["rc"] == 0 for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
