"""Attachment reading: throughput per format, and the crawl with attachment reading on.

1. Reading: one larger file per format, written by the same real writers as the tests
   (tests/support/attachmentfiles.py), read ``--repeat`` times in this process
   (``cleaners.attachments.read``) and in the sandbox the crawl uses (``read_sandboxed``: a
   forked child with limits per file). Prints MB/s and characters/s side by side; the gap
   is the cost of the sandbox.
2. Crawl: bench/crawl.py's generated TRS-like site, each article linking one attachment
   (PDF, DOCX, XLSX, OFD, TXT in turn; distinct URLs), crawled with the real spider:
   bare (no pipelines), full (clean + store), +download (attachments fetched, not read) and
   +read (fetched and read). Prints articles/s and the ratio to the bare run of the same
   round (the median over ``--rounds``), the reactor's worst lag and the attachment statuses.

    python -m bench.attachments [--repeat 3] [--articles 300] [--rounds 2] [--no-crawl]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.crawl import HOST, build_site, crawl
from cleaners.attachments import Limits, read, read_sandboxed
from crawler.fixtureserver import FixtureServer
from tests.support import attachmentfiles as af

MiB = 1024 * 1024


def sample_files(folder: Path) -> dict[str, Path]:
    """One file per format, large enough that reading, not start-up, is measured."""
    sentence = af.SENTENCES["pdf"]
    words = af.word97_files({"doc": sentence}, paragraphs=3000) if af.soffice() else {}
    made = {
        "pdf": af.pdf_bytes(sentence, paragraphs=600),
        "docx": af.docx_bytes(sentence, paragraphs=3000),
        "doc": words.get("doc"),
        "xlsx": af.xlsx_bytes(sentence, rows=20000),
        "xls": af.xls_bytes(sentence, rows=20000),
        "ofd": af.ofd_bytes(sentence, lines=3000),
        "txt": af.txt_bytes((sentence + af.FILLER) * 4000),
    }
    made["zip"] = af.zip_bytes({"a.pdf": made["pdf"], "b.docx": made["docx"]})
    made["rar"] = af.rar_bytes({"a.pdf": made["pdf"], "b.docx": made["docx"]})
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for key, data in made.items():
        if data is not None:
            out[key] = folder / af.NAMES[key]
            out[key].write_bytes(data)
    return out


def throughput(files: dict[str, Path], repeat: int) -> None:
    limits = Limits(max_bytes=64 * MiB, seconds=120)
    print(f"{'format':<6} {'file KB':>8} {'chars':>8} {'status':>7}  {'in-process MB/s':>15} {'sandboxed MB/s':>14}"
          f" {'sandboxed ms':>12} {'k chars/s':>9}")
    for key, path in files.items():
        size = path.stat().st_size
        timings = {}
        for label, fn in (("in", read), ("sandbox", read_sandboxed)):
            best = None
            for _ in range(repeat):
                started = time.perf_counter()
                got = fn(str(path), path.name, limits)
                took = time.perf_counter() - started
                best = took if best is None else min(best, took)
            timings[label] = best
        print(f"{key:<6} {size / 1024:>8.0f} {got['text_length']:>8} {got['status']:>7}  "
              f"{size / MiB / timings['in']:>15.2f} {size / MiB / timings['sandbox']:>14.2f} "
              f"{timings['sandbox'] * 1000:>12.0f} {got['text_length'] / timings['sandbox'] / 1000:>9.0f}")


CRAWL_FORMATS = ("pdf", "docx", "xlsx", "ofd", "txt")


def add_attachments(sites: Path, templates: dict[str, Path]) -> int:
    """Link one attachment into each generated article (its own URL, a hard link of a template)."""
    count = 0
    for n, page in enumerate(sorted((sites / HOST / "kjdt").glob("*/t*.html"))):
        fmt = CRAWL_FORMATS[n % len(CRAWL_FORMATS)]
        name = f"P{page.stem}_fj.{templates[fmt].suffix.lstrip('.')}"
        os.link(templates[fmt], page.parent / name)
        html = page.read_text("utf-8")
        page.write_text(html.replace("</p></div>", f"</p><p>附件：<a href='./{name}'>申报指南{n}.{fmt}</a></p></div>", 1),
                        "utf-8")
        count += 1
    return count


def crawl_ratio(articles: int, rounds: int, tmp: Path) -> None:
    from secantus import SecantusDBServer

    tmp.mkdir(parents=True, exist_ok=True)
    templates = {}
    for fmt in CRAWL_FORMATS:
        maker = {"pdf": lambda: af.pdf_bytes(af.SENTENCES["pdf"], paragraphs=30),
                 "docx": lambda: af.docx_bytes(af.SENTENCES["docx"], paragraphs=60),
                 "xlsx": lambda: af.xlsx_bytes(af.SENTENCES["xlsx"], rows=300),
                 "ofd": lambda: af.ofd_bytes(af.SENTENCES["ofd"], lines=60),
                 "txt": lambda: af.txt_bytes(af.SENTENCES["txt"] * 40)}[fmt]
        templates[fmt] = tmp / f"template.{fmt}"
        templates[fmt].write_bytes(maker())
    build_site(tmp / "sites", articles)
    linked = add_attachments(tmp / "sites", templates)
    print(f"\ncrawl: {articles} articles, {linked} attachments ({', '.join(CRAWL_FORMATS)} in turn, "
          f"{sum(p.stat().st_size for p in templates.values()) / len(templates) / 1024:.0f} KB on average); "
          f"{os.cpu_count()} cores")
    runs = []
    with FixtureServer(tmp / "sites") as server, SecantusDBServer(storage_path=str(tmp / "db")) as db:
        env = {"http_proxy": server.proxy_url, "no_proxy": "", "GOVNEWS_MONGO_URI": db.uri}
        for n in range(1, rounds + 1):
            variants = (("bare", {"ITEM_PIPELINES": {}, "GOVNEWS_MONGO_ENABLED": False}),
                        ("full", {"GOVNEWS_MONGO_DB": f"bench_att_full_{n}"}),
                        ("+download", {"GOVNEWS_MONGO_DB": f"bench_att_dl_{n}", "GOVNEWS_ATTACHMENTS_DOWNLOAD": True,
                                       "GOVNEWS_ATTACHMENTS_TEXT_ENABLED": False,
                                       "GOVNEWS_ATTACHMENTS_DIR": str(tmp / f"files-dl-{n}")}),
                        ("+read", {"GOVNEWS_MONGO_DB": f"bench_att_read_{n}", "GOVNEWS_ATTACHMENTS_DOWNLOAD": True,
                                   "GOVNEWS_ATTACHMENTS_DIR": str(tmp / f"files-read-{n}")}))
            bare = None
            for label, settings in variants:
                run = crawl(label, settings, env, tmp, server.proc.pid)
                stats = run.pop("stats")
                run["articles_per_s"] = run["items"] / run["seconds"]
                bare = run if label == "bare" else bare
                run["ratio"] = run["articles_per_s"] / bare["articles_per_s"]
                run["statuses"] = {k.rsplit("/", 1)[1]: v for k, v in stats.items()
                                   if k.startswith("govnews/attachments/status/")}
                run["read_s"] = stats.get("govnews/attachments/read_ms_total", 0) / 1000
                runs.append(run)
    print(f"{'run':<10} {'articles':>8} {'secs':>6} {'articles/s':>10} {'× bare':>7} {'max lag ms':>10} "
          f"{'peak RSS MB':>11} {'read s':>7}  attachment statuses")
    for r in runs:
        print(f"{r['label']:<10} {r['items']:>8} {r['seconds']:>6.1f} {r['articles_per_s']:>10.1f} {r['ratio']:>7.2f} "
              f"{r['max_lag_ms']:>10} {r['peak_rss_mb']:>11.0f} {r['read_s']:>7.1f}  {r['statuses'] or '-'}")
    for label in ("full", "+download", "+read"):
        ratios = [r["ratio"] for r in runs if r["label"] == label]
        print(f"{label:<10} ÷ bare of the same round: median {statistics.median(ratios):.2f} over {len(ratios)} rounds")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="reads per file (the best is kept)")
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--no-crawl", action="store_true", help="only the reading throughput")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="govnews-bench-attachments-") as tmp_name:
        tmp = Path(tmp_name)
        throughput(sample_files(tmp / "files"), args.repeat)
        if not args.no_crawl:
            crawl_ratio(args.articles, args.rounds, tmp / "crawl")
    return 0


if __name__ == "__main__":
    sys.exit(main())
